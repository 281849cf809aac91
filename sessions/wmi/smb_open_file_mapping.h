#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sessions/open_file_record.h"
#include "sessions/wmi/wmi_value.h"

namespace smbreaper::sessions {

// MSFT_SmbOpenFile lives beside MSFT_SmbSession (kSmbNamespace); ForceClose is what
// Close-SmbOpenFile calls.
inline constexpr const char* kSmbOpenFileClass = "MSFT_SmbOpenFile";

// The properties the source reads from each instance.
inline constexpr std::string_view kSmbOpenFileProperties[] = {
    "FileId",          "SessionId",   "Path",  "ShareRelativePath",     "ClientComputerName",
    "ClientUserName",  "Permissions", "Locks", "ContinuouslyAvailable", "ScopeName",
    "ClusterNodeName", "SmbInstance",
};

// One MSFT_SmbOpenFile instance as an open-file record: FileId and SessionId are uint64 (sent as
// decimal strings), Permissions, Locks and SmbInstance uint32, ContinuouslyAvailable boolean. FileId
// is required; SmbInstance must be 0..3. A null or missing property is unknown. Windows gives no
// open time: the caller sets first_seen. Throws WmiValueError naming the property when a value does
// not fit its type.
OpenFileRecord smb_open_file_from_properties(const WmiProperties& properties);

// The WQL that reads one open again by its key, before it is closed.
std::string smb_open_file_query_by_id(std::uint64_t file_id);

}  // namespace smbreaper::sessions
