#pragma once

#include <string_view>

#include "rules/flat_conditions.h"
#include "rules/policy.h"

namespace smbreaper::rules {

// The built-in protections that override a close or audit rule.
enum class Guard { None, MachineAccounts, NonDefaultInstances, OpenFiles };
std::string_view to_string(Guard guard);  // "machine_accounts", ...

// CloseFiles: the session stays; the opens its rule's `files` selects are closed.
enum class VerdictKind { Keep, Close, CloseFiles, Audit };
std::string_view to_string(VerdictKind verdict);  // "keep", "close", "close_files", "audit"

struct Verdict {
    VerdictKind kind = VerdictKind::Keep;
    const Rule* rule = nullptr;  // the rule that decided; null when none matched
    Guard guard = Guard::None;   // set when a guard turned the rule's close or audit into keep
};

// Decides each session's fate under a policy: the first enabled rule whose `when` is active,
// whose match holds (certainly, not just possibly) and none of whose exceptions holds or might
// hold, decides; then the guards may turn close or audit into keep. No rule: keep.
class Evaluator {
public:
    Evaluator(const Policy& policy, LocalTime now);

    Verdict evaluate(const sessions::SessionRecord& session) const;

private:
    Guard guard_for(const Rule& rule, const sessions::SessionRecord& session) const;

    // A rule enabled and inside its `when` at `now`, with where its conditions start in conditions_.
    struct ActiveRule {
        const Rule* rule;
        std::uint32_t match;
        std::uint32_t match_gate;  // FlatConditions::gate_of(match)
        std::uint32_t exceptions;  // any of them; FlatConditions::kNone when it has none
        bool keeps;                // a keep rule
    };

    const Policy& policy_;
    FlatConditions conditions_;
    std::vector<ActiveRule> active_rules_;
};

// True when closing `closes` of `total` sessions exceeds settings.limits.max_close_fraction, in
// which case the cycle must close nothing.
bool exceeds_close_fraction(const Limits& limits, std::size_t closes, std::size_t total);

}  // namespace smbreaper::rules
