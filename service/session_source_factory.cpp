#include "service/session_source_factory.h"

#include "config/policy_lint.h"
#include "sessions/snapshot/snapshot_file.h"

namespace smbreaper {

std::unique_ptr<SessionTable> make_session_table(const Settings& settings) {
    SourceSetting::Kind kind = settings.source.kind;
    if (kind == SourceSetting::Kind::Auto) kind = platform_default_source();
    switch (kind) {
        case SourceSetting::Kind::Snapshot:
            return std::make_unique<SnapshotSessionTable>(settings.source.snapshot_path);
        case SourceSetting::Kind::Samba: return make_samba_session_table(settings);
        case SourceSetting::Kind::Wmi: return make_wmi_session_table(settings);
        case SourceSetting::Kind::Auto: break;
    }
    throw SourceError("no session source configured");
}

}  // namespace smbreaper
