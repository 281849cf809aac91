#include "rules/evaluator.h"

#include <array>
#include <cstring>

namespace smbreaper {

std::string_view to_string(PolicyMode mode) { return mode == PolicyMode::Enforce ? "enforce" : "audit"; }

std::string_view to_string(RuleAction action) {
    switch (action) {
        case RuleAction::Close: return "close";
        case RuleAction::Keep: return "keep";
        case RuleAction::Audit: return "audit";
    }
    return "keep";
}

std::string_view to_string(Guard guard) {
    switch (guard) {
        case Guard::None: return "";
        case Guard::MachineAccounts: return "machine_accounts";
        case Guard::NonDefaultInstances: return "non_default_instances";
        case Guard::OpenFiles: return "open_files";
    }
    return "";
}

std::string_view to_string(VerdictKind verdict) {
    switch (verdict) {
        case VerdictKind::Keep: return "keep";
        case VerdictKind::Close: return "close";
        case VerdictKind::Audit: return "audit";
    }
    return "keep";
}

Evaluator::Evaluator(const Policy& policy, LocalTime now) : policy_(policy) {
    for (const Rule& rule : policy.rules) {
        if (rule.enabled && (!rule.when || rule.when->contains(now))) active_rules_.push_back(&rule);
    }
}

Guard Evaluator::guard_for(const Rule& rule, const SessionRecord& session) const {
    const Protections& protect = policy_.settings.protect;
    if (protect.machine_accounts && !session.client_user_name.empty() && session.client_user_name.back() == '$') {
        return Guard::MachineAccounts;
    }
    if (protect.non_default_instances && session.smb_instance != SmbInstance::Default) {
        return Guard::NonDefaultInstances;
    }
    // Unknown open files count as open: closing could lose unsaved data.
    if (protect.open_files && !rule.allow_open_files && (!session.num_opens || *session.num_opens > 0)) {
        return Guard::OpenFiles;
    }
    return Guard::None;
}

Verdict Evaluator::evaluate(const SessionRecord& session) const {
    SessionView view{session, std::nullopt};
    if (policy_.client_networks_used) view.client_address = parse_ip_address(session.client_computer_name);
    // Room to keep each distinct test's result for this session (see SessionView), on the stack:
    // evaluation allocates nothing. A policy with more distinct tests than that keeps none.
    std::array<std::uint8_t, 2048> test_results;
    if (policy_.distinct_tests <= test_results.size()) {
        std::memset(test_results.data(), 0, policy_.distinct_tests);
        view.test_results = test_results.data();
    }

    for (const Rule* rule : active_rules_) {
        // Doubt never closes. A close or audit rule must match for certain, and an exception that
        // might hold (unknown) stops it. A keep rule keeps when it might match, unless one of its
        // exceptions holds for certain.
        const bool keeps = rule->action == RuleAction::Keep;
        const Truth match = rule->match.evaluate(view);
        if (match == Truth::False || (match == Truth::Unknown && !keeps)) continue;
        bool excepted = false;
        for (const Condition& exception : rule->exceptions) {
            const Truth holds = exception.evaluate(view);
            if (holds == Truth::True || (holds == Truth::Unknown && !keeps)) {
                excepted = true;
                break;
            }
        }
        if (excepted) continue;

        Verdict verdict;
        verdict.rule = rule;
        if (rule->action == RuleAction::Keep) return verdict;
        verdict.guard = guard_for(*rule, session);
        if (verdict.guard == Guard::None) {
            verdict.kind = rule->action == RuleAction::Close ? VerdictKind::Close : VerdictKind::Audit;
        }
        return verdict;
    }
    return Verdict{};
}

bool exceeds_close_fraction(const Limits& limits, std::size_t closes, std::size_t total) {
    if (total == 0 || closes == 0) return false;
    return static_cast<double>(closes) > limits.max_close_fraction * static_cast<double>(total);
}

}  // namespace smbreaper
