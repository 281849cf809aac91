#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "config/policy_reloader.h"
#include "service/daemon/reaper_cycle.h"
#include "service/metrics/labelled_gauges.h"
#include "storage/audit_store.h"

namespace smbreaper::daemon {

// The service's Prometheus metrics (docs/OPERATIONS.md, "Metrics"): what each cycle read,
// decided and closed, how long it took and how it failed, the policy in force, and the audit
// trail's writes. The service records into it after every cycle and every reload; the endpoint
// and the textfile read it.
class ServiceMetrics {
public:
    ServiceMetrics();

    std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

    // One cycle: `report` as ReaperCycle gave it (empty when the cycle ended on an unexpected
    // error, `internal_error`), `source` the table's name, `took` its whole time.
    void record_cycle(const CycleReport& report, const std::string& source, bool internal_error,
                      std::chrono::steady_clock::duration took, std::chrono::system_clock::time_point ended);
    // The policy in force, and whether it runs in audit mode (the policy's mode, or --what-if).
    void record_policy(const config::LoadedPolicy& policy, bool audit_mode);
    void record_reload(bool accepted);
    // The trail's own counts since the service opened it, its chain head, and the outcomes that
    // wait to be written.
    void record_audit(const storage::AuditStore::WriteCounts& counts, std::int64_t head_seq,
                      std::size_t unwritten_outcomes);
    void record_blocks(std::size_t in_force);

private:
    std::shared_ptr<prometheus::Registry> registry_;

    metrics::LabelledGauges sessions_;
    metrics::LabelledGauges open_files_;
    metrics::LabelledGauges verdicts_;
    metrics::LabelledGauges guarded_;
    metrics::LabelledGauges phases_;
    prometheus::Family<prometheus::Counter>& closures_;
    prometheus::Family<prometheus::Counter>& file_closures_;
    prometheus::Family<prometheus::Counter>& what_if_entries_;
    prometheus::Family<prometheus::Counter>& cycles_;
    prometheus::Histogram& cycle_duration_;
    prometheus::Gauge& last_success_;
    prometheus::Gauge& deferred_;
    prometheus::Family<prometheus::Counter>& source_errors_;
    prometheus::Family<prometheus::Counter>& reloads_;
    metrics::LabelledGauges policy_info_;
    prometheus::Family<prometheus::Gauge>& mode_;
    prometheus::Family<prometheus::Counter>& limit_trips_;
    prometheus::Family<prometheus::Gauge>& limit_tripped_;
    prometheus::Counter& audit_appended_;
    prometheus::Counter& audit_refused_;
    prometheus::Gauge& audit_head_seq_;
    prometheus::Gauge& audit_unwritten_;
    prometheus::Gauge& blocks_in_force_;
    storage::AuditStore::WriteCounts audit_counts_seen_;
};

}  // namespace smbreaper::daemon
