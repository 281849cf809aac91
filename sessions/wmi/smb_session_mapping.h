#pragma once

#include <string>
#include <string_view>

#include "sessions/session_record.h"
#include "sessions/wmi/wmi_value.h"

namespace smbreaper::sessions {

// Where MSFT_SmbSession lives, and the class' key and method (docs/WINDOWS.md).
inline constexpr const char* kSmbNamespace = R"(ROOT\Microsoft\Windows\SMB)";
inline constexpr const char* kSmbSessionClass = "MSFT_SmbSession";

// The properties the source reads from each instance.
inline constexpr std::string_view kSmbSessionProperties[] = {
    "SessionId", "ClientComputerName", "ClientUserName", "ScopeName", "ClusterNodeName", "SmbInstance",
    "NumOpens",  "SecondsIdle",        "SecondsExists",  "Dialect",   "TransportName",
};

// One MSFT_SmbSession instance's properties as a session record: SessionId and NumOpens are uint64
// (sent as decimal strings), SecondsIdle, SecondsExists and SmbInstance uint32 (VT_I4). SessionId
// is required; SmbInstance must be 0..3. A property that is null, or missing from the instance
// (Windows Server 2012 has no SmbInstance), is unknown. Throws WmiValueError naming the property when a value does not fit its type:
// a record that cannot be read exactly is not one to act on.
SessionRecord smb_session_from_properties(const WmiProperties& properties);

// The WQL that reads one session again by its key, before it is closed.
std::string smb_session_query_by_id(std::uint64_t session_id);

}  // namespace smbreaper::sessions
