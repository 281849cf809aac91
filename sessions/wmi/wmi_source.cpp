#include "common/platform.h"
#include "sessions/session_source.h"
#include "sessions/wmi/smb_session_mapping.h"

namespace smbreaper::sessions {

namespace {
// What it reads from MSFT_SmbSession (kSmbSessionProperties), and what MSFT_SmbOpenFile adds.
constexpr std::string_view kWmiProperties[] = {
    "SessionId",     "ClientComputerName", "ClientUserName", "ScopeName",     "ClusterNodeName",
    "SmbInstance",   "NumOpens",           "SecondsIdle",    "SecondsExists", "Dialect",
    "TransportName", "WriteOpens",         "OldestOpen",     "OpenPaths",
};
static_assert(std::size(kWmiProperties) == std::size(kSmbSessionProperties) + 3);
}  // namespace

SourceDescriptor wmi_source() {
    return {
        .name = "wmi",
        .summary =
            "the Windows SMB server: MSFT_SmbSession and MSFT_SmbOpenFile, what Get-SmbSession and "
            "Get-SmbOpenFile show",
        .argument = {},
        .settings = {},
        .properties = kWmiProperties,
        .every_property = false,
        .platforms = common::kWindows,
        .default_on = common::kWindows,
    };
}

}  // namespace smbreaper::sessions
