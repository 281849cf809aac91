#include "service/daemon/system_log_sink.h"

#include <spdlog/sinks/win_eventlog_sink.h>

#include "service/windows/event_source.h"

namespace smbreaper::daemon {

// The Application log, source "smbreaper" (registered by `smbreaper service install` and the MSI,
// with this exe as its message file: event_messages.mc).
spdlog::sink_ptr make_system_log_sink() {
    return std::make_shared<spdlog::sinks::win_eventlog_sink_mt>(kEventSourceName, kEventIdMessage);
}

}  // namespace smbreaper::daemon
