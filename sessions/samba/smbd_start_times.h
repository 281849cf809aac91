#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>

#include "sessions/samba/proc_process.h"

namespace smbreaper::sessions {

// The start time (process_start_ticks) of each smbd process, read from /proc once per process and
// remembered across polls.
//
// Reading /proc/PID/stat for every session every poll cost as much as parsing smbstatus' whole
// document at 200 sessions (docs/BENCHMARKS.md), for an answer that never changes. Samba gives
// every process a random 64-bit unique_id when it starts, so a pid and a unique_id name one
// process for its whole life: a pid the kernel hands out again comes with another unique_id and
// is read afresh. A failed read (the process has ended) is not remembered.
class SmbdStartTimes {
public:
    using ReadStartTicks = std::function<std::optional<std::uint64_t>(pid_t)>;

    explicit SmbdStartTimes(ReadStartTicks read_start_ticks = process_start_ticks);

    std::optional<std::uint64_t> start_ticks(pid_t pid, std::uint64_t unique_id);

    // Ends a poll: forgets the processes not asked about during it, so memory follows the table.
    void end_poll();

    std::size_t processes_known() const { return known_.size(); }

private:
    struct Process {
        std::uint64_t start_ticks = 0;
        bool asked = false;  // during this poll
    };
    ReadStartTicks read_start_ticks_;
    std::map<std::pair<pid_t, std::uint64_t /*unique_id*/>, Process> known_;
};

}  // namespace smbreaper::sessions
