#include "service/daemon/confirmation_tracker.h"

namespace smbreaper::daemon {
using smbreaper::sessions::identity_of;
using smbreaper::sessions::SessionIdentity;
using smbreaper::sessions::SessionIdentityHash;
using smbreaper::sessions::SessionRecord;

std::vector<std::uint64_t> ConfirmationTracker::record_poll(const std::vector<const SessionRecord*>& selected) {
    std::unordered_map<SessionIdentity, std::uint64_t, SessionIdentityHash> next;
    next.reserve(selected.size());
    std::vector<std::uint64_t> counts;
    counts.reserve(selected.size());
    for (const SessionRecord* session : selected) {
        SessionIdentity identity = identity_of(*session);
        const auto previous = streaks_.find(identity);
        const std::uint64_t count = (previous == streaks_.end() ? 0 : previous->second) + 1;
        next[std::move(identity)] = count;
        counts.push_back(count);
    }
    streaks_ = std::move(next);
    return counts;
}

std::vector<std::uint64_t> OpenFileConfirmationTracker::record_poll(
    const std::vector<const sessions::OpenFileRecord*>& selected) {
    std::map<OpenKey, std::uint64_t> next;
    std::vector<std::uint64_t> counts;
    counts.reserve(selected.size());
    for (const sessions::OpenFileRecord* open : selected) {
        OpenKey key{open->file_id, open->session_id, open->path};
        const auto previous = streaks_.find(key);
        const std::uint64_t count = (previous == streaks_.end() ? 0 : previous->second) + 1;
        next[std::move(key)] = count;
        counts.push_back(count);
    }
    streaks_ = std::move(next);
    return counts;
}

}  // namespace smbreaper::daemon
