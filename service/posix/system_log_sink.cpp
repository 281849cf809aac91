#include "service/daemon/system_log_sink.h"

#include <spdlog/sinks/syslog_sink.h>
#include <syslog.h>

namespace smbreaper::daemon {

spdlog::sink_ptr make_system_log_sink() {
    return std::make_shared<spdlog::sinks::syslog_sink_mt>("smbreaper", LOG_PID, LOG_DAEMON, true);
}

}  // namespace smbreaper::daemon
