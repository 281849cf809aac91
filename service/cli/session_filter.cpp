#include "service/cli/session_filter.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "service/cli/wildcard_pattern.h"

namespace smbreaper::cli {
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::to_string;

SessionFilter::SessionFilter(const SessionFilterValues& values) {
    if (!values.session_ids.empty()) {
        Parameter parameter{"SessionId", true, {}};
        for (const std::uint64_t id : values.session_ids) {
            parameter.values.push_back(
                {std::to_string(id), false, [id](const SessionRecord& session) { return session.session_id == id; }});
        }
        parameters_.push_back(std::move(parameter));
    }
    add_names("ClientComputerName", values.client_computer_names, &SessionRecord::client_computer_name);
    add_names("ClientUserName", values.client_user_names, &SessionRecord::client_user_name);
    add_names("ScopeName", values.scope_names, &SessionRecord::scope_name);
    add_names("ClusterNodeName", values.cluster_node_names, &SessionRecord::cluster_node_name);
    if (!values.smb_instances.empty()) {
        Parameter parameter{"SmbInstance", false, {}};
        for (const SmbInstance instance : values.smb_instances) {
            parameter.values.push_back(
                {std::string(to_string(instance)), false,
                 [instance](const SessionRecord& session) { return session.smb_instance == instance; }});
        }
        parameters_.push_back(std::move(parameter));
    }
}

void SessionFilter::add_names(std::string_view property, const std::vector<std::string>& patterns,
                              std::optional<std::string> SessionRecord::*field) {
    if (patterns.empty()) return;
    Parameter parameter{property, false, {}};
    for (const std::string& text : patterns) {
        WildcardPattern pattern(text);
        const bool wildcard = pattern.has_wildcards();
        parameter.values.push_back(
            {text, wildcard, [pattern = std::move(pattern), field](const SessionRecord& session) {
                 // An unknown name matches no filter: closing selects on certainty.
                 const std::optional<std::string>& name = session.*field;
                 return name && pattern.matches(*name);
             }});
    }
    parameters_.push_back(std::move(parameter));
}

bool SessionFilter::matches(const SessionRecord& session) const {
    return std::all_of(parameters_.begin(), parameters_.end(), [&session](const Parameter& parameter) {
        return std::any_of(parameter.values.begin(), parameter.values.end(),
                           [&session](const Value& value) { return value.matches(session); });
    });
}

SessionSelection SessionFilter::select(const std::vector<SessionRecord>& table) const {
    SessionSelection selection;
    for (const SessionRecord& session : table) {
        if (matches(session)) selection.sessions.push_back(&session);
    }
    for (const Parameter& parameter : parameters_) {
        for (const Value& value : parameter.values) {
            const bool found = std::any_of(selection.sessions.begin(), selection.sessions.end(),
                                           [&value](const SessionRecord* session) { return value.matches(*session); });
            if (found) continue;
            selection.unmatched.push_back("No MSFT_SmbSession objects found with property '" +
                                          std::string(parameter.property) + "' " +
                                          (value.wildcard ? "like" : "equal to") + " '" + value.as_written +
                                          "'. Verify the value of the property and retry.");
        }
    }
    return selection;
}

std::string SessionFilter::to_json() const {
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

}  // namespace smbreaper::cli
