#pragma once

// What the tests of the reaper cycle share: sample rows, policies from settings and rules, and a
// cycle wired to a scripted snapshot table and a real audit trail.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "audit_test_support.h"
#include "config/policy_loader.h"
#include "scripted_table.h"
#include "service/daemon/reaper_cycle.h"
#include "storage/audit_query.h"

namespace smbreaper::test {

inline const rules::LocalTime kNoon{1, 12 * 60};

inline const std::string kIdleRule = "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n";

inline sessions::SessionRecord row(std::uint64_t id, const std::string& user, std::uint32_t idle,
                                   std::uint64_t opens = 0) {
    sessions::SessionRecord s = sample_session(id, user, "10.0.0." + std::to_string(id % 250));
    s.seconds_idle = idle;
    s.num_opens = opens;
    return s;
}

inline config::LoadedPolicy cycle_policy(const std::string& settings, const std::string& rules) {
    auto result =
        config::load_policy_text("version: 1\nsettings:\n" + settings + "rules:\n" + rules, "/tmp/policy.yaml");
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    return config::LoadedPolicy{std::move(*result.policy), std::string(64, 'b')};
}

// A cycle over a scripted table in its own folder, auditing to `audit_db` (default: audit.db in
// that folder).
struct CycleFixture {
    explicit CycleFixture(const std::filesystem::path& audit_db = {}, const storage::AuditStore::Options& options = {})
        : audit_path(audit_db.empty() ? dir / "audit.db" : audit_db),
          audit(storage::AuditStore::open_for_writing(audit_path, options)) {}

    TempDir dir;
    ScriptedTable table{dir / "table.json"};
    std::filesystem::path audit_path;
    storage::AuditStore audit;
    daemon::ReaperCycle cycle{table, audit, {false, "fs01"}};

    std::vector<storage::AuditEntry> entries() const {
        std::vector<storage::AuditEntry> all;
        const storage::AuditStore reader = storage::AuditStore::open_read_only(audit_path);
        for_each_entry(reader, storage::EntryFilter{},
                       [&](const storage::AuditRow& row) { all.push_back(from_row(row)); });
        return all;
    }
    // "pending:1", "closed:1", ... for every closure, in order.
    std::vector<std::string> outcomes() const {
        std::vector<std::string> out;
        for (const auto& e : entries()) {
            if (e.outcome)
                out.push_back(std::string(to_string(*e.outcome)) + ":" + std::to_string(e.session->session_id));
        }
        return out;
    }
    std::size_t remaining() { return table.remaining(); }
};

}  // namespace smbreaper::test
