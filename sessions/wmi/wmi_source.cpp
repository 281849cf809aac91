#include "common/platform.h"
#include "sessions/session_source.h"
#include "sessions/wmi/smb_session_mapping.h"

namespace smbreaper::sessions {

SourceDescriptor wmi_source() {
    return {
        .name = "wmi",
        .summary = "the Windows SMB server: MSFT_SmbSession, what Get-SmbSession shows",
        .argument = {},
        .settings = {},
        .properties = kSmbSessionProperties,
        .every_property = false,
        .platforms = common::kWindows,
        .default_on = common::kWindows,
    };
}

}  // namespace smbreaper::sessions
