#include "common/platform.h"
#include "sessions/session_source.h"
#include "sessions/snapshot/snapshot_file.h"

namespace smbreaper::sessions {

SourceDescriptor snapshot_source() {
    return {
        .name = "snapshot",
        .summary = "a JSON file: Get-SmbSession's ConvertTo-Json or smbstatus --json (docs/SNAPSHOTS.md)",
        .argument = "PATH",
        .settings = {},
        .properties = {},
        .every_property = true,
        .platforms = common::kEveryPlatform,
        .default_on = 0,
    };
}

std::unique_ptr<SessionTable> open_snapshot_source(const SourceSettings& settings, const ProgramCheck&) {
    return std::make_unique<SnapshotSessionTable>(settings.file);
}

}  // namespace smbreaper::sessions
