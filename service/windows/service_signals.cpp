#include <csignal>

#include "service/daemon/service_signals.h"

namespace smbreaper::daemon {

// `smbreaper run` in a console stops on Ctrl+C (SIGINT) and SIGTERM. Windows has no reload signal:
// the service re-reads its policy on a service control (`smbreaper service reload`) or when the
// file changes.
std::vector<int> stop_signals() { return {SIGINT, SIGTERM}; }
std::vector<int> reload_signals() { return {}; }

}  // namespace smbreaper::daemon
