#pragma once

#include <string>

#include "rules/policy.h"

namespace smbreaper::rules {

// One canonical line per rule, as `smbreaper check --explain` prints it:
// "close idle-2h: idle >= 7200s and open_files == 0"
// "close_files stale-pst: idle >= 3600s files path like '*.pst' and open_for > 28800s"
// "close legacy-dialects: dialect < 3.0 except client in lab_clients [allow_open_files]"
std::string explain_rule(const Rule& rule);

}  // namespace smbreaper::rules
