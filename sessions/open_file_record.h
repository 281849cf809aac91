#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sessions/session_record.h"

namespace smbreaper::sessions {

// One open of a file by a client, named after MSFT_SmbOpenFile (what Get-SmbOpenFile shows). As
// for sessions, every value but the key may be unknown, and a test on an unknown value is unknown.
struct OpenFileRecord {
    // The key. Windows: MSFT_SmbOpenFile.FileId, a uint64, in decimal. Samba: smbstatus' own key for
    // the open, "PID/SHARE_FILE_ID" (the smbd process and its number for the open), since Samba
    // prints no FileId.
    std::string file_id;
    std::optional<std::uint64_t> session_id;          // SessionId; unknown when the open's session cannot be told
    std::optional<std::string> path;                  // Path, as the server sees it
    std::optional<std::string> share_relative_path;   // ShareRelativePath
    std::optional<std::string> client_computer_name;  // ClientComputerName
    std::optional<std::string> client_user_name;      // ClientUserName
    std::optional<std::uint32_t> permissions;         // Permissions: the access mask granted
    std::optional<std::uint32_t> locks;               // Locks: byte-range locks held
    std::optional<bool> continuously_available;       // ContinuouslyAvailable
    std::optional<std::string> scope_name;            // ScopeName
    std::optional<std::string> cluster_node_name;     // ClusterNodeName
    std::optional<SmbInstance> smb_instance;          // SmbInstance

    // When it was opened (Samba's opened_at). Windows gives no open time: first_seen is when this
    // program first saw the FileId instead, which is later than the open.
    std::optional<std::chrono::system_clock::time_point> opened_at;
    std::optional<std::chrono::system_clock::time_point> first_seen;

    // Samba only: which smbd process holds it (server_id), matched to sessions.
    std::optional<std::uint64_t> samba_pid;
    std::optional<std::uint32_t> samba_vnn;
    std::optional<std::uint32_t> uid;
};

// The access bits that let a client change the file's data or remove it: FILE_WRITE_DATA,
// FILE_APPEND_DATA, DELETE, and the generic forms the server may keep unmapped (GENERIC_WRITE,
// GENERIC_ALL, MAXIMUM_ALLOWED). A client holding one of them may have unsaved changes.
inline constexpr std::uint32_t kWritingAccess =
    0x00000002u | 0x00000004u | 0x00010000u | 0x40000000u | 0x10000000u | 0x02000000u;

// Whether the open can change the file: unknown when its access mask is.
std::optional<bool> writes(const OpenFileRecord& open);

// The access mask in letters, as smbstatus prints it: R (read data), W (write data), A (append),
// D (delete), X (execute), and "-" for none of them; "(unknown)" when the mask is.
std::string access_letters(const OpenFileRecord& open);

// The time the open dates from: when it was opened, or else when it was first seen.
std::optional<std::chrono::system_clock::time_point> open_since(const OpenFileRecord& open);

}  // namespace smbreaper::sessions
