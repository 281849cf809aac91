#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "rules/policy.h"
#include "sessions/block_target.h"
#include "sessions/session_table.h"

namespace smbreaper::blocking {

// Why `target` must not be blocked, or nothing. Names are exact: a wildcard (`*`, `?`, `[`) or
// PowerShell's escape (`` ` ``) is refused, so a typo cannot block everyone. A client is an IP
// address. A user the machine_accounts guard protects (a name ending in `$`, while the guard is
// on), or anything in settings.blocks.never (compared without regard to case), is refused; so is
// what the source cannot write (SessionTable::block_problem).
std::optional<std::string> block_refusal(const sessions::BlockTarget& target, const rules::Settings& settings,
                                         const sessions::SessionTable& table);

// `--for`: a duration as policies write them, more than zero and at most
// settings.blocks.max_duration; else the message saying what to write.
std::variant<std::chrono::seconds, std::string> block_duration(std::string_view text,
                                                               const rules::BlockSettings& settings);

// Whether `target` covers `session`: the same user, compared without regard to case, or the same
// client address.
bool covers(const sessions::BlockTarget& target, const sessions::SessionRecord& session);

}  // namespace smbreaper::blocking
