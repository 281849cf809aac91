// Whole-policy evaluation: one session at a time (the per-session cost of 1 to 200 rules), and a
// whole table through rules/simulation, which is the "evaluation alone" of `smbreaper simulate`.
#include <benchmark/benchmark.h>

#include "bench/micro/inputs.h"
#include "rules/evaluator.h"
#include "rules/simulation.h"

namespace smbreaper::bench {
using smbreaper::rules::Evaluator;
using smbreaper::rules::Policy;
using smbreaper::rules::simulate;
using smbreaper::sessions::SessionRecord;

namespace {

constexpr std::size_t kTable = 100'000;

void evaluate_session(benchmark::State& state) {
    const Policy& policy = generated_policy_of(static_cast<std::size_t>(state.range(0)));
    const std::vector<SessionRecord>& sessions = windows_table_sessions(kTable);
    const Evaluator evaluator(policy, evaluation_time());
    std::size_t next = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(evaluator.evaluate(sessions[next]));
        if (++next == sessions.size()) next = 0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(evaluate_session)->ArgName("rules")->Arg(1)->Arg(5)->Arg(50)->Arg(200);

void simulate_table(benchmark::State& state) {
    const auto table_size = static_cast<std::size_t>(state.range(0));
    const std::vector<SessionRecord>& sessions = windows_table_sessions(table_size);
    const Policy& policy = generated_policy_of(static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) benchmark::DoNotOptimize(simulate(policy, sessions, evaluation_time()));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(table_size));
}
BENCHMARK(simulate_table)
    ->ArgNames({"sessions", "rules"})
    ->ArgsProduct({{1'000, 10'000, 100'000}, {5, 50, 200}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace smbreaper::bench
