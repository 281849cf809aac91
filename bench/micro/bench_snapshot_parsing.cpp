// Reading session tables from memory: the Windows reader (compact and with the CIM properties
// `Select-Object *` adds) and the smbstatus parser. Bytes and sessions per second.
#include <benchmark/benchmark.h>

#include "bench/micro/inputs.h"
#include "sessions/samba/smbstatus_parser.h"
#include "sessions/snapshot/windows_snapshot_reader.h"

namespace smbreaper::bench {
using smbreaper::sessions::parse_smbstatus_json;
using smbreaper::sessions::parse_windows_sessions_json;

namespace {

void count(benchmark::State& state, std::size_t sessions, std::size_t bytes) {
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sessions));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

void parse_windows(benchmark::State& state) {
    const auto sessions = static_cast<std::size_t>(state.range(0));
    const std::string& text = windows_table_text(sessions, state.range(1) != 0);
    for (auto _ : state) benchmark::DoNotOptimize(parse_windows_sessions_json(text, "generated"));
    count(state, sessions, text.size());
}
BENCHMARK(parse_windows)
    ->ArgNames({"sessions", "cim"})
    ->Args({1'000, 0})
    ->Args({10'000, 0})
    ->Args({100'000, 0})
    ->Args({10'000, 1})
    ->Unit(benchmark::kMillisecond);

void parse_smbstatus(benchmark::State& state) {
    const auto sessions = static_cast<std::size_t>(state.range(0));
    const std::string& text = smbstatus_table_text(sessions);
    for (auto _ : state) benchmark::DoNotOptimize(parse_smbstatus_json(text, "generated"));
    count(state, sessions, text.size());
}
BENCHMARK(parse_smbstatus)
    ->ArgName("sessions")
    ->Arg(200)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace smbreaper::bench
