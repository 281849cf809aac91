#include "rules/evaluator.h"

#include <algorithm>
#include <array>

namespace smbreaper::rules {
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;

std::string_view to_string(PolicyMode mode) { return mode == PolicyMode::Enforce ? "enforce" : "audit"; }

std::string_view to_string(RuleAction action) {
    switch (action) {
        case RuleAction::Close: return "close";
        case RuleAction::CloseFiles: return "close_files";
        case RuleAction::Keep: return "keep";
        case RuleAction::Audit: return "audit";
    }
    return "keep";
}

std::string_view to_string(OpenFilesProtection protection) {
    switch (protection) {
        case OpenFilesProtection::Off: return "false";
        case OpenFilesProtection::Any: return "any";
        case OpenFilesProtection::Writes: return "writes";
    }
    return "any";
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
        case VerdictKind::CloseFiles: return "close_files";
        case VerdictKind::Audit: return "audit";
    }
    return "keep";
}

namespace {

VerdictKind kind_of(RuleAction action) {
    switch (action) {
        case RuleAction::Close: return VerdictKind::Close;
        case RuleAction::CloseFiles: return VerdictKind::CloseFiles;
        case RuleAction::Audit: return VerdictKind::Audit;
        case RuleAction::Keep: return VerdictKind::Keep;
    }
    return VerdictKind::Keep;
}

}  // namespace

Evaluator::Evaluator(const Policy& policy, LocalTime now) : policy_(policy) {
    for (const Rule& rule : policy.rules) {
        if (!rule.enabled || (rule.when && !rule.when->contains(now))) continue;
        const std::uint32_t match = conditions_.add(rule.match);
        const std::uint32_t exceptions =
            rule.exceptions.empty() ? FlatConditions::kNone : conditions_.add_any(rule.exceptions);
        active_rules_.push_back(
            {&rule, match, conditions_.gate_of(match), exceptions, rule.action == RuleAction::Keep});
    }
}

Guard Evaluator::guard_for(const Rule& rule, const SessionRecord& session) const {
    // A value the guard needs but the source did not give counts as the protected case: doubt
    // never closes.
    const Protections& protect = policy_.settings.protect;
    const std::optional<std::string>& user = session.client_user_name;
    if (protect.machine_accounts && (!user || (!user->empty() && user->back() == '$'))) {
        return Guard::MachineAccounts;
    }
    if (protect.non_default_instances && session.smb_instance != SmbInstance::Default) {
        return Guard::NonDefaultInstances;
    }
    // Unknown open files count as open, and an open of unknown access (or a session whose opens
    // were not all listed) as one that writes: closing could lose unsaved data. A close_files rule
    // ends no session: its `files` says which opens it closes.
    if (protect.open_files != OpenFilesProtection::Off && !rule.allow_open_files &&
        rule.action != RuleAction::CloseFiles) {
        // Opens listed after NumOpens was read count too: they are evidence of an open file.
        const bool listed_any =
            (session.write_opens && *session.write_opens > 0) || (session.open_paths && !session.open_paths->empty());
        const bool holds_any = !session.num_opens || *session.num_opens > 0 || listed_any;
        // Read-only is proven only against a known count of opens.
        const bool may_write = !session.write_opens || *session.write_opens > 0 || !session.num_opens;
        const bool guarded = protect.open_files == OpenFilesProtection::Any ? holds_any : holds_any && may_write;
        if (guarded) return Guard::OpenFiles;
    }
    return Guard::None;
}

Verdict Evaluator::evaluate(const SessionRecord& session) const {
    SessionView view{session, std::nullopt};
    if (policy_.client_networks_used && session.client_computer_name) {
        view.client_address = parse_ip_address(*session.client_computer_name);
    }
    // Room to keep each distinct test's result for this session (see SessionView), on the stack:
    // evaluation allocates nothing. A policy with more distinct tests than that keeps none.
    std::array<KeptTruth, 2048> test_results;
    if (conditions_.test_count() <= test_results.size()) {
        std::fill_n(test_results.begin(), conditions_.test_count(), KeptTruth::Untried);
        view.test_results = test_results.data();
    }

    for (const ActiveRule& active : active_rules_) {
        // Doubt never closes. A close or audit rule must match for certain, and an exception that
        // might hold (unknown) stops it. A keep rule keeps when it might match, unless one of its
        // exceptions holds for certain.
        const bool keeps = active.keeps;
        if (active.match_gate != FlatConditions::kNone &&
            conditions_.test_result(active.match_gate, view) == Truth::False) {
            continue;
        }
        const Truth match = conditions_.evaluate(active.match, view);
        if (match == Truth::False || (match == Truth::Unknown && !keeps)) continue;
        if (active.exceptions != FlatConditions::kNone) {
            const Truth excepted = conditions_.evaluate(active.exceptions, view);
            if (excepted == Truth::True || (excepted == Truth::Unknown && !keeps)) continue;
        }

        Verdict verdict;
        verdict.rule = active.rule;
        if (keeps) return verdict;
        verdict.guard = guard_for(*active.rule, session);
        if (verdict.guard == Guard::None) {
            verdict.kind = kind_of(active.rule->action);
        }
        return verdict;
    }
    return Verdict{};
}

bool exceeds_close_fraction(const Limits& limits, std::size_t closes, std::size_t total) {
    if (total == 0 || closes == 0) return false;
    return static_cast<double>(closes) > limits.max_close_fraction * static_cast<double>(total);
}

}  // namespace smbreaper::rules
