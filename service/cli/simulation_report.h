#pragma once

#include <string>
#include <vector>

#include "rules/simulation.h"

namespace smbreaper::cli {

// {"mode": ..., "refused": ..., "sessions": [{"verdict", "rule", "guard", ...the record's properties}]}
std::string simulation_json(const rules::Policy& policy, const std::vector<sessions::SessionRecord>& sessions,
                            const rules::Simulation& simulation);

// A table, one session a line, and a summary line.
std::string simulation_text(const rules::Policy& policy, const std::vector<sessions::SessionRecord>& sessions,
                            const rules::Simulation& simulation);

}  // namespace smbreaper::cli
