#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rules/comparison.h"
#include "rules/condition.h"
#include "rules/text_matcher.h"
#include "sessions/open_file_record.h"

namespace smbreaper::rules {

// The `files:` of a close_files rule: which of a matched session's opens it closes. Every test
// given must hold for certain; a test on an unknown value is unknown, and an unknown open is not
// closed (an open whose access is unknown is not read-only, nor certainly writing).
struct OpenFileSelector {
    std::optional<TextMatcher> path;   // the share-relative path (else the path) matches
    std::vector<Comparison> open_for;  // since it was opened (or first seen); any holds; empty: not tested
    std::optional<bool> writes;        // write, append or delete access

    Truth selects(const sessions::OpenFileRecord& open, std::chrono::system_clock::time_point now) const;
    std::string describe() const;  // "path like '*.pst' and open_for > 8h and writes == false"
};

// The opens of `opens` that `session` holds by SessionId (an open whose session is unknown is
// never taken) and that `selector` selects for certain at `now`.
std::vector<const sessions::OpenFileRecord*> select_opens(const OpenFileSelector& selector,
                                                          const sessions::SessionRecord& session,
                                                          const std::vector<sessions::OpenFileRecord>& opens,
                                                          std::chrono::system_clock::time_point now);

}  // namespace smbreaper::rules
