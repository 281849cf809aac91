#include "service/confirmation_tracker.h"

#include <string_view>

namespace smbreaper {
namespace {

// FNV-1a: a fingerprint, not a security boundary. Text is folded to lower case so that the same
// user reported as "CORP\Alice" and "corp\alice" stays one identity.
std::uint64_t fold_into(std::uint64_t hash, std::string_view text) {
    for (char c : text) {
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        hash ^= static_cast<unsigned char>(lower);
        hash *= 1099511628211ull;
    }
    hash ^= 0xFF;  // separator, so ("ab", "c") and ("a", "bc") differ
    hash *= 1099511628211ull;
    return hash;
}

}  // namespace

std::uint64_t ConfirmationTracker::identity_of(const SessionRecord& session) {
    std::uint64_t hash = 14695981039346656037ull;
    for (int shift = 0; shift < 64; shift += 8) {
        hash ^= (session.session_id >> shift) & 0xFF;
        hash *= 1099511628211ull;
    }
    hash = fold_into(hash, session.client_user_name);
    return fold_into(hash, session.client_computer_name);
}

std::vector<std::uint64_t> ConfirmationTracker::record_poll(const std::vector<const SessionRecord*>& selected) {
    std::unordered_map<std::uint64_t, std::uint64_t> next;
    next.reserve(selected.size());
    std::vector<std::uint64_t> counts;
    counts.reserve(selected.size());
    for (const SessionRecord* session : selected) {
        const std::uint64_t identity = identity_of(*session);
        const auto previous = streaks_.find(identity);
        const std::uint64_t count = (previous == streaks_.end() ? 0 : previous->second) + 1;
        next[identity] = count;
        counts.push_back(count);
    }
    streaks_ = std::move(next);
    return counts;
}

}  // namespace smbreaper
