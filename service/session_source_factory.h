#pragma once

#include <memory>

#include "rules/policy.h"
#include "sessions/session_table.h"

namespace smbreaper {

// The session table that settings.source names (`auto` meaning this platform's own). Throws
// SourceError when that source does not exist on this platform.
std::unique_ptr<SessionTable> make_session_table(const Settings& settings);

// The platform's own sources, implemented in service/posix/ and service/windows/: each throws
// SourceError for the source its platform does not have.
std::unique_ptr<SessionTable> make_samba_session_table(const Settings& settings);
std::unique_ptr<SessionTable> make_wmi_session_table(const Settings& settings);

}  // namespace smbreaper
