#include "service/reaper_cycle.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "rules/evaluator.h"
#include "service/connection_closer.h"
#include "storage/audit_errors.h"

namespace smbreaper {
namespace {

std::string describe(const SessionRecord& s) {
    return "session " + std::to_string(s.session_id) + " (user " + shown(s.client_user_name) + ", client " +
           shown(s.client_computer_name) + ", idle " + (s.seconds_idle ? std::to_string(*s.seconds_idle) + "s" : "unknown") +
           ")";
}

void count_outcome(Outcome outcome, CycleReport& report) {
    switch (outcome) {
        case Outcome::Closed: ++report.closed; break;
        case Outcome::Vanished: ++report.vanished; break;
        case Outcome::Failed: ++report.failed; break;
        case Outcome::Refused: ++report.refused; break;
        default: break;
    }
}

}  // namespace

ReaperCycle::ReaperCycle(SessionTable& table, AuditStore& audit, Options options)
    : table_(table), audit_(audit), options_(std::move(options)) {}

void ReaperCycle::policy_replaced() {
    streaks_.clear();
    limit_tripped_ = false;
}

Mode ReaperCycle::mode_for(const LoadedPolicy& policy) const {
    return options_.force_audit_mode || policy.policy.settings.mode == PolicyMode::Audit ? Mode::Audit
                                                                                   : Mode::Enforce;
}

AuditEntry ReaperCycle::stamped(AuditEntry entry, const LoadedPolicy& policy) const {
    entry.host = options_.host;
    entry.source = table_.name();
    entry.mode = mode_for(policy);
    entry.policy_sha256 = policy.sha256;
    return entry;
}

std::optional<std::vector<AuditEntry>> ReaperCycle::append_or_report(std::vector<AuditEntry> entries,
                                                                      std::string_view what, CycleReport& report) {
    try {
        const PhaseTimer timer(report.phases, "audit");
        return audit_.append(std::move(entries));
    } catch (const std::exception& error) {  // AuditError, and anything else: no exception leaves a cycle
        report.audit_failed = true;
        spdlog::critical("the audit trail refused {}: {}", what, error.what());
        return std::nullopt;
    }
}

bool ReaperCycle::flush_unwritten_outcomes() {
    if (unwritten_outcomes_.empty()) return true;
    try {
        audit_.append_outcomes(unwritten_outcomes_);
        spdlog::warn("wrote {} closure outcomes that the audit trail had refused earlier", unwritten_outcomes_.size());
        unwritten_outcomes_.clear();
        return true;
    } catch (const std::exception& error) {
        spdlog::critical("the audit trail still refuses {} closure outcomes ({}); closing nothing until it accepts them",
                         unwritten_outcomes_.size(), error.what());
        return false;
    }
}

void ReaperCycle::record_limit_tripped(const LoadedPolicy& policy, const ClosePlan& plan, std::size_t table_size,
                                       CycleReport& report) {
    report.limit_tripped = true;
    const std::string message = "closing " + std::to_string(plan.would_close) + " of " + std::to_string(table_size) +
                                " sessions exceeds max_close_fraction " +
                                std::to_string(policy.policy.settings.limits.max_close_fraction) +
                                ": this cycle closes nothing";
    spdlog::critical("safety limit: {}", message);
    if (limit_tripped_) return;  // recorded when it started to trip
    limit_tripped_ = true;
    AuditEntry event = stamped(event_entry(EntryKind::LimitTripped,
                                           nlohmann::json{{"limit", "max_close_fraction"},
                                                          {"would_close", plan.would_close},
                                                          {"sessions", table_size},
                                                          {"max_close_fraction",
                                                           policy.policy.settings.limits.max_close_fraction}}
                                               .dump()),
                               policy);
    event.error = message;
    append_or_report({std::move(event)}, "the limit-tripped event", report);
}

CycleReport ReaperCycle::run_once(const LoadedPolicy& policy, LocalTime now,
                                  const std::function<bool()>& stop_requested) {
    CycleReport report;
    if (!flush_unwritten_outcomes()) {
        report.audit_failed = true;
        return report;
    }

    SessionSnapshot snapshot;
    const auto list_started = std::chrono::steady_clock::now();
    try {
        snapshot = table_.list();
    } catch (const std::exception& error) {  // SourceError, and anything else a source may throw
        report.source_ok = false;
        report.source_error = error.what();
        spdlog::error("cannot read the session table: {}; closing nothing this cycle", error.what());
        AuditEntry event = stamped(event_entry(EntryKind::SourceError), policy);
        event.error = error.what();
        append_or_report({std::move(event)}, "the source-error event", report);
        return report;
    }
    report.sessions = snapshot.sessions.size();
    if (snapshot.phases.phases().empty()) {
        report.phases.add("list", std::chrono::steady_clock::now() - list_started);
    } else {
        report.phases.add(snapshot.phases);
    }

    const Policy& rules = policy.policy;
    std::vector<const SessionRecord*> selected;
    std::vector<Verdict> selected_verdicts;
    {
        const PhaseTimer timer(report.phases, "evaluate");
        const Evaluator evaluator(rules, now);
        for (const SessionRecord& session : snapshot.sessions) {
            const Verdict verdict = evaluator.evaluate(session);
            if (verdict.guard != Guard::None) {
                spdlog::debug("guard {} keeps {} from rule {}", to_string(verdict.guard), describe(session),
                              verdict.rule->name);
            }
            if (verdict.kind == VerdictKind::Keep) continue;
            selected.push_back(&session);
            selected_verdicts.push_back(verdict);
        }
    }
    report.selected = selected.size();
    const std::vector<std::uint64_t> streaks = streaks_.record_poll(selected);

    const bool audit_mode = mode_for(policy) == Mode::Audit;
    const std::uint64_t confirm_polls = rules.settings.limits.confirm_polls;
    std::vector<AuditEntry> what_if_entries;
    std::vector<CloseCandidate> confirmed_closes;
    for (std::size_t i = 0; i < selected.size(); ++i) {
        if (streaks[i] < confirm_polls) continue;
        ++report.confirmed;
        const Verdict& verdict = selected_verdicts[i];
        const bool records_what_if = verdict.kind == VerdictKind::Audit || audit_mode;
        if (records_what_if) {
            if (streaks[i] != confirm_polls) continue;  // recorded once, when first confirmed
            AuditEntry entry = stamped(closure_entry(*selected[i], Outcome::WhatIf), policy);
            entry.rule = verdict.rule->name;
            entry.action = std::string(to_string(verdict.rule->action));
            what_if_entries.push_back(std::move(entry));
            spdlog::info("what-if: rule {} would close {}", verdict.rule->name, describe(*selected[i]));
            continue;
        }
        confirmed_closes.push_back({selected[i], verdict.rule});
    }
    report.what_if = what_if_entries.size();

    const ClosePlan plan = plan_closes(confirmed_closes, snapshot.sessions, rules.settings.limits);
    report.deferred = plan.deferred.size() + plan.waiting_for_companions.size();
    for (const CloseCandidate& waiting : plan.waiting_for_companions) {
        spdlog::info("waiting: {} shares its connection with a session no rule selects", describe(*waiting.session));
    }
    if (plan.refused) {
        record_limit_tripped(policy, plan, snapshot.sessions.size(), report);
    } else {
        limit_tripped_ = false;
    }

    if (plan.refused || plan.groups.empty()) {
        if (!what_if_entries.empty()) append_or_report(std::move(what_if_entries), "the what-if entries", report);
        return report;
    }
    close_groups(policy, plan, now, std::move(what_if_entries), stop_requested, report);
    return report;
}

void ReaperCycle::close_groups(const LoadedPolicy& policy, const ClosePlan& plan, LocalTime now,
                               std::vector<AuditEntry> what_if_entries, const std::function<bool()>& stop_requested,
                               CycleReport& report) {
    // 1. Every closure is committed as pending before any session is touched.
    const std::size_t first_pending = what_if_entries.size();
    std::vector<AuditEntry> entries = std::move(what_if_entries);
    for (const auto& group : plan.groups) {
        for (const CloseCandidate& candidate : group) {
            AuditEntry entry = stamped(closure_entry(*candidate.session, Outcome::Pending), policy);
            entry.rule = candidate.rule->name;
            entry.action = std::string(to_string(candidate.rule->action));
            entries.push_back(std::move(entry));
        }
    }
    const std::optional<std::vector<AuditEntry>> stored =
        append_or_report(std::move(entries), "the pending closures, so nothing is closed", report);
    if (!stored) return;

    // 2. and 3. Re-read the table, re-check each session under the policy, close what is still
    // selected, and get an outcome for every pending entry.
    std::vector<PendingConnection> connections;
    std::size_t pending_index = first_pending;
    for (const auto& group : plan.groups) {
        PendingConnection& connection = connections.emplace_back();
        for (const CloseCandidate& candidate : group) {
            connection.sessions.push_back(candidate.session);
            connection.pending.push_back((*stored)[pending_index++]);
        }
    }
    const Evaluator evaluator(policy.policy, now);
    ConnectionCloseOptions options;
    options.recheck = [&evaluator](const SessionRecord& current) {
        return evaluator.evaluate(current).kind == VerdictKind::Close
                   ? std::string()
                   : "no longer selected on re-check: " + describe(current);
    };
    options.stop_requested = stop_requested;
    options.stop_reason = "the service was stopping; not closed";
    options.phases = &report.phases;
    std::vector<AuditEntry> outcomes = close_pending_connections(table_, connections, options);

    std::size_t outcome_index = 0;
    for (const auto& group : plan.groups) {
        for (const CloseCandidate& candidate : group) {
            const AuditEntry& outcome = outcomes[outcome_index++];
            spdlog::info("close: rule {} {}: {}{}", candidate.rule->name, describe(*candidate.session),
                         to_string(*outcome.outcome), outcome.error.empty() ? "" : " (" + outcome.error + ")");
        }
    }
    for (const AuditEntry& outcome : outcomes) count_outcome(*outcome.outcome, report);

    // 4. Record how each ended.
    try {
        const PhaseTimer timer(report.phases, "audit");
        audit_.append_outcomes(outcomes);
    } catch (const std::exception& error) {
        report.audit_failed = true;
        unwritten_outcomes_ = std::move(outcomes);
        spdlog::critical("the audit trail refused {} closure outcomes ({}): retrying next cycle, closing nothing until then",
                         unwritten_outcomes_.size(), error.what());
    }
}

}  // namespace smbreaper
