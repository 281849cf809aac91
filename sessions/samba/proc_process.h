#pragma once

#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>

namespace smbreaper::sessions {

// What Linux' /proc says about one process.

// Running, or stopped, but not ended: a zombie has closed all its files and sockets already
// (whoever must reap it may take a while), so it counts as ended.
bool process_is_running(pid_t pid);

// The inodes of the sockets the process holds (/proc/PID/fd/N -> "socket:[INODE]"). Absent when
// the process is gone or its descriptors cannot be read (another user's process, without root).
std::optional<std::set<std::uint64_t>> socket_inodes_of(pid_t pid);

// When the process started, in clock ticks since boot (/proc/PID/stat). With the pid it names one
// process for good: a pid the kernel hands out again comes with another start time. Absent when
// the process is gone.
std::optional<std::uint64_t> process_start_ticks(pid_t pid);

// How long ago a process that started at `start_ticks` started, on the boot-time clock, which no
// wall-clock change moves.
std::chrono::seconds age_since(std::uint64_t start_ticks);

// process_start_ticks and age_since together. Absent when the process is gone.
std::optional<std::chrono::seconds> process_age(pid_t pid);

}  // namespace smbreaper::sessions
