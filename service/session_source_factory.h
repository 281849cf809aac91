#pragma once

#include <memory>

#include "rules/policy.h"
#include "sessions/session_table.h"

namespace smbreaper::service {

// Opens the session table settings.source names (`auto`: this platform's own), from the source
// registry (sessions/session_source.h). The programs it would run must pass the trust check of
// config/file_permissions.h. Throws SourceError when the source cannot open or does not run on
// this platform.
std::unique_ptr<sessions::SessionTable> make_session_table(const rules::Settings& settings);

}  // namespace smbreaper::service
