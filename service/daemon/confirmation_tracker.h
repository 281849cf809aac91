#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "sessions/open_file_record.h"

#include "sessions/session_identity.h"
#include "sessions/session_record.h"

namespace smbreaper::daemon {

// Counts, per session, how many consecutive polls selected it, so that a session is closed only
// after `confirm_polls` polls in a row. A session is known by its whole identity
// (sessions/session_identity.h), so that a reused SessionId does not inherit another session's
// history.
class ConfirmationTracker {
public:
    // Records one poll: `selected` are this poll's selected sessions; every other session's count
    // starts again from zero. Returns, for each selected session in order, its consecutive count
    // including this poll.
    std::vector<std::uint64_t> record_poll(const std::vector<const sessions::SessionRecord*>& selected);

    // Forgets everything, e.g. after a policy change.
    void clear() { streaks_.clear(); }
    std::size_t tracked() const { return streaks_.size(); }

private:
    std::unordered_map<sessions::SessionIdentity, std::uint64_t, sessions::SessionIdentityHash> streaks_;
};

// The same for the opens close_files rules select: each open is closed only after it has been
// selected `confirm_polls` polls in a row, whatever its session's other opens did. An open is
// known by its FileId, its session's SessionId and its path, so that a reused FileId starts anew.
class OpenFileConfirmationTracker {
public:
    // Records one poll: `selected` are this poll's selected opens; every other open's count
    // starts again from zero. Returns, for each in order, its consecutive count including this poll.
    std::vector<std::uint64_t> record_poll(const std::vector<const sessions::OpenFileRecord*>& selected);

    void clear() { streaks_.clear(); }

private:
    using OpenKey = std::tuple<std::string, std::optional<std::uint64_t>, std::optional<std::string>>;
    std::map<OpenKey, std::uint64_t> streaks_;
};

}  // namespace smbreaper::daemon
