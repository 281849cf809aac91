#pragma once

#include <string>
#include <vector>

#include "rules/simulation.h"
#include "sessions/session_table.h"

namespace smbreaper::cli {

// {"mode": ..., "refused": ..., "files_refused": ..., "sessions": [{"verdict", "rule", "guard",
// ...the record's properties}]}; a close_files verdict adds "FilesToClose": the opens it would
// close (null when the open files are unknown).
std::string simulation_json(const rules::Policy& policy, const sessions::SessionSnapshot& table,
                            const rules::Simulation& simulation);

// A table, one session a line; the open files the close_files verdicts would close, when any;
// and a summary line.
std::string simulation_text(const rules::Policy& policy, const sessions::SessionSnapshot& table,
                            const rules::Simulation& simulation);

}  // namespace smbreaper::cli
