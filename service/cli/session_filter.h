#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/session_record.h"

namespace smbreaper::cli {

// The filters of Get-SmbSession and Close-SmbSession, by the parameter they stand for. Each may
// hold several values; the names are PowerShell wildcard patterns (service/cli/wildcard_pattern.h).
struct SessionFilterValues {
    std::vector<std::uint64_t> session_ids;            // -SessionId
    std::vector<std::string> client_computer_names;    // -ClientComputerName
    std::vector<std::string> client_user_names;        // -ClientUserName
    std::vector<std::string> scope_names;              // -ScopeName
    std::vector<std::string> cluster_node_names;       // -ClusterNodeName
    std::vector<sessions::SmbInstance> smb_instances;  // -SmbInstance
};

// The sessions a set of filters selects, and the filter values nothing selected matches.
struct SessionSelection {
    std::vector<const sessions::SessionRecord*> sessions;  // in table order
    // One message per filter value that no selected session matches, worded as Close-SmbSession
    // words it: "No MSFT_SmbSession objects found with property 'ClientUserName' equal to 'bob'.
    // Verify the value of the property and retry."
    std::vector<std::string> unmatched;
};

// Selects sessions as PowerShell's CIM cmdlets do: a session is selected when, for every
// parameter given, it matches at least one of that parameter's values. No parameter selects every
// session.
class SessionFilter {
public:
    // Throws std::invalid_argument for a wildcard pattern that is not valid.
    explicit SessionFilter(const SessionFilterValues& values);

    bool empty() const { return parameters_.empty(); }
    bool matches(const sessions::SessionRecord& session) const;
    SessionSelection select(const std::vector<sessions::SessionRecord>& table) const;

    // The filters as a JSON object, {"ClientUserName": ["alice*"], "SessionId": [12]}, for the
    // audit trail's details of a manual close.
    std::string to_json() const;

private:
    // One value of one parameter.
    struct Value {
        std::string as_written;
        bool wildcard = false;
        std::function<bool(const sessions::SessionRecord&)> matches;
    };
    struct Parameter {
        std::string_view property;  // MSFT_SmbSession's name for it
        bool numeric = false;       // written as a number in JSON
        std::vector<Value> values;
    };

    void add_names(std::string_view property, const std::vector<std::string>& patterns,
                   std::optional<std::string> sessions::SessionRecord::*field);

    std::vector<Parameter> parameters_;
};

}  // namespace smbreaper::cli
