#pragma once

#include <cstddef>
#include <functional>

namespace smbreaper::common {

// Calls work(0) .. work(count - 1), at most `max_concurrent` at a time on worker threads (on the
// caller's thread when that is 1 or there is one call), and returns when all have returned. Each
// index is taken by exactly one call, in order; `work` must not throw.
void parallel_for(std::size_t count, std::size_t max_concurrent, const std::function<void(std::size_t)>& work);

}  // namespace smbreaper::common
