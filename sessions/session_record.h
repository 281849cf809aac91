#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/dialect.h"

namespace smbreaper::sessions {

// MSFT_SmbSession.SmbInstance
enum class SmbInstance : std::uint8_t { Default = 0, CSV = 1, SBL = 2, SR = 3 };

std::string_view to_string(SmbInstance instance);
// Accepts the names (case-insensitive) and the numbers 0..3.
std::optional<SmbInstance> parse_smb_instance(std::string_view text);

// Identity of the smbd process that carries a Samba session (smbstatus' server_id).
struct SambaServerId {
    std::uint64_t pid = 0;
    std::uint32_t vnn = 0xFFFFFFFFu;  // CTDB node number; 0xFFFFFFFF when not clustered
    std::uint64_t unique_id = 0;

    bool operator==(const SambaServerId&) const = default;
};

// One row of the session table, named after MSFT_SmbSession so Windows admins recognise every field.
// Every value but the key may be unknown: a source that lacks a property, or gives it as null,
// leaves it empty here, and a rule's test on it is unknown, never a guess (rules/field.h says
// which source provides which field). The key is required: a record without one cannot be
// identified or closed, and every reader refuses it.
struct SessionRecord {
    // MSFT_SmbSession properties
    std::uint64_t session_id = 0;                     // SessionId (the key)
    std::optional<std::string> client_computer_name;  // ClientComputerName
    std::optional<std::string> client_user_name;      // ClientUserName
    std::optional<std::string> scope_name;            // ScopeName
    std::optional<std::string> cluster_node_name;     // ClusterNodeName
    std::optional<SmbInstance> smb_instance;          // SmbInstance
    std::optional<std::uint64_t> num_opens;           // NumOpens
    std::optional<std::uint32_t> seconds_idle;        // SecondsIdle
    std::optional<std::uint32_t> seconds_exists;      // SecondsExists
    std::optional<std::string> dialect;               // Dialect, as the source printed it
    std::optional<Dialect> dialect_revision;          // Dialect, parsed; unknown when unrecognised
    std::optional<std::string> transport_name;        // TransportName

    // What some sources know beyond MSFT_SmbSession
    std::optional<std::vector<std::string>> shares;  // tree-connected share names
    std::optional<bool> encrypted;
    std::optional<bool> signing;
    std::optional<std::string> group_name;
    std::optional<std::uint32_t> uid;
    std::optional<std::uint32_t> gid;
    std::optional<SambaServerId> samba_server_id;
    std::optional<std::string> peer_address;  // "ipv4:127.0.0.1:42744" as Samba prints it

    // What the session's open files say, when the source lists them (sessions/open_file_summary.h).
    std::optional<std::uint64_t> write_opens;            // opens that may write (unknown access counts)
    std::optional<std::uint32_t> oldest_open_seconds;    // since the oldest was opened (or first seen)
    std::optional<std::vector<std::string>> open_paths;  // the share-relative paths it holds open
};

// A value for people to read: the text, or `unknown` when the source did not give it.
inline std::string shown(const std::optional<std::string>& value, std::string_view unknown = "(unknown)") {
    return value ? *value : std::string(unknown);
}

}  // namespace smbreaper::sessions
