#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <sys/types.h>

namespace smbreaper {

// What Linux' /proc says about one process.

// Running, or stopped, but not ended: a zombie has closed all its files and sockets already
// (whoever must reap it may take a while), so it counts as ended.
bool process_is_running(pid_t pid);

// The inodes of the sockets the process holds (/proc/PID/fd/N -> "socket:[INODE]"). Absent when
// the process is gone or its descriptors cannot be read (another user's process, without root).
std::optional<std::set<std::uint64_t>> socket_inodes_of(pid_t pid);

// How long the process has been running, from its start time in /proc/PID/stat (clock ticks since
// boot) and the boot-time clock, which no wall-clock change moves. Absent when it is gone.
std::optional<std::chrono::seconds> process_age(pid_t pid);

}  // namespace smbreaper
