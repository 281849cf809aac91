// Appending closure entries to the audit trail, `synchronous=FULL` as the product opens it: one
// transaction (one fsync'd commit) per batch, as a cycle writes its entries. The trail lives in
// $SMBREAPER_BENCH_DIR (default: the system's temporary folder): put it on the disk the service
// would use, since a RAM file system makes fsync free.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/micro/inputs.h"
#include "storage/audit_store.h"

namespace smbreaper::bench {
using smbreaper::sessions::SessionRecord;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditStore;
using smbreaper::storage::closure_entry;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;

namespace {

namespace fs = std::filesystem;

fs::path fresh_trail_path() {
    const fs::path path = fresh_bench_path("audit");
    for (const char* suffix : {"-wal", "-shm"}) fs::remove(path.string() + suffix);
    return path;
}

std::vector<AuditEntry> what_if_entries(std::size_t count) {
    const std::vector<SessionRecord>& sessions = windows_table_sessions(1'000);
    std::vector<AuditEntry> entries;
    for (std::size_t i = 0; i < count; ++i) {
        AuditEntry entry = closure_entry(sessions[i % sessions.size()], Outcome::WhatIf);
        entry.host = "FSCLUSTER";
        entry.source = "wmi";
        entry.mode = Mode::Audit;
        entry.rule = "idle-2h";
        entry.action = "close";
        entry.policy_sha256 = std::string(64, 'a');
        entries.push_back(std::move(entry));
    }
    return entries;
}

void audit_append(benchmark::State& state) {
    const auto batch = static_cast<std::size_t>(state.range(0));
    const fs::path path = fresh_trail_path();
    {
        AuditStore store = AuditStore::open_for_writing(path);
        const std::vector<AuditEntry> entries = what_if_entries(batch);
        for (auto _ : state) benchmark::DoNotOptimize(store.append(entries));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
}
BENCHMARK(audit_append)
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1'000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace smbreaper::bench
