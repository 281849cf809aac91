#include "service/cli/session_report.h"

#include "common/text_table.h"
#include "rules/duration.h"
#include "sessions/session_json.h"
#include "storage/csv.h"

namespace smbreaper::cli {
using smbreaper::common::JsonWriter;
using smbreaper::common::TextTable;
using smbreaper::rules::format_duration;
using smbreaper::rules::Guard;
using smbreaper::rules::to_string;
using smbreaper::rules::Verdict;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_string;
using smbreaper::sessions::write_session_properties;
using smbreaper::storage::csv_line;
using smbreaper::storage::kCsvByteOrderMark;

namespace {

std::string optional_duration(const std::optional<std::uint32_t>& seconds) {
    return seconds ? format_duration(*seconds) : "";
}

template <typename T>
std::string optional_number(const std::optional<T>& number) {
    return number ? std::to_string(*number) : "";
}

std::vector<std::string> verdict_cells(const Verdict& verdict) {
    return {std::string(to_string(verdict.kind)), verdict.rule ? verdict.rule->name : "",
            verdict.guard != Guard::None ? std::string(to_string(verdict.guard)) : ""};
}

void append(std::vector<std::string>& cells, const std::vector<std::string>& more) {
    cells.insert(cells.end(), more.begin(), more.end());
}

}  // namespace

void write_verdict_properties(JsonWriter& json, const Verdict& verdict) {
    json.key("verdict").value(to_string(verdict.kind));
    json.key("rule");
    if (verdict.rule)
        json.value(verdict.rule->name);
    else
        json.null();
    json.key("guard");
    if (verdict.guard != Guard::None)
        json.value(to_string(verdict.guard));
    else
        json.null();
}

std::string sessions_text(const std::vector<const SessionRecord*>& sessions, const std::vector<Verdict>& verdicts) {
    std::vector<std::string> headers{"SessionId", "User", "Client", "Idle", "Age", "Opens", "Dialect"};
    if (!verdicts.empty()) append(headers, {"Verdict", "Rule", "Guard"});
    TextTable table(std::move(headers));
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const SessionRecord& s = *sessions[i];
        std::vector<std::string> cells{std::to_string(s.session_id),
                                       s.client_user_name.value_or(""),
                                       s.client_computer_name.value_or(""),
                                       optional_duration(s.seconds_idle),
                                       optional_duration(s.seconds_exists),
                                       optional_number(s.num_opens),
                                       s.dialect.value_or("")};
        if (!verdicts.empty()) append(cells, verdict_cells(verdicts[i]));
        table.add_row(std::move(cells));
    }
    return table.render();
}

std::string sessions_json(const std::vector<const SessionRecord*>& sessions, const std::vector<Verdict>& verdicts) {
    std::string out = "[";
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        JsonWriter json(out);
        json.begin_object();
        if (!verdicts.empty()) write_verdict_properties(json, verdicts[i]);
        write_session_properties(json, *sessions[i]);
        json.end_object();
    }
    out += sessions.empty() ? "]\n" : "\n]\n";
    return out;
}

std::string sessions_csv(const std::vector<const SessionRecord*>& sessions, const std::vector<Verdict>& verdicts) {
    std::vector<std::string> headers{
        "SessionId", "ClientComputerName", "ClientUserName", "ScopeName", "ClusterNodeName", "SmbInstance",
        "NumOpens",  "SecondsIdle",        "SecondsExists",  "Dialect",   "TransportName"};
    if (!verdicts.empty()) append(headers, {"Verdict", "Rule", "Guard"});
    std::string out(kCsvByteOrderMark);
    out += csv_line(headers);
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const SessionRecord& s = *sessions[i];
        // An unknown value is an empty cell, as Export-Csv writes a null property.
        std::vector<std::string> cells{
            std::to_string(s.session_id),      s.client_computer_name.value_or(""),
            s.client_user_name.value_or(""),   s.scope_name.value_or(""),
            s.cluster_node_name.value_or(""),  s.smb_instance ? std::string(to_string(*s.smb_instance)) : "",
            optional_number(s.num_opens),      optional_number(s.seconds_idle),
            optional_number(s.seconds_exists), s.dialect.value_or(""),
            s.transport_name.value_or("")};
        if (!verdicts.empty()) append(cells, verdict_cells(verdicts[i]));
        out += csv_line(cells);
    }
    return out;
}

}  // namespace smbreaper::cli
