#pragma once

#include <vector>

namespace smbreaper::daemon {

// The signals that ask the foreground service to stop gracefully, and to re-read its policy.
// Implemented per platform (service/posix/, service/windows/).
std::vector<int> stop_signals();
std::vector<int> reload_signals();

}  // namespace smbreaper::daemon
