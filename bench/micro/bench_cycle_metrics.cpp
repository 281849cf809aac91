// What the metrics cost a cycle: ReaperCycle::run_once over a Windows snapshot table (read, parse,
// evaluate under the 50-rule policy, confirm; audit mode, so after the first cycle nothing is
// appended), alone, and followed by what the service does after each cycle when settings.metrics
// is on: ServiceMetrics from the cycle's report, the audit trail's counts, head and blocks, and
// the textfile written. Side by side in one run; docs/BENCHMARKS.md reports the ratio. Files live
// in $SMBREAPER_BENCH_DIR (default: the system's temporary folder), as for bench_audit.
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench/micro/inputs.h"
#include "config/policy_reloader.h"
#include "service/daemon/reaper_cycle.h"
#include "service/daemon/service_metrics.h"
#include "service/metrics/metrics_textfile.h"
#include "service/metrics/textfile_writer.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_store.h"

namespace smbreaper::bench {
using smbreaper::config::LoadedPolicy;
using smbreaper::daemon::CycleReport;
using smbreaper::daemon::ReaperCycle;
using smbreaper::daemon::ServiceMetrics;
using smbreaper::sessions::SnapshotSessionTable;
using smbreaper::storage::AuditStore;

namespace {

namespace fs = std::filesystem;

// Records `report` as the service does after each cycle when settings.metrics is on, and asks its
// writer thread for the textfile.
void publish(ServiceMetrics& metrics, const CycleReport& report, const std::string& source, const AuditStore& audit,
             const ReaperCycle& reaper, std::chrono::steady_clock::duration took, metrics::TextfileWriter& writer,
             const fs::path& textfile) {
    metrics.record_cycle(report, source, false, took, std::chrono::system_clock::now());
    metrics.record_audit(audit.write_counts(), audit.head().seq, reaper.unwritten_outcomes());
    metrics.record_blocks(audit.blocks_in_force().size());
    writer.request(textfile);
}

fs::path created(fs::path folder) {
    fs::create_directories(folder);
    return folder;
}

// A cycle's fixtures: the table file, the trail, the 50-rule policy in audit mode.
struct CycleBench {
    explicit CycleBench(std::size_t table_size) : folder(created(fresh_bench_path("cycle"))) {
        std::ofstream(folder / "table.json") << windows_table_text(table_size);
        policy.policy.settings.mode = rules::PolicyMode::Audit;
        policy.policy.settings.limits.confirm_polls = 1;
        metrics.record_policy(policy, true);
        spdlog::set_level(spdlog::level::warn);      // not a line per what-if entry
        reaper.run_once(policy, evaluation_time());  // the what-if entries, written once
    }
    ~CycleBench() {
        writer.wait_until_written();
        fs::remove_all(folder);
    }

    fs::path folder;
    SnapshotSessionTable table{folder / "table.json"};
    AuditStore audit = AuditStore::open_for_writing(folder / "audit.db");
    LoadedPolicy policy{generated_policy_of(50), std::string(64, 'a')};
    ReaperCycle reaper{table, audit, {false, "FSCLUSTER"}};
    ServiceMetrics metrics;
    metrics::TextfileWriter writer{metrics.registry()};
};

void cycle(benchmark::State& state) {
    const auto table_size = static_cast<std::size_t>(state.range(0));
    const bool with_metrics = state.range(1) != 0;
    CycleBench bench(table_size);
    for (auto _ : state) {
        const auto started = std::chrono::steady_clock::now();
        const CycleReport report = bench.reaper.run_once(bench.policy, evaluation_time());
        if (with_metrics) {
            publish(bench.metrics, report, bench.table.name(), bench.audit, bench.reaper,
                    std::chrono::steady_clock::now() - started, bench.writer, bench.folder / "smbreaper.prom");
        }
        benchmark::DoNotOptimize(report.sessions);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(table_size));
}
BENCHMARK(cycle)
    ->ArgNames({"sessions", "metrics"})
    ->ArgsProduct({{1'000, 100'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// The metrics' part of a cycle alone, after a cycle over the same table: what `cycle` adds with
// metrics:1 on the cycle's thread, without the cycle's own spread around it. Each write is waited
// for outside the timing, so that the writer's thread does not share the cores meanwhile.
void metrics_after_cycle(benchmark::State& state) {
    CycleBench bench(static_cast<std::size_t>(state.range(0)));
    const CycleReport report = bench.reaper.run_once(bench.policy, evaluation_time());
    for (auto _ : state) {
        publish(bench.metrics, report, bench.table.name(), bench.audit, bench.reaper, std::chrono::milliseconds(40),
                bench.writer, bench.folder / "smbreaper.prom");
        state.PauseTiming();
        bench.writer.wait_until_written();
        state.ResumeTiming();
    }
}
BENCHMARK(metrics_after_cycle)->ArgName("sessions")->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMicrosecond);

// The writer thread's work per cycle: the metrics serialised and the textfile replaced.
void metrics_textfile_write(benchmark::State& state) {
    CycleBench bench(static_cast<std::size_t>(state.range(0)));
    bench.metrics.record_cycle(bench.reaper.run_once(bench.policy, evaluation_time()), bench.table.name(), false,
                               std::chrono::milliseconds(40), std::chrono::system_clock::now());
    for (auto _ : state) metrics::write_metrics_textfile(bench.folder / "smbreaper.prom", *bench.metrics.registry());
}
BENCHMARK(metrics_textfile_write)->ArgName("sessions")->Arg(1'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace smbreaper::bench
