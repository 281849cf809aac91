#include <csignal>

#include "service/daemon/service_signals.h"

namespace smbreaper::daemon {

std::vector<int> stop_signals() { return {SIGINT, SIGTERM}; }
std::vector<int> reload_signals() { return {SIGHUP}; }

}  // namespace smbreaper::daemon
