#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/open_file_record.h"
#include "sessions/session_record.h"

namespace smbreaper::cli {

// The filters of Get-SmbSession and Close-SmbSession (and of Get-SmbOpenFile and
// Close-SmbOpenFile, which add -FileId), by the parameter they stand for. Each may hold several
// values; the names are PowerShell wildcard patterns (service/cli/wildcard_pattern.h).
struct FilterValues {
    std::vector<std::string> file_ids;                 // -FileId (open files only), exact
    std::vector<std::uint64_t> session_ids;            // -SessionId
    std::vector<std::string> client_computer_names;    // -ClientComputerName
    std::vector<std::string> client_user_names;        // -ClientUserName
    std::vector<std::string> scope_names;              // -ScopeName
    std::vector<std::string> cluster_node_names;       // -ClusterNodeName
    std::vector<sessions::SmbInstance> smb_instances;  // -SmbInstance
};

// The records a set of filters selects, and the filter values nothing selected matches.
template <typename Record>
struct Selection {
    std::vector<const Record*> records;  // in table order
    // One message per filter value that no selected record matches, worded as Close-SmbSession
    // words it: "No MSFT_SmbSession objects found with property 'ClientUserName' equal to 'bob'.
    // Verify the value of the property and retry."
    std::vector<std::string> unmatched;
};

// Selects records as PowerShell's CIM cmdlets do: a record is selected when, for every parameter
// given, it matches at least one of that parameter's values. No parameter selects every record.
// An unknown value matches no filter: closing selects on certainty.
template <typename Record>
class RecordFilter {
public:
    // Throws std::invalid_argument for a wildcard pattern that is not valid.
    explicit RecordFilter(const FilterValues& values);

    bool empty() const { return parameters_.empty(); }
    bool matches(const Record& record) const;
    Selection<Record> select(const std::vector<Record>& table) const;

    // The filters as a JSON object, {"ClientUserName": ["alice*"], "SessionId": [12]}, for the
    // audit trail's details of a manual close.
    std::string to_json() const;

private:
    // One value of one parameter.
    struct Value {
        std::string as_written;
        bool wildcard = false;
        std::function<bool(const Record&)> matches;
    };
    struct Parameter {
        std::string_view property;  // the CIM class' name for it
        bool numeric = false;       // written as a number in JSON
        std::vector<Value> values;
    };

    void add_names(std::string_view property, const std::vector<std::string>& patterns,
                   std::optional<std::string> Record::*field);

    std::vector<Parameter> parameters_;
};

extern template class RecordFilter<sessions::SessionRecord>;
extern template class RecordFilter<sessions::OpenFileRecord>;
using SessionFilter = RecordFilter<sessions::SessionRecord>;
using OpenFileFilter = RecordFilter<sessions::OpenFileRecord>;
using SessionSelection = Selection<sessions::SessionRecord>;
using OpenFileSelection = Selection<sessions::OpenFileRecord>;

}  // namespace smbreaper::cli
