#include "service/session_source_factory.h"

#include "common/platform.h"
#include "config/file_permissions.h"
#include "sessions/session_source.h"

namespace smbreaper::service {
using smbreaper::common::platform_names;
using smbreaper::common::this_platform;
using smbreaper::config::TrustedFile;
using smbreaper::config::unsafe_permissions;
using smbreaper::rules::Settings;
using smbreaper::sessions::all_sources;
using smbreaper::sessions::find_source;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::source_choices;
using smbreaper::sessions::SourceDescriptor;
using smbreaper::sessions::SourceError;

std::unique_ptr<SessionTable> make_session_table(const Settings& settings) {
    const SourceDescriptor* source = find_source(settings.source.name);
    if (source == nullptr) {
        throw SourceError("settings.source '" + settings.source.name + "' names no source; it must be " +
                          source_choices());
    }
    if (!source->runs_here()) {
        std::string others;
        for (const SourceDescriptor& other : all_sources()) {
            if (!other.runs_here()) continue;
            others += (others.empty() ? "" : " or ") + std::string(other.name) +
                      (other.argument.empty() ? "" : ":" + std::string(other.argument));
        }
        throw SourceError("the " + std::string(source->name) + " source runs on " + platform_names(source->platforms) +
                          " only; on " + platform_names(this_platform()) + " use " + others);
    }
    return source->open(settings.source,
                        [](const std::string& program) { return unsafe_permissions(program, TrustedFile::Program); });
}

}  // namespace smbreaper::service
