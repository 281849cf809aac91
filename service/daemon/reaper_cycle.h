#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "config/policy_reloader.h"
#include "rules/time_window.h"
#include "service/closing/close_planner.h"
#include "service/closing/file_close_planner.h"
#include "service/daemon/confirmation_tracker.h"
#include "sessions/session_table.h"
#include "storage/audit_store.h"

namespace smbreaper::daemon {

// How many sessions (or opens) came to each result under each rule: (rule, result) -> count.
// The rule is empty for sessions no rule matched.
using RuleTally = std::map<std::pair<std::string, std::string>, std::size_t>;

// What one cycle did, for logs, tests and the service loop's backoff.
struct CycleReport {
    bool source_ok = true;  // false: the table could not be read; nothing was closed
    std::string source_error;
    std::optional<sessions::SourceErrorKind> source_error_kind;
    bool table_read = false;  // the table was read this cycle (not when outcomes still waited to be written)
    std::size_t sessions = 0;
    std::map<std::string, std::size_t> sessions_by_dialect;  // "unknown" when the source gave none
    std::optional<std::size_t> open_files;                   // unknown when the source did not list them
    std::size_t selected = 0;                                // close or audit verdicts this poll
    std::size_t confirmed = 0;                               // of those, selected for confirm_polls polls in a row
    std::size_t closed = 0;
    std::size_t what_if = 0;
    std::size_t vanished = 0;
    std::size_t failed = 0;
    std::size_t refused = 0;   // pending closes not carried out: the re-check no longer selected them, or a stop
    std::size_t deferred = 0;  // over max_closes_per_cycle, or waiting for a companion session
    bool limit_tripped = false;
    // What the close_files rules did: opens selected this poll, and how their closes ended.
    struct FileCounts {
        std::size_t selected = 0;
        std::size_t closed = 0;
        std::size_t vanished = 0;
        std::size_t failed = 0;
        std::size_t refused = 0;
        std::size_t deferred = 0;  // over max_closes_per_cycle
        bool limit_tripped = false;
    } files;
    bool audit_failed = false;  // the audit trail refused a write: nothing was closed after it
    // The same, rule by rule: every session's verdict ("keep", "close", "close_files", "audit"),
    // the guards that kept a session from its rule, the what-if entries, and how closes ended
    // ("closed", "vanished", "failed", "refused"), of sessions and of opens.
    RuleTally verdicts;
    std::map<std::string, std::size_t> guarded;
    std::map<std::string, std::size_t> what_if_by_rule;
    RuleTally closures;
    RuleTally file_closures;
    // Where the cycle's time went: the source's own steps (or "list" for a source that does not
    // measure them), then evaluate, audit (every append), recheck and close when there were any.
    common::PhaseTimings phases;
};

// One poll of the reaper (docs/ARCHITECTURE.md, "The service"): read the table, evaluate, confirm over polls,
// apply the safety limits, and for each closure write the audit entry before acting, re-check the
// session, close it, and record the outcome. Keeps the state that spans polls (streaks, what has
// already been recorded) and nothing else.
class ReaperCycle {
public:
    struct Options {
        bool force_audit_mode = false;  // `run --what-if`
        std::string host;               // the server's name, recorded in every entry
    };

    ReaperCycle(sessions::SessionTable& table, storage::AuditStore& audit, Options options);

    // `stop_requested` is asked between closures: a stop lets the close in progress finish and be
    // recorded, and leaves the rest for no one (they were never pending).
    CycleReport run_once(
        const config::LoadedPolicy& policy, rules::LocalTime now,
        const std::function<bool()>& stop_requested = [] { return false; });

    // A new policy starts every streak again: sessions are confirmed under the rules in force.
    void policy_replaced();

    // Outcome entries that could not be written yet (the trail refused them); retried first thing
    // every cycle, and nothing is closed until they are written.
    std::size_t unwritten_outcomes() const { return unwritten_outcomes_.size(); }

    // An entry with this cycle's host, source, mode and policy filled in.
    storage::AuditEntry stamped(storage::AuditEntry entry, const config::LoadedPolicy& policy) const;

    // Audit when the policy says so or `run --what-if` forces it; enforce otherwise.
    storage::Mode mode_for(const config::LoadedPolicy& policy) const;

private:
    // Appends `entries`; when that fails, marks the cycle's audit as failed, logs `what` as
    // critical, and returns nothing.
    std::optional<std::vector<storage::AuditEntry>> append_or_report(std::vector<storage::AuditEntry> entries,
                                                                     std::string_view what, CycleReport& report);
    bool flush_unwritten_outcomes();
    // Records that max_close_fraction stopped the closes of `counted` ("sessions", "open_files"):
    // logged every cycle, written to the trail when it starts to trip (`tripping` was false).
    void record_limit_tripped(const config::LoadedPolicy& policy, std::string_view counted, std::size_t would_close,
                              std::size_t total, bool& tripping, CycleReport& report);
    // The steps of run_once, in order.
    struct Confirmed {
        std::vector<closing::CloseCandidate> closes;           // to close (enforce mode, close rules)
        std::vector<closing::FileCloseCandidate> file_closes;  // to close (enforce mode, close_files rules)
        std::vector<storage::AuditEntry> what_if_entries;      // audit rules, or audit mode: recorded, not closed
    };
    std::optional<sessions::SessionSnapshot> read_table(const config::LoadedPolicy& policy, CycleReport& report);
    Confirmed evaluate_and_confirm(const config::LoadedPolicy& policy, const sessions::SessionSnapshot& snapshot,
                                   rules::LocalTime now, CycleReport& report);
    closing::ClosePlan plan_within_limits(const config::LoadedPolicy& policy,
                                          const std::vector<closing::CloseCandidate>& closes,
                                          const sessions::SessionSnapshot& snapshot, CycleReport& report);
    void close_connections(const config::LoadedPolicy& policy, std::vector<closing::ConnectionClosure> connections,
                           const std::optional<std::vector<sessions::OpenFileRecord>>& listed_opens,
                           rules::LocalTime now, std::vector<storage::AuditEntry> what_if_entries,
                           const std::function<bool()>& stop_requested, CycleReport& report);

    closing::FileClosePlan plan_file_closes_within_limits(const config::LoadedPolicy& policy,
                                                          std::vector<closing::FileCloseCandidate> closes,
                                                          const sessions::SessionSnapshot& snapshot,
                                                          CycleReport& report);
    void close_open_files(const config::LoadedPolicy& policy, const std::vector<closing::FileCloseCandidate>& closes,
                          rules::LocalTime now, const std::function<bool()>& stop_requested, CycleReport& report);

    sessions::SessionTable& table_;
    storage::AuditStore& audit_;
    Options options_;
    ConfirmationTracker streaks_;
    OpenFileConfirmationTracker file_streaks_;
    bool limit_tripped_ = false;  // a limit-tripped event is written when the limit starts to trip
    bool file_limit_tripped_ = false;
    std::vector<storage::AuditEntry> unwritten_outcomes_;
};

}  // namespace smbreaper::daemon
