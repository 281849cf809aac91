#pragma once

#include <string>
#include <vector>

#include "rules/simulation.h"

namespace smbreaper::cli {

// {"mode": ..., "refused": ..., "sessions": [{"verdict", "rule", "guard", ...the record's properties}]}
std::string simulation_json(const Policy& policy, const std::vector<SessionRecord>& sessions,
                            const Simulation& simulation);

// A table, one session a line, and a summary line.
std::string simulation_text(const Policy& policy, const std::vector<SessionRecord>& sessions,
                            const Simulation& simulation);

}  // namespace smbreaper::cli
