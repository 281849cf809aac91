#include "service/cli/simulation_report.h"

#include <algorithm>

#include "rules/duration.h"
#include "sessions/display_text.h"
#include "sessions/session_json.h"

namespace smbreaper::cli {
namespace {

std::string optional_duration(const std::optional<std::uint32_t>& seconds) {
    return seconds ? format_duration(*seconds) : "-";
}

// Control characters in names must not reach the terminal (sessions/display_text.h); a tab would
// break the columns.
std::string cell(std::string_view text) {
    std::string out = escape_for_display(text);
    std::replace(out.begin(), out.end(), '\t', ' ');
    return out.empty() ? "-" : out;
}

void append_row(std::string& out, const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        out += cells[i];
        if (i + 1 < cells.size()) out.append(widths[i] + 2 - std::min(widths[i], cells[i].size()), ' ');
    }
    out.push_back('\n');
}

}  // namespace

std::string simulation_json(const Policy& policy, const std::vector<SessionRecord>& sessions,
                            const Simulation& simulation) {
    std::string out;
    out.reserve(sessions.size() * 400 + 64);
    JsonWriter json(out);
    json.begin_object();
    json.key("mode").value(to_string(policy.settings.mode));
    json.key("refused").value(simulation.refused);
    json.key("sessions").begin_array();
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const Verdict& verdict = simulation.verdicts[i];
        json.begin_object();
        json.key("verdict").value(to_string(verdict.kind));
        json.key("rule");
        if (verdict.rule) json.value(verdict.rule->name); else json.null();
        json.key("guard");
        if (verdict.guard != Guard::None) json.value(to_string(verdict.guard)); else json.null();
        write_session_properties(json, sessions[i]);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    out.push_back('\n');
    return out;
}

std::string simulation_text(const Policy& policy, const std::vector<SessionRecord>& sessions,
                            const Simulation& simulation) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"SessionId", "User", "Client", "Idle", "Age", "Opens", "Dialect", "Verdict", "Rule", "Guard"});
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const SessionRecord& s = sessions[i];
        const Verdict& verdict = simulation.verdicts[i];
        rows.push_back({std::to_string(s.session_id), cell(s.client_user_name), cell(s.client_computer_name),
                        optional_duration(s.seconds_idle), optional_duration(s.seconds_exists),
                        s.num_opens ? std::to_string(*s.num_opens) : "-", cell(s.dialect),
                        std::string(to_string(verdict.kind)), verdict.rule ? cell(verdict.rule->name) : "-",
                        verdict.guard != Guard::None ? std::string(to_string(verdict.guard)) : "-"});
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows) append_row(out, row, widths);

    out += "\n" + std::to_string(sessions.size()) + " sessions: " + std::to_string(simulation.closes) + " close, " +
           std::to_string(simulation.audits) + " audit, " + std::to_string(simulation.keeps) + " keep (" +
           std::to_string(simulation.guarded) + " by a guard). Mode " + std::string(to_string(policy.settings.mode));
    if (simulation.refused) {
        out += ": REFUSED, closing " + std::to_string(simulation.closes) + " of " + std::to_string(sessions.size()) +
               " sessions exceeds max_close_fraction, so the cycle would close nothing.\n";
    } else if (policy.settings.mode == PolicyMode::Audit) {
        out += ": nothing would be closed, closures would be recorded as what-if.\n";
    } else {
        out += ": the close verdicts would be closed (after confirm_polls and max_closes_per_cycle).\n";
    }
    return out;
}

}  // namespace smbreaper::cli
