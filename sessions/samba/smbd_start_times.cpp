#include "sessions/samba/smbd_start_times.h"

namespace smbreaper::sessions {

SmbdStartTimes::SmbdStartTimes(ReadStartTicks read_start_ticks) : read_start_ticks_(std::move(read_start_ticks)) {}

std::optional<std::uint64_t> SmbdStartTimes::start_ticks(pid_t pid, std::uint64_t unique_id) {
    const std::pair key{pid, unique_id};
    if (const auto found = known_.find(key); found != known_.end()) {
        found->second.asked = true;
        return found->second.start_ticks;
    }
    const std::optional<std::uint64_t> ticks = read_start_ticks_(pid);
    if (ticks) known_[key] = Process{*ticks, true};
    return ticks;
}

void SmbdStartTimes::end_poll() {
    std::erase_if(known_, [](const auto& entry) { return !entry.second.asked; });
    for (auto& [key, process] : known_) process.asked = false;
}

}  // namespace smbreaper::sessions
