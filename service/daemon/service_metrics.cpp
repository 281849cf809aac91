#include "service/daemon/service_metrics.h"

#include <array>
#include <string_view>

#include "service/version.h"

namespace smbreaper::daemon {
using smbreaper::config::LoadedPolicy;
using smbreaper::metrics::LabelledGauges;
using smbreaper::storage::AuditStore;

namespace {

// Cycle times from a few milliseconds (a small table) to minutes (a source near its timeout).
const prometheus::Histogram::BucketBoundaries kCycleBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                               1,     2.5,  5,     10,   30,  60,   120};

constexpr std::array<std::string_view, 4> kCycleResults = {"ok", "source_error", "audit_failed", "internal_error"};
constexpr std::array<std::string_view, 4> kSourceErrorKinds = {"unavailable", "timeout", "failed", "malformed"};
constexpr std::array<std::string_view, 2> kLimitCounts = {"sessions", "open_files"};

template <typename Metric>
prometheus::Family<Metric>& family(prometheus::Registry& registry, const std::string& name, const std::string& help);

template <>
prometheus::Family<prometheus::Gauge>& family(prometheus::Registry& registry, const std::string& name,
                                              const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

template <>
prometheus::Family<prometheus::Counter>& family(prometheus::Registry& registry, const std::string& name,
                                                const std::string& help) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

// Adds `count` to the counter of each (rule, result) pair, labelled `result_label`.
void add_tally(prometheus::Family<prometheus::Counter>& counters, const RuleTally& tally,
               const std::string& result_label) {
    for (const auto& [key, count] : tally) {
        counters.Add({{"rule", key.first}, {result_label, key.second}}).Increment(static_cast<double>(count));
    }
}

double seconds(std::chrono::steady_clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

}  // namespace

ServiceMetrics::ServiceMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      sessions_(family<prometheus::Gauge>(*registry_, "smbreaper_sessions",
                                          "SMB sessions in the table at the last cycle, by source and dialect")),
      open_files_(family<prometheus::Gauge>(*registry_, "smbreaper_open_files",
                                            "Files the sessions held open at the last cycle, where the source lists "
                                            "them")),
      verdicts_(family<prometheus::Gauge>(*registry_, "smbreaper_verdicts",
                                          "Sessions each rule decided at the last cycle, by verdict (no rule label: "
                                          "no rule matched)")),
      guarded_(family<prometheus::Gauge>(*registry_, "smbreaper_guarded_sessions",
                                         "Sessions a guard kept from their rule's close or audit at the last cycle")),
      phases_(family<prometheus::Gauge>(*registry_, "smbreaper_cycle_phase_seconds",
                                        "Time the last cycle spent in each phase")),
      closures_(family<prometheus::Counter>(*registry_, "smbreaper_closures_total",
                                            "Session closures the rules carried out, by rule and outcome")),
      file_closures_(family<prometheus::Counter>(*registry_, "smbreaper_file_closures_total",
                                                 "Open-file closures the close_files rules carried out, by rule and "
                                                 "outcome")),
      what_if_entries_(family<prometheus::Counter>(
          *registry_, "smbreaper_what_if_entries_total",
          "What-if entries written (closures an audit rule or audit mode recorded instead of carrying out)")),
      cycles_(family<prometheus::Counter>(*registry_, "smbreaper_cycles_total", "Cycles run, by result")),
      cycle_duration_(prometheus::BuildHistogram()
                          .Name("smbreaper_cycle_duration_seconds")
                          .Help("How long whole cycles took")
                          .Register(*registry_)
                          .Add({}, kCycleBuckets)),
      last_success_(family<prometheus::Gauge>(*registry_, "smbreaper_last_successful_cycle_timestamp_seconds",
                                              "When the last cycle that read the table and wrote its entries ended")
                        .Add({})),
      deferred_(family<prometheus::Gauge>(*registry_, "smbreaper_deferred_closes",
                                          "Closes the last cycle left for later (max_closes_per_cycle, or a session "
                                          "sharing the connection)")
                    .Add({})),
      source_errors_(family<prometheus::Counter>(*registry_, "smbreaper_source_errors_total",
                                                 "Cycles whose session table could not be read, by kind of error")),
      reloads_(family<prometheus::Counter>(*registry_, "smbreaper_policy_reloads_total",
                                           "Policy reloads, by result (a rejected policy leaves the previous one in "
                                           "force)")),
      policy_info_(
          family<prometheus::Gauge>(*registry_, "smbreaper_policy_info", "The policy in force: its sha256 (always 1)")),
      mode_(family<prometheus::Gauge>(*registry_, "smbreaper_mode",
                                      "The mode in force: 1 for the current one (audit records, enforce closes)")),
      limit_trips_(family<prometheus::Counter>(*registry_, "smbreaper_safety_limit_trips_total",
                                               "Cycles whose closes a safety limit refused, by what was counted")),
      limit_tripped_(family<prometheus::Gauge>(*registry_, "smbreaper_safety_limit_tripped",
                                               "1 when a safety limit refused the last cycle's closes")),
      audit_appended_(family<prometheus::Counter>(*registry_, "smbreaper_audit_entries_appended_total",
                                                  "Entries the service appended to the audit trail")
                          .Add({})),
      audit_refused_(family<prometheus::Counter>(*registry_, "smbreaper_audit_append_failures_total",
                                                 "Writes the audit trail refused (none of their entries was written)")
                         .Add({})),
      audit_head_seq_(family<prometheus::Gauge>(*registry_, "smbreaper_audit_chain_head_sequence",
                                                "The sequence number of the audit trail's newest entry")
                          .Add({})),
      audit_unwritten_(family<prometheus::Gauge>(*registry_, "smbreaper_audit_unwritten_outcomes",
                                                 "Closure outcomes waiting for the audit trail to accept them")
                           .Add({})),
      blocks_in_force_(family<prometheus::Gauge>(*registry_, "smbreaper_blocks_in_force",
                                                 "Incident blocks in force (users and clients kept out)")
                           .Add({})) {
    family<prometheus::Gauge>(*registry_, "smbreaper_build_info", "The smbreaper version (always 1)")
        .Add({{"version", service::kVersion}})
        .Set(1);
    // Every known label value starts at zero, so that rates and alerts see the first increase.
    for (std::string_view result : kCycleResults) cycles_.Add({{"result", std::string(result)}});
    for (std::string_view kind : kSourceErrorKinds) source_errors_.Add({{"kind", std::string(kind)}});
    for (const char* result : {"succeeded", "rejected"}) reloads_.Add({{"result", result}});
    for (std::string_view counted : kLimitCounts) {
        limit_trips_.Add({{"limit", "max_close_fraction"}, {"counted", std::string(counted)}});
        limit_tripped_.Add({{"limit", "max_close_fraction"}, {"counted", std::string(counted)}});
    }
}

void ServiceMetrics::record_cycle(const CycleReport& report, const std::string& source, bool internal_error,
                                  std::chrono::steady_clock::duration took,
                                  std::chrono::system_clock::time_point ended) {
    const std::string_view result = internal_error        ? "internal_error"
                                    : !report.source_ok   ? "source_error"
                                    : report.audit_failed ? "audit_failed"
                                                          : "ok";
    cycles_.Add({{"result", std::string(result)}}).Increment();
    cycle_duration_.Observe(seconds(took));
    if (result == "ok") {
        last_success_.Set(std::chrono::duration<double>(ended.time_since_epoch()).count());
    }
    if (report.source_error_kind) {
        source_errors_.Add({{"kind", std::string(sessions::to_string(*report.source_error_kind))}}).Increment();
    }
    std::map<prometheus::Labels, double> phases;
    for (const common::PhaseTimings::Phase& phase : report.phases.phases()) {
        phases[{{"phase", std::string(phase.name)}}] += seconds(phase.duration);
    }
    phases_.replace(phases);
    // No table read (it failed, or outcomes still waited to be written): the last values stay.
    if (internal_error || !report.table_read) return;

    std::map<prometheus::Labels, double> dialects;
    for (const auto& [dialect, count] : report.sessions_by_dialect) {
        dialects[{{"source", source}, {"dialect", dialect}}] = static_cast<double>(count);
    }
    sessions_.replace(dialects);
    std::map<prometheus::Labels, double> open_files;
    if (report.open_files) open_files[{{"source", source}}] = static_cast<double>(*report.open_files);
    open_files_.replace(open_files);

    std::map<prometheus::Labels, double> verdicts;
    for (const auto& [key, count] : report.verdicts) {
        verdicts[{{"rule", key.first}, {"verdict", key.second}}] = static_cast<double>(count);
    }
    verdicts_.replace(verdicts);
    std::map<prometheus::Labels, double> guarded;
    for (const auto& [guard, count] : report.guarded) guarded[{{"guard", guard}}] = static_cast<double>(count);
    guarded_.replace(guarded);

    add_tally(closures_, report.closures, "outcome");
    add_tally(file_closures_, report.file_closures, "outcome");
    for (const auto& [rule, count] : report.what_if_by_rule) {
        what_if_entries_.Add({{"rule", rule}}).Increment(static_cast<double>(count));
    }
    deferred_.Set(static_cast<double>(report.deferred + report.files.deferred));
    const std::array<bool, 2> tripped = {report.limit_tripped, report.files.limit_tripped};
    for (std::size_t i = 0; i < kLimitCounts.size(); ++i) {
        const prometheus::Labels labels = {{"limit", "max_close_fraction"}, {"counted", std::string(kLimitCounts[i])}};
        limit_tripped_.Add(labels).Set(tripped[i] ? 1 : 0);
        if (tripped[i]) limit_trips_.Add(labels).Increment();
    }
}

void ServiceMetrics::record_policy(const LoadedPolicy& policy, bool audit_mode) {
    // The series each rule can move start at zero, so that the first closure is an increase.
    for (const rules::Rule& rule : policy.policy.rules) {
        if (rule.action == rules::RuleAction::Keep) continue;
        what_if_entries_.Add({{"rule", rule.name}});
        if (rule.action == rules::RuleAction::Audit) continue;
        auto& closures = rule.action == rules::RuleAction::CloseFiles ? file_closures_ : closures_;
        for (const char* outcome : {"closed", "vanished", "failed", "refused"}) {
            closures.Add({{"rule", rule.name}, {"outcome", outcome}});
        }
    }
    policy_info_.replace({{prometheus::Labels{{"sha256", policy.sha256}}, 1.0}});
    mode_.Add({{"mode", "audit"}}).Set(audit_mode ? 1 : 0);
    mode_.Add({{"mode", "enforce"}}).Set(audit_mode ? 0 : 1);
}

void ServiceMetrics::record_reload(bool accepted) {
    reloads_.Add({{"result", accepted ? "succeeded" : "rejected"}}).Increment();
}

void ServiceMetrics::record_audit(const AuditStore::WriteCounts& counts, std::int64_t head_seq,
                                  std::size_t unwritten_outcomes) {
    // The trail counts since it was opened; a counter only goes up, by what is new.
    if (counts.entries_appended >= audit_counts_seen_.entries_appended) {
        audit_appended_.Increment(static_cast<double>(counts.entries_appended - audit_counts_seen_.entries_appended));
    }
    if (counts.refused_writes >= audit_counts_seen_.refused_writes) {
        audit_refused_.Increment(static_cast<double>(counts.refused_writes - audit_counts_seen_.refused_writes));
    }
    audit_counts_seen_ = counts;
    audit_head_seq_.Set(static_cast<double>(head_seq));
    audit_unwritten_.Set(static_cast<double>(unwritten_outcomes));
}

void ServiceMetrics::record_blocks(std::size_t in_force) { blocks_in_force_.Set(static_cast<double>(in_force)); }

}  // namespace smbreaper::daemon
