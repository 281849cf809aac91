#include "service/cli/open_file_report.h"

#include "common/text_table.h"
#include "common/utc_time.h"
#include "rules/duration.h"
#include "storage/csv.h"

namespace smbreaper::cli {
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::TextTable;
using smbreaper::rules::format_duration;
using smbreaper::sessions::access_letters;
using smbreaper::sessions::open_since;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::to_string;
using smbreaper::sessions::writes;
using smbreaper::storage::csv_line;
using smbreaper::storage::kCsvByteOrderMark;

namespace {

template <typename T>
std::string optional_number(const std::optional<T>& number) {
    return number ? std::to_string(*number) : "";
}

std::string optional_time(const std::optional<std::chrono::system_clock::time_point>& time) {
    return time ? format_utc_timestamp(*time) : "";
}

// How long it has been open: "2h 5m"; "~5m" when the time is only when it was first seen.
std::string open_for(const OpenFileRecord& open, std::chrono::system_clock::time_point now) {
    const auto since = open_since(open);
    if (!since) return "";
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - *since).count();
    return (open.opened_at ? "" : "~") + format_duration(static_cast<std::uint64_t>(seconds < 0 ? 0 : seconds));
}

}  // namespace

std::string open_files_text(const std::vector<const OpenFileRecord*>& opens,
                            std::chrono::system_clock::time_point now) {
    TextTable table({"FileId", "SessionId", "User", "Client", "Access", "Open for", "Path"});
    for (const OpenFileRecord* open : opens) {
        table.add_row({open->file_id, optional_number(open->session_id), open->client_user_name.value_or(""),
                       open->client_computer_name.value_or(""), access_letters(*open), open_for(*open, now),
                       open->share_relative_path ? *open->share_relative_path : open->path.value_or("")});
    }
    return table.render();
}

std::string open_files_csv(const std::vector<const OpenFileRecord*>& opens) {
    std::string out(kCsvByteOrderMark);
    out += csv_line({"FileId", "SessionId", "Path", "ShareRelativePath", "ClientComputerName", "ClientUserName",
                     "Permissions", "Locks", "ContinuouslyAvailable", "ScopeName", "ClusterNodeName", "SmbInstance",
                     "Access", "Writes", "OpenedAt", "FirstSeen"});
    const auto flag = [](const std::optional<bool>& value) -> std::string {
        return value ? (*value ? "True" : "False") : "";
    };
    for (const OpenFileRecord* open : opens) {
        out += csv_line({open->file_id, optional_number(open->session_id), open->path.value_or(""),
                         open->share_relative_path.value_or(""), open->client_computer_name.value_or(""),
                         open->client_user_name.value_or(""), optional_number(open->permissions),
                         optional_number(open->locks), flag(open->continuously_available),
                         open->scope_name.value_or(""), open->cluster_node_name.value_or(""),
                         open->smb_instance ? std::string(to_string(*open->smb_instance)) : "",
                         open->permissions ? access_letters(*open) : "", flag(writes(*open)),
                         optional_time(open->opened_at), optional_time(open->first_seen)});
    }
    return out;
}

}  // namespace smbreaper::cli
