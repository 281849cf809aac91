#pragma once

#include <spdlog/common.h>

namespace smbreaper::daemon {

// The platform's system log as an spdlog sink: syslog (hence journald) on Linux, the Windows Event
// Log elsewhere. Implemented in service/posix/ and service/windows/.
spdlog::sink_ptr make_system_log_sink();

}  // namespace smbreaper::daemon
