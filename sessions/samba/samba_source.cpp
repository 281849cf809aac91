#include "common/platform.h"
#include "sessions/session_source.h"

namespace smbreaper::sessions {

namespace {
constexpr std::string_view kSettings[] = {"samba"};
constexpr std::string_view kProperties[] = {
    "SessionId",       "ClientComputerName",
    "ClientUserName",  "ScopeName",
    "ClusterNodeName", "SmbInstance",
    "Dialect",         "TransportName",
    "NumOpens",        "SecondsIdle",
    "SecondsExists",   "Shares",
    "Encrypted",       "Signed",
    "WriteOpens",      "OldestOpen",
    "OpenPaths",
};
}  // namespace

SourceDescriptor samba_source() {
    return {
        .name = "samba",
        .summary = "the Samba server on this host: smbstatus, smbcontrol and the kernel's socket counters",
        .argument = {},
        .settings = kSettings,
        .properties = kProperties,
        .every_property = false,
        .cannot_close_files =
            "Samba has no way to close one open file: smbcontrol ends whole connections (smbreaper close "
            "--session-id N ends the session holding the file, and every file it holds) or every connection "
            "to a share (smbcontrol smbd close-share SHARE)",
        .platforms = common::kLinux,
        .default_on = common::kLinux,
    };
}

}  // namespace smbreaper::sessions
