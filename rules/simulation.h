#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "rules/evaluator.h"

namespace smbreaper::rules {

// The opens a close_files verdict would close.
struct FileSelection {
    std::size_t session = 0;  // its index in the table
    std::vector<const sessions::OpenFileRecord*> opens;
};

// What a policy would decide for a whole table in one poll.
struct Simulation {
    std::vector<Verdict> verdicts;  // one per session, in table order
    std::size_t closes = 0;
    std::size_t close_files = 0;  // close_files verdicts: the session stays, some of its opens close
    std::size_t audits = 0;
    std::size_t keeps = 0;
    std::size_t guarded = 0;  // keeps that a guard decided
    bool refused = false;     // max_close_fraction would stop the cycle: nothing would close
    // For each close_files verdict with opens to close, in table order; empty when the open files
    // are not known.
    std::vector<FileSelection> file_closes;
    std::size_t files = 0;       // opens selected, in all
    bool files_refused = false;  // closing them would exceed max_close_fraction of the opens listed
};

// `opens` are the open files listed with the table (unknown when absent: a close_files verdict
// then closes nothing), taken at `taken_at`.
Simulation simulate(const Policy& policy, const std::vector<sessions::SessionRecord>& sessions, LocalTime now,
                    const std::optional<std::vector<sessions::OpenFileRecord>>& opens = std::nullopt,
                    std::chrono::system_clock::time_point taken_at = {});

}  // namespace smbreaper::rules
