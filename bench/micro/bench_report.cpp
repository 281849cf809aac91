// Writing `simulate --format json`'s report: the third step of simulate after reading and
// evaluating.
#include <benchmark/benchmark.h>

#include "bench/micro/inputs.h"
#include "rules/simulation.h"
#include "service/cli/simulation_report.h"

namespace smbreaper::bench {
using smbreaper::rules::Policy;
using smbreaper::rules::simulate;
using smbreaper::rules::Simulation;
using smbreaper::sessions::SessionSnapshot;

namespace {

void simulation_report_json(benchmark::State& state) {
    const auto table_size = static_cast<std::size_t>(state.range(0));
    SessionSnapshot table;
    table.sessions = windows_table_sessions(table_size);
    const Policy& policy = generated_policy_of(50);
    const Simulation simulation = simulate(policy, table.sessions, evaluation_time());
    for (auto _ : state) benchmark::DoNotOptimize(cli::simulation_json(policy, table, simulation));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(table_size));
}
BENCHMARK(simulation_report_json)->ArgName("sessions")->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace smbreaper::bench
