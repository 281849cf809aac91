#include "service/cli/record_filter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <type_traits>

#include "service/cli/wildcard_pattern.h"

namespace smbreaper::cli {
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::to_string;

namespace {

template <typename Record>
constexpr std::string_view cim_class() {
    if constexpr (std::is_same_v<Record, OpenFileRecord>)
        return "MSFT_SmbOpenFile";
    else
        return "MSFT_SmbSession";
}

std::optional<std::uint64_t> session_id_of(const SessionRecord& session) { return session.session_id; }
std::optional<std::uint64_t> session_id_of(const OpenFileRecord& open) { return open.session_id; }

}  // namespace

template <typename Record>
RecordFilter<Record>::RecordFilter(const FilterValues& values) {
    if constexpr (std::is_same_v<Record, OpenFileRecord>) {
        if (!values.file_ids.empty()) {
            Parameter parameter{"FileId", false, {}};
            for (const std::string& id : values.file_ids)
                parameter.values.push_back(
                    {id, false, [id](const OpenFileRecord& open) { return open.file_id == id; }});
            parameters_.push_back(std::move(parameter));
        }
    } else if (!values.file_ids.empty()) {
        throw std::invalid_argument("sessions have no FileId");
    }
    if (!values.session_ids.empty()) {
        Parameter parameter{"SessionId", true, {}};
        for (const std::uint64_t id : values.session_ids) {
            parameter.values.push_back(
                {std::to_string(id), false, [id](const Record& record) { return session_id_of(record) == id; }});
        }
        parameters_.push_back(std::move(parameter));
    }
    add_names("ClientComputerName", values.client_computer_names, &Record::client_computer_name);
    add_names("ClientUserName", values.client_user_names, &Record::client_user_name);
    add_names("ScopeName", values.scope_names, &Record::scope_name);
    add_names("ClusterNodeName", values.cluster_node_names, &Record::cluster_node_name);
    if (!values.smb_instances.empty()) {
        Parameter parameter{"SmbInstance", false, {}};
        for (const SmbInstance instance : values.smb_instances) {
            parameter.values.push_back({std::string(to_string(instance)), false,
                                        [instance](const Record& record) { return record.smb_instance == instance; }});
        }
        parameters_.push_back(std::move(parameter));
    }
}

template <typename Record>
void RecordFilter<Record>::add_names(std::string_view property, const std::vector<std::string>& patterns,
                                     std::optional<std::string> Record::*field) {
    if (patterns.empty()) return;
    Parameter parameter{property, false, {}};
    for (const std::string& text : patterns) {
        WildcardPattern pattern(text);
        const bool wildcard = pattern.has_wildcards();
        parameter.values.push_back({text, wildcard, [pattern = std::move(pattern), field](const Record& record) {
                                        const std::optional<std::string>& name = record.*field;
                                        return name && pattern.matches(*name);
                                    }});
    }
    parameters_.push_back(std::move(parameter));
}

template <typename Record>
bool RecordFilter<Record>::matches(const Record& record) const {
    return std::all_of(parameters_.begin(), parameters_.end(), [&record](const Parameter& parameter) {
        return std::any_of(parameter.values.begin(), parameter.values.end(),
                           [&record](const Value& value) { return value.matches(record); });
    });
}

template <typename Record>
Selection<Record> RecordFilter<Record>::select(const std::vector<Record>& table) const {
    Selection<Record> selection;
    for (const Record& record : table) {
        if (matches(record)) selection.records.push_back(&record);
    }
    for (const Parameter& parameter : parameters_) {
        for (const Value& value : parameter.values) {
            const bool found = std::any_of(selection.records.begin(), selection.records.end(),
                                           [&value](const Record* record) { return value.matches(*record); });
            if (found) continue;
            selection.unmatched.push_back("No " + std::string(cim_class<Record>()) + " objects found with property '" +
                                          std::string(parameter.property) + "' " +
                                          (value.wildcard ? "like" : "equal to") + " '" + value.as_written +
                                          "'. Verify the value of the property and retry.");
        }
    }
    return selection;
}

template <typename Record>
std::string RecordFilter<Record>::to_json() const {
    nlohmann::ordered_json filters = nlohmann::ordered_json::object();
    for (const Parameter& parameter : parameters_) {
        nlohmann::ordered_json& values = filters[std::string(parameter.property)] = nlohmann::ordered_json::array();
        for (const Value& value : parameter.values) {
            if (parameter.numeric) {
                values.push_back(std::stoull(value.as_written));
            } else {
                values.push_back(value.as_written);
            }
        }
    }
    return filters.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template class RecordFilter<SessionRecord>;
template class RecordFilter<OpenFileRecord>;

}  // namespace smbreaper::cli
