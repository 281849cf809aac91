#include "service/daemon/reaper_cycle.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "rules/evaluator.h"
#include "service/closing/connection_closer.h"
#include "service/closing/file_closer.h"
#include "storage/audit_errors.h"

namespace smbreaper::daemon {
using smbreaper::closing::close_pending_connections;
using smbreaper::closing::CloseCandidate;
using smbreaper::closing::ClosePlan;
using smbreaper::closing::ConnectionCloseOptions;
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::each_session;
using smbreaper::closing::FileCloseCandidate;
using smbreaper::closing::FileCloseOptions;
using smbreaper::closing::FileClosePlan;
using smbreaper::closing::FileClosure;
using smbreaper::closing::outcomes_of;
using smbreaper::closing::plan_closes;
using smbreaper::closing::plan_file_closes;
using smbreaper::closing::SessionClosure;
using smbreaper::closing::take_stored_pending;
using smbreaper::common::PhaseTimer;
using smbreaper::config::LoadedPolicy;
using smbreaper::rules::Evaluator;
using smbreaper::rules::Guard;
using smbreaper::rules::LocalTime;
using smbreaper::rules::PolicyMode;
using smbreaper::rules::select_opens;
using smbreaper::rules::to_string;
using smbreaper::rules::Verdict;
using smbreaper::rules::VerdictKind;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::shown;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::to_string;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditStore;
using smbreaper::storage::closure_entry;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::file_closure_entry;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_string;

namespace {

std::string describe(const SessionRecord& s) {
    return "session " + std::to_string(s.session_id) + " (user " + shown(s.client_user_name) + ", client " +
           shown(s.client_computer_name) + ", idle " +
           (s.seconds_idle ? std::to_string(*s.seconds_idle) + "s" : "unknown") + ")";
}

std::string describe(const OpenFileRecord& open) {
    return "open file " + open.file_id + " (" + shown(open.share_relative_path ? open.share_relative_path : open.path) +
           ", session " + (open.session_id ? std::to_string(*open.session_id) : "unknown") + ", user " +
           shown(open.client_user_name) + ")";
}

// Adds one outcome to the report's counts of sessions, or of open files (CycleReport::FileCounts).
template <typename Counts>
void count_outcome(Outcome outcome, Counts& counts) {
    switch (outcome) {
        case Outcome::Closed: ++counts.closed; break;
        case Outcome::Vanished: ++counts.vanished; break;
        case Outcome::Failed: ++counts.failed; break;
        case Outcome::Refused: ++counts.refused; break;
        default: break;
    }
}

// Counts each session's dialect as the source printed it.
void count_dialects(const std::vector<SessionRecord>& sessions, std::map<std::string, std::size_t>& counts) {
    std::unordered_map<std::string_view, std::size_t> by_dialect;
    for (const SessionRecord& session : sessions) {
        ++by_dialect[session.dialect && !session.dialect->empty() ? std::string_view(*session.dialect) : "unknown"];
    }
    for (const auto& [dialect, count] : by_dialect) counts[std::string(dialect)] += count;
}

// Tallies verdicts by the index of their rule, which costs an array step per session, and names
// them once at the end.
class VerdictCounter {
public:
    explicit VerdictCounter(const std::vector<rules::Rule>& rules) : rules_(rules), counts_(rules.size() + 1) {}

    void add(const Verdict& verdict) {
        const std::size_t index = verdict.rule ? static_cast<std::size_t>(verdict.rule - rules_.data()) : rules_.size();
        ++counts_[index].by_kind[static_cast<std::size_t>(verdict.kind)];
        if (verdict.guard != Guard::None) ++counts_[index].by_guard[static_cast<std::size_t>(verdict.guard)];
    }

    void report_into(CycleReport& report) const {
        for (std::size_t index = 0; index < counts_.size(); ++index) {
            const std::string rule = index < rules_.size() ? rules_[index].name : std::string();
            const Counts& counts = counts_[index];
            for (std::size_t kind = 0; kind < kVerdictKinds; ++kind) {
                if (counts.by_kind[kind] == 0) continue;
                report.verdicts[{rule, std::string(to_string(static_cast<VerdictKind>(kind)))}] += counts.by_kind[kind];
            }
            for (std::size_t guard = 1; guard < kGuards; ++guard) {
                if (counts.by_guard[guard] == 0) continue;
                report.guarded[std::string(to_string(static_cast<Guard>(guard)))] += counts.by_guard[guard];
            }
        }
    }

private:
    static constexpr std::size_t kVerdictKinds = static_cast<std::size_t>(VerdictKind::Audit) + 1;
    static constexpr std::size_t kGuards = static_cast<std::size_t>(Guard::OpenFiles) + 1;
    struct Counts {
        std::array<std::size_t, kVerdictKinds> by_kind{};
        std::array<std::size_t, kGuards> by_guard{};
    };
    const std::vector<rules::Rule>& rules_;
    std::vector<Counts> counts_;  // one per rule, then one for sessions no rule matched
};

// A what-if or pending entry about one open a close_files rule selected.
AuditEntry rule_file_entry(const OpenFileRecord& open, const rules::Rule& rule, Outcome outcome) {
    AuditEntry entry = file_closure_entry(open, outcome);
    entry.rule = rule.name;
    entry.action = std::string(to_string(rule.action));
    return entry;
}

}  // namespace

ReaperCycle::ReaperCycle(SessionTable& table, AuditStore& audit, Options options)
    : table_(table), audit_(audit), options_(std::move(options)) {}

void ReaperCycle::policy_replaced() {
    streaks_.clear();
    file_streaks_.clear();
    limit_tripped_ = false;
    file_limit_tripped_ = false;
}

Mode ReaperCycle::mode_for(const LoadedPolicy& policy) const {
    return options_.force_audit_mode || policy.policy.settings.mode == PolicyMode::Audit ? Mode::Audit : Mode::Enforce;
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
        spdlog::critical(
            "the audit trail still refuses {} closure outcomes ({}); closing nothing until it accepts them",
            unwritten_outcomes_.size(), error.what());
        return false;
    }
}

void ReaperCycle::record_limit_tripped(const LoadedPolicy& policy, std::string_view counted, std::size_t would_close,
                                       std::size_t total, bool& tripping, CycleReport& report) {
    const double fraction = policy.policy.settings.limits.max_close_fraction;
    std::string what(counted);
    std::replace(what.begin(), what.end(), '_', ' ');
    const std::string message = "closing " + std::to_string(would_close) + " of " + std::to_string(total) + " " + what +
                                " exceeds max_close_fraction " + std::to_string(fraction) +
                                ": this cycle closes none of them";
    spdlog::critical("safety limit: {}", message);
    if (tripping) return;  // recorded when it started to trip
    tripping = true;
    AuditEntry event = stamped(event_entry(EntryKind::LimitTripped, nlohmann::json{{"limit", "max_close_fraction"},
                                                                                   {"would_close", would_close},
                                                                                   {std::string(counted), total},
                                                                                   {"max_close_fraction", fraction}}
                                                                        .dump()),
                               policy);
    event.error = message;
    append_or_report({std::move(event)}, "the limit-tripped event", report);
}

CycleReport ReaperCycle::run_once(const LoadedPolicy& policy, LocalTime now,
                                  const std::function<bool()>& stop_requested) {
    CycleReport report;
    // Outcomes the trail refused last cycle come first: nothing closes until they are written.
    if (!flush_unwritten_outcomes()) {
        report.audit_failed = true;
        return report;
    }
    // 1. Read the table; a table that cannot be read closes nothing.
    const std::optional<SessionSnapshot> snapshot = read_table(policy, report);
    if (!snapshot) return report;
    // 2. and 3. Evaluate every session; a selection holds once it has lasted confirm_polls polls.
    Confirmed confirmed = evaluate_and_confirm(policy, *snapshot, now, report);
    // 4. Whole connections, within max_close_fraction and max_closes_per_cycle.
    ClosePlan plan = plan_within_limits(policy, confirmed.closes, *snapshot, report);
    const FileClosePlan file_plan =
        plan_file_closes_within_limits(policy, std::move(confirmed.file_closes), *snapshot, report);
    if (plan.refused || plan.connections.empty()) {
        if (!confirmed.what_if_entries.empty()) {
            append_or_report(std::move(confirmed.what_if_entries), "the what-if entries", report);
        }
    } else {
        // 5. to 8. Pending entries, the re-check, the closes, their outcomes.
        close_connections(policy, std::move(plan.connections), snapshot->open_files, now,
                          std::move(confirmed.what_if_entries), stop_requested, report);
    }
    // The same steps for the open files the close_files rules selected, once the sessions are done.
    // A tripped session limit says the table looks wrong: no file is closed on it either.
    if (!file_plan.closes.empty() && !plan.refused && !report.audit_failed && !stop_requested()) {
        close_open_files(policy, file_plan.closes, now, stop_requested, report);
    }
    return report;
}

std::optional<SessionSnapshot> ReaperCycle::read_table(const LoadedPolicy& policy, CycleReport& report) {
    const auto started = std::chrono::steady_clock::now();
    SessionSnapshot snapshot;
    try {
        snapshot = table_.list();
    } catch (const std::exception& error) {  // SourceError, and anything else a source may throw
        report.source_ok = false;
        report.source_error = error.what();
        const auto* source_error = dynamic_cast<const SourceError*>(&error);
        report.source_error_kind = source_error ? source_error->kind() : sessions::SourceErrorKind::Failed;
        spdlog::error("cannot read the session table: {}; closing nothing this cycle", error.what());
        AuditEntry event = stamped(event_entry(EntryKind::SourceError), policy);
        event.error = error.what();
        append_or_report({std::move(event)}, "the source-error event", report);
        return std::nullopt;
    }
    report.table_read = true;
    report.sessions = snapshot.sessions.size();
    count_dialects(snapshot.sessions, report.sessions_by_dialect);
    if (snapshot.open_files) report.open_files = snapshot.open_files->size();
    if (snapshot.phases.phases().empty()) {
        report.phases.add("list", std::chrono::steady_clock::now() - started);
    } else {
        report.phases.add(snapshot.phases);
    }
    return snapshot;
}

ReaperCycle::Confirmed ReaperCycle::evaluate_and_confirm(const LoadedPolicy& policy, const SessionSnapshot& snapshot,
                                                         LocalTime now, CycleReport& report) {
    struct Selected {
        const SessionRecord* session;
        Verdict verdict;
    };
    std::vector<Selected> selected;
    // The opens close_files rules select, each with its rule; confirmed open by open.
    std::vector<const OpenFileRecord*> selected_opens;
    std::vector<const rules::Rule*> selecting_rules;
    VerdictCounter verdicts(policy.policy.rules);
    {
        const PhaseTimer timer(report.phases, "evaluate");
        const Evaluator evaluator(policy.policy, now);
        for (const SessionRecord& session : snapshot.sessions) {
            const Verdict verdict = evaluator.evaluate(session);
            verdicts.add(verdict);
            if (verdict.guard != Guard::None) {
                spdlog::debug("guard {} keeps {} from rule {}", to_string(verdict.guard), describe(session),
                              verdict.rule->name);
            }
            if (verdict.kind == VerdictKind::Keep) continue;
            if (verdict.kind != VerdictKind::CloseFiles) {
                selected.push_back({&session, verdict});
                continue;
            }
            // Nothing is selected when the opens are unknown.
            if (!snapshot.open_files) continue;
            for (const OpenFileRecord* open :
                 select_opens(*verdict.rule->files, session, *snapshot.open_files, snapshot.taken_at)) {
                selected_opens.push_back(open);
                selecting_rules.push_back(verdict.rule);
            }
        }
    }
    verdicts.report_into(report);
    report.selected = selected.size();
    report.files.selected = selected_opens.size();
    std::vector<const SessionRecord*> selected_sessions;
    selected_sessions.reserve(selected.size());
    for (const Selected& each : selected) selected_sessions.push_back(each.session);
    const std::vector<std::uint64_t> streaks = streaks_.record_poll(selected_sessions);

    Confirmed confirmed;
    const bool audit_mode = mode_for(policy) == Mode::Audit;
    const std::uint64_t confirm_polls = policy.policy.settings.limits.confirm_polls;
    for (std::size_t i = 0; i < selected.size(); ++i) {
        if (streaks[i] < confirm_polls) continue;
        ++report.confirmed;
        const auto& [session, verdict] = selected[i];
        if (verdict.kind == VerdictKind::Close && !audit_mode) {
            confirmed.closes.push_back({session, verdict.rule});
            continue;
        }
        if (streaks[i] != confirm_polls) continue;  // a what-if is recorded once, when first confirmed
        AuditEntry entry = stamped(closure_entry(*session, Outcome::WhatIf, snapshot.open_files), policy);
        entry.rule = verdict.rule->name;
        entry.action = std::string(to_string(verdict.rule->action));
        confirmed.what_if_entries.push_back(std::move(entry));
        ++report.what_if_by_rule[verdict.rule->name];
        spdlog::info("what-if: rule {} would close {}", verdict.rule->name, describe(*session));
    }
    const std::vector<std::uint64_t> file_streaks = file_streaks_.record_poll(selected_opens);
    for (std::size_t i = 0; i < selected_opens.size(); ++i) {
        if (file_streaks[i] < confirm_polls) continue;
        const OpenFileRecord& open = *selected_opens[i];
        const rules::Rule& rule = *selecting_rules[i];
        if (!audit_mode) {
            confirmed.file_closes.push_back({&open, &rule});
        } else if (file_streaks[i] == confirm_polls) {
            confirmed.what_if_entries.push_back(stamped(rule_file_entry(open, rule, Outcome::WhatIf), policy));
            ++report.what_if_by_rule[rule.name];
            spdlog::info("what-if: rule {} would close {}", rule.name, describe(open));
        }
    }
    report.what_if = confirmed.what_if_entries.size();
    return confirmed;
}

ClosePlan ReaperCycle::plan_within_limits(const LoadedPolicy& policy, const std::vector<CloseCandidate>& closes,
                                          const SessionSnapshot& snapshot, CycleReport& report) {
    ClosePlan plan = plan_closes(closes, snapshot.sessions, policy.policy.settings.limits);
    report.deferred = plan.deferred.size() + plan.waiting_for_companions.size();
    for (const CloseCandidate& waiting : plan.waiting_for_companions) {
        spdlog::info("waiting: {} shares its connection with a session no rule selects", describe(*waiting.session));
    }
    if (plan.refused) {
        report.limit_tripped = true;
        record_limit_tripped(policy, "sessions", plan.would_close, snapshot.sessions.size(), limit_tripped_, report);
    } else {
        limit_tripped_ = false;
    }
    return plan;
}

FileClosePlan ReaperCycle::plan_file_closes_within_limits(const LoadedPolicy& policy,
                                                          std::vector<FileCloseCandidate> closes,
                                                          const SessionSnapshot& snapshot, CycleReport& report) {
    if (closes.empty()) {
        file_limit_tripped_ = false;
        return {};
    }
    const std::size_t listed = snapshot.open_files ? snapshot.open_files->size() : 0;
    const std::size_t would_close = closes.size();
    FileClosePlan plan = plan_file_closes(std::move(closes), listed, policy.policy.settings.limits);
    report.files.deferred = plan.deferred;
    if (plan.refused) {
        report.files.limit_tripped = true;
        record_limit_tripped(policy, "open_files", would_close, listed, file_limit_tripped_, report);
    } else {
        file_limit_tripped_ = false;
    }
    return plan;
}

void ReaperCycle::close_connections(const LoadedPolicy& policy, std::vector<ConnectionClosure> connections,
                                    const std::optional<std::vector<OpenFileRecord>>& listed_opens, LocalTime now,
                                    std::vector<AuditEntry> what_if_entries,
                                    const std::function<bool()>& stop_requested, CycleReport& report) {
    // 1. Every closure is committed as pending, with the cycle's what-if entries, before any
    // session is touched.
    const std::size_t what_if_count = what_if_entries.size();
    std::vector<AuditEntry> entries = std::move(what_if_entries);
    for (const SessionClosure* closure : each_session(connections)) {
        AuditEntry entry = stamped(closure_entry(*closure->session, Outcome::Pending, listed_opens), policy);
        entry.rule = closure->rule->name;
        entry.action = std::string(to_string(closure->rule->action));
        entries.push_back(std::move(entry));
    }
    const std::optional<std::vector<AuditEntry>> stored =
        append_or_report(std::move(entries), "the pending closures, so nothing is closed", report);
    if (!stored) return;
    take_stored_pending(connections, std::span(*stored).subspan(what_if_count));

    // 2. and 3. Re-read the table, re-check each session under the policy, close what is still
    // selected; every session closure gets its outcome.
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
    close_pending_connections(table_, connections, options);
    for (const SessionClosure* closure : each_session(connections)) {
        const AuditEntry& outcome = *closure->outcome;
        spdlog::info("close: rule {} {}: {}{}", closure->rule->name, describe(*closure->session),
                     to_string(*outcome.outcome), outcome.error.empty() ? "" : " (" + outcome.error + ")");
        count_outcome(*outcome.outcome, report);
        ++report.closures[{closure->rule->name, std::string(to_string(*outcome.outcome))}];
    }

    // 4. Record how each ended; kept for the next cycle when the trail refuses them.
    std::vector<AuditEntry> outcomes = outcomes_of(connections);
    try {
        const PhaseTimer timer(report.phases, "audit");
        audit_.append_outcomes(outcomes);
    } catch (const std::exception& error) {
        report.audit_failed = true;
        unwritten_outcomes_ = std::move(outcomes);
        spdlog::critical(
            "the audit trail refused {} closure outcomes ({}): retrying next cycle, closing nothing until then",
            unwritten_outcomes_.size(), error.what());
    }
}

void ReaperCycle::close_open_files(const LoadedPolicy& policy, const std::vector<FileCloseCandidate>& closes,
                                   LocalTime now, const std::function<bool()>& stop_requested, CycleReport& report) {
    // 1. Every file closure is committed as pending before any open is touched.
    std::vector<AuditEntry> entries;
    entries.reserve(closes.size());
    for (const FileCloseCandidate& close : closes) {
        entries.push_back(stamped(rule_file_entry(*close.open, *close.rule, Outcome::Pending), policy));
    }
    std::optional<std::vector<AuditEntry>> stored =
        append_or_report(std::move(entries), "the pending file closures, so no file is closed", report);
    if (!stored) return;
    std::vector<FileClosure> closures;
    closures.reserve(closes.size());
    for (std::size_t i = 0; i < closes.size(); ++i) {
        closures.push_back({*closes[i].open, std::move((*stored)[i]), std::nullopt, {}});
    }

    // 2. and 3. Re-read the table; close each open that is still there and that a close_files
    // rule still selects, judged on the values read now.
    const Evaluator evaluator(policy.policy, now);
    SessionSnapshot current;
    const auto read_again = [this, &current] {
        current = table_.list();
        if (!current.open_files) throw SourceError("the source did not list them");
        return *current.open_files;
    };
    FileCloseOptions options;
    options.recheck = [&evaluator, &current](const OpenFileRecord& open) -> std::string {
        const auto holder = std::find_if(current.sessions.begin(), current.sessions.end(),
                                         [&open](const SessionRecord& s) { return open.session_id == s.session_id; });
        if (holder == current.sessions.end()) return "its session is no longer in the table";
        const Verdict verdict = evaluator.evaluate(*holder);
        if (verdict.kind != VerdictKind::CloseFiles ||
            verdict.rule->files->selects(open, current.taken_at) != rules::Truth::True) {
            return "no longer selected on re-check: " + describe(open) + " of " + describe(*holder);
        }
        return {};
    };
    options.stop_requested = stop_requested;
    options.stop_reason = "the service was stopping; not closed";
    options.phases = &report.phases;
    close_pending_files(table_, closures, read_again, options);
    for (const FileClosure& closure : closures) {
        spdlog::info("close file: rule {} {}: {}{}", closure.pending.rule, describe(closure.open),
                     to_string(*closure.outcome), closure.detail.empty() ? "" : " (" + closure.detail + ")");
        count_outcome(*closure.outcome, report.files);
        ++report.file_closures[{closure.pending.rule, std::string(to_string(*closure.outcome))}];
    }

    // 4. Record how each ended; kept for the next cycle when the trail refuses them.
    std::vector<AuditEntry> outcomes = outcomes_of(closures);
    try {
        const PhaseTimer timer(report.phases, "audit");
        audit_.append_outcomes(outcomes);
    } catch (const std::exception& error) {
        report.audit_failed = true;
        unwritten_outcomes_.insert(unwritten_outcomes_.end(), std::make_move_iterator(outcomes.begin()),
                                   std::make_move_iterator(outcomes.end()));
        spdlog::critical(
            "the audit trail refused {} file closure outcomes ({}): retrying next cycle, closing nothing until then",
            outcomes.size(), error.what());
    }
}

}  // namespace smbreaper::daemon
