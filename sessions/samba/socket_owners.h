#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <set>
#include <utility>

namespace smbreaper::sessions {

// Which smbd process holds which socket, read from /proc/PID/fd and remembered across polls.
//
// Reading /proc/PID/fd takes a system call per open file of the process, about 30 for an smbd:
// 6,000 calls a poll for 200 sessions, which cost more than smbstatus itself on a busy machine.
// The answer hardly changes: an smbd child serves one client connection from its start to its
// end. So a process' sockets are read when it is first asked about, and again only when it is
// asked about a socket it was not seen to hold (at most once a poll). A process is known by its
// pid and its start time, so a pid the kernel hands out again is a new process, read afresh.
class SocketOwners {
public:
    // Whether the process `pid`, started at `start_ticks` (process_start_ticks), holds the socket
    // with that inode. False when its descriptors cannot be read (it has ended; not root).
    bool holds(pid_t pid, std::uint64_t start_ticks, std::uint64_t inode);

    // Ends a poll: forgets the processes not asked about during it, so memory follows the table.
    void end_poll();

    std::size_t processes_known() const { return processes_.size(); }

private:
    struct Process {
        std::set<std::uint64_t> inodes;  // as last read from /proc/PID/fd
        bool asked = false;              // during this poll
        bool read = false;               // during this poll
    };
    std::map<std::pair<pid_t, std::uint64_t>, Process> processes_;
};

}  // namespace smbreaper::sessions
