#pragma once

#include <sys/types.h>
#include <optional>
#include <string>

namespace smbreaper::sessions {

// The process that holds a Samba pid file: Samba writes its pid into the file and keeps a lock on
// it while it runs (as Samba's own pidfile_pid() checks), so a file left by a crash is not taken
// for a running server. Absent when the file is missing, unlocked, names another process than the
// lock holder, or that process has ended.
std::optional<pid_t> running_pid_file_owner(const std::string& path);

}  // namespace smbreaper::sessions
