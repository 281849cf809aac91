#include "bench/micro/inputs.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

#include "bench/generator/policy_generator.h"
#include "bench/generator/smbstatus_table.h"
#include "bench/generator/windows_table.h"
#include "config/policy_loader.h"
#include "sessions/snapshot/windows_snapshot_reader.h"

namespace smbreaper::bench {
using smbreaper::config::load_policy_text;
using smbreaper::config::PolicyLoadResult;
using smbreaper::rules::LocalTime;
using smbreaper::rules::parse_local_time;
using smbreaper::rules::Policy;
using smbreaper::sessions::parse_windows_sessions_json;
using smbreaper::sessions::SessionRecord;

std::filesystem::path fresh_bench_path(const std::string& name) {
    const char* configured = std::getenv("SMBREAPER_BENCH_DIR");
    const std::filesystem::path folder = configured != nullptr && *configured != '\0'
                                             ? std::filesystem::path(configured)
                                             : std::filesystem::temp_directory_path();
    std::filesystem::create_directories(folder);
    const std::filesystem::path path = folder / ("smbreaper-bench-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    return path;
}

const std::string& windows_table_text(std::size_t sessions, bool cim_properties) {
    static std::map<std::pair<std::size_t, bool>, std::string> tables;
    auto found = tables.find({sessions, cim_properties});
    if (found == tables.end()) {
        found =
            tables.emplace(std::pair{sessions, cim_properties}, windows_table({sessions, kDefaultSeed, cim_properties}))
                .first;
    }
    return found->second;
}

const std::vector<SessionRecord>& windows_table_sessions(std::size_t sessions) {
    static std::map<std::size_t, std::vector<SessionRecord>> tables;
    auto found = tables.find(sessions);
    if (found == tables.end()) {
        found = tables.emplace(sessions, parse_windows_sessions_json(windows_table_text(sessions), "generated")).first;
    }
    return found->second;
}

const std::string& smbstatus_table_text(std::size_t sessions) {
    static std::map<std::size_t, std::string> tables;
    auto found = tables.find(sessions);
    if (found == tables.end()) found = tables.emplace(sessions, smbstatus_table({sessions, kDefaultSeed})).first;
    return found->second;
}

const Policy& generated_policy_of(std::size_t rules) {
    static std::map<std::size_t, Policy> policies;
    auto found = policies.find(rules);
    if (found == policies.end()) {
        PolicyLoadResult loaded = load_policy_text(generate_policy(rules), "generated.yaml");
        if (!loaded.policy) {
            std::fputs(loaded.diagnostics.render_text().c_str(), stderr);
            std::abort();
        }
        found = policies.emplace(rules, std::move(*loaded.policy)).first;
    }
    return found->second;
}

LocalTime evaluation_time() { return *parse_local_time("2026-11-24T20:00:00"); }

}  // namespace smbreaper::bench
