#pragma once

#include <cstddef>
#include <vector>

#include "rules/policy.h"
#include "sessions/open_file_record.h"

namespace smbreaper::closing {

// An open file a close_files rule selected, confirmed over enough polls.
struct FileCloseCandidate {
    const sessions::OpenFileRecord* open = nullptr;
    const rules::Rule* rule = nullptr;
};

// What one cycle will close of the open files its close_files rules selected, after the limits.
struct FileClosePlan {
    std::vector<FileCloseCandidate> closes;
    std::size_t deferred = 0;  // over max_closes_per_cycle: they wait for the next cycle
    bool refused = false;      // closing them all would exceed max_close_fraction of the opens listed
};

// The safety limits, applied to open files as to sessions: when the candidates are more than
// max_close_fraction of the `opens_listed`, nothing is closed; otherwise the longest-open come
// first (opened or first seen earliest; unknown last), up to max_closes_per_cycle.
FileClosePlan plan_file_closes(std::vector<FileCloseCandidate> candidates, std::size_t opens_listed,
                               const rules::Limits& limits);

}  // namespace smbreaper::closing
