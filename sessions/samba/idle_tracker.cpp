#include "sessions/samba/idle_tracker.h"

#include <algorithm>

namespace smbreaper::sessions {

bool is_keepalive_traffic(std::uint64_t new_bytes, std::uint32_t new_data_segments) {
    return new_bytes % smb2_echo_request_bytes == 0 && new_bytes / smb2_echo_request_bytes <= new_data_segments;
}

void IdleTracker::update(const std::vector<ConnectionSample>& samples, Clock::time_point observed_at) {
    std::map<ConnectionKey, History> updated;
    for (const ConnectionSample& sample : samples) {
        const TcpReceiveCounters& now = sample.counters;
        const Clock::time_point last_data = observed_at - now.since_last_data_received;
        History history{now, last_data};

        const auto previous = histories_.find(sample.key);
        if (previous != histories_.end() && now.bytes_received >= previous->second.counters.bytes_received) {
            const TcpReceiveCounters& before = previous->second.counters;
            // The segment counter is 32 bits: unsigned subtraction is right across a wrap.
            const std::uint32_t new_segments = now.data_segments_received - before.data_segments_received;
            const std::uint64_t new_bytes = now.bytes_received - before.bytes_received;
            history.last_activity = is_keepalive_traffic(new_bytes, new_segments)
                                        ? previous->second.last_activity
                                        : std::max(previous->second.last_activity, last_data);
        }
        updated.emplace(sample.key, history);
    }
    histories_ = std::move(updated);
    last_update_ = observed_at;
}

std::optional<std::chrono::milliseconds> IdleTracker::idle_time(const ConnectionKey& key) const {
    const auto found = histories_.find(key);
    if (found == histories_.end()) return std::nullopt;
    const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(last_update_ - found->second.last_activity);
    return std::max(idle, std::chrono::milliseconds(0));
}

}  // namespace smbreaper::sessions
