#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "rules/policy.h"
#include "rules/time_window.h"
#include "sessions/session_record.h"

// The generated inputs the micro benchmarks share, made once per process and kept.
namespace smbreaper::bench {

// The Windows table of `sessions` sessions, as text, and as simulate sees it after reading it.
const std::string& windows_table_text(std::size_t sessions, bool cim_properties = false);
const std::vector<sessions::SessionRecord>& windows_table_sessions(std::size_t sessions);

const std::string& smbstatus_table_text(std::size_t sessions);

// The generated policy of `rules` rules, compiled; aborts when it does not load (a generator bug).
const rules::Policy& generated_policy_of(std::size_t rules);

// A path of this process's own for `name` in $SMBREAPER_BENCH_DIR (default: the system's temporary
// folder), with nothing there yet. Put that folder on the disk the service would use: a RAM file
// system makes fsync free.
std::filesystem::path fresh_bench_path(const std::string& name);

// The local time every evaluation uses: Tuesday 20:00, inside the contractors' after-hours window,
// outside the weekend rules' days; the same as `simulate --at 2026-11-24T20:00:00` in scripts/bench.
rules::LocalTime evaluation_time();

}  // namespace smbreaper::bench
