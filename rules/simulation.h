#pragma once

#include <cstddef>
#include <vector>

#include "rules/evaluator.h"

namespace smbreaper::rules {

// What a policy would decide for a whole table in one poll.
struct Simulation {
    std::vector<Verdict> verdicts;  // one per session, in table order
    std::size_t closes = 0;
    std::size_t audits = 0;
    std::size_t keeps = 0;
    std::size_t guarded = 0;  // keeps that a guard decided
    bool refused = false;     // max_close_fraction would stop the cycle: nothing would close
};

Simulation simulate(const Policy& policy, const std::vector<sessions::SessionRecord>& sessions, LocalTime now);

}  // namespace smbreaper::rules
