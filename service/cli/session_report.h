#pragma once

#include <string>
#include <vector>

#include "common/json_writer.h"
#include "rules/evaluator.h"

namespace smbreaper::cli {

// How `sessions` and `simulate` print a session table. `verdicts` is empty (no policy) or holds
// one verdict per session, which then adds its verdict, rule and guard.

// Aligned columns: SessionId, User, Client, Idle, Age, Opens, Dialect [, Verdict, Rule, Guard].
std::string sessions_text(const std::vector<const sessions::SessionRecord*>& sessions,
                          const std::vector<rules::Verdict>& verdicts);

// A JSON array of objects with MSFT_SmbSession's property names, one a line, preceded by
// "verdict", "rule" and "guard" when there are verdicts: a snapshot file that `simulate` and the
// snapshot source read back.
std::string sessions_json(const std::vector<const sessions::SessionRecord*>& sessions,
                          const std::vector<rules::Verdict>& verdicts);

// CSV for Excel (storage/csv.h) with the MSFT_SmbSession properties [, Verdict, Rule, Guard].
std::string sessions_csv(const std::vector<const sessions::SessionRecord*>& sessions,
                         const std::vector<rules::Verdict>& verdicts);

// Writes "verdict", "rule" and "guard" (null when none) into the object being written.
void write_verdict_properties(common::JsonWriter& json, const rules::Verdict& verdict);

}  // namespace smbreaper::cli
