#include <catch2/catch.hpp>

#include <functional>

#include "audit_test_support.h"
#include "config/policy_loader.h"
#include "service/reaper_cycle.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_errors.h"
#include "storage/audit_query.h"

using namespace smbreaper;
using smbreaper::test::TempDir;

namespace {

const LocalTime kNoon{1, 12 * 60};

SessionRecord row(std::uint64_t id, const std::string& user, std::uint32_t idle, std::uint64_t opens = 0) {
    SessionRecord s = test::sample_session(id, user, "10.0.0." + std::to_string(id % 250));
    s.seconds_idle = idle;
    s.num_opens = opens;
    return s;
}

// A real snapshot file whose table the test can change between two reads of the same cycle.
class ScriptedTable final : public SessionTable {
public:
    explicit ScriptedTable(std::filesystem::path file) : file_(file), snapshot_(std::move(file)) {}

    std::string name() const override { return "snapshot"; }
    SessionSnapshot list() override {
        ++lists_;
        if (before_list_) before_list_(lists_);
        return snapshot_.list();
    }
    CloseResult close(const SessionRecord& session) override {
        ++closes_;
        return snapshot_.close(session);
    }

    void write(const std::vector<SessionRecord>& sessions) { test::write_file(file_, to_windows_snapshot_json(sessions)); }
    // Called with the running count before each list(): the cycle lists once, then again just before closing.
    void before_list(std::function<void(int)> hook) { before_list_ = std::move(hook); }
    int closes() const { return closes_; }

private:
    std::filesystem::path file_;
    SnapshotSessionTable snapshot_;
    std::function<void(int)> before_list_;
    int lists_ = 0;
    int closes_ = 0;
};

LoadedPolicy policy(const std::string& settings, const std::string& rules) {
    auto result = load_policy_text("version: 1\nsettings:\n" + settings + "rules:\n" + rules, "/tmp/policy.yaml");
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    return LoadedPolicy{std::move(*result.policy), std::string(64, 'b')};
}

const std::string kIdleRule = "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n";

struct Fixture {
    TempDir dir;
    ScriptedTable table{dir / "table.json"};
    AuditStore audit = AuditStore::open_for_writing(dir / "audit.db");
    ReaperCycle cycle{table, audit, {false, "fs01"}};

    std::vector<AuditEntry> entries() const {
        std::vector<AuditEntry> all;
        for_each_entry(audit, EntryFilter{}, [&](const AuditRow& row) { all.push_back(from_row(row)); });
        return all;
    }
    std::vector<std::string> outcomes() const {
        std::vector<std::string> out;
        for (const auto& e : entries()) {
            if (e.outcome) out.push_back(std::string(to_string(*e.outcome)) + ":" + std::to_string(e.session->session_id));
        }
        return out;
    }
    std::size_t remaining() { return table.list().sessions.size(); }
};

}  // namespace

TEST_CASE("a session is closed only after confirm_polls polls, with pending written first", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 2}\n", kIdleRule);

    CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE(report.selected == 1);
    REQUIRE(report.confirmed == 0);
    REQUIRE(report.closed == 0);
    REQUIRE(f.entries().empty());

    report = f.cycle.run_once(p, kNoon);
    REQUIRE(report.closed == 1);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "closed:1"});
    const auto all = f.entries();
    REQUIRE(*all[1].resolves_entry == all[0].seq);
    REQUIRE(all[0].rule == "idle-1h");
    REQUIRE(all[0].host == "fs01");
    REQUIRE(all[0].policy_sha256 == std::string(64, 'b'));
    REQUIRE(all[0].passthru_json.find("\"ClientUserName\":\"alice\"") != std::string::npos);
    REQUIRE(f.remaining() == 2);
}

TEST_CASE("a broken streak starts again", "[cycle]") {
    Fixture f;
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 2}\n", kIdleRule);
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    f.cycle.run_once(p, kNoon);
    f.table.write({row(1, "alice", 5), row(2, "bob", 10), row(3, "carol", 20)});  // alice came back
    f.cycle.run_once(p, kNoon);
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    REQUIRE(f.cycle.run_once(p, kNoon).closed == 0);
    REQUIRE(f.cycle.run_once(p, kNoon).closed == 1);
}

TEST_CASE("audit mode records what-if once and closes nothing", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = policy("  mode: audit\n  limits: {confirm_polls: 1}\n", kIdleRule);
    REQUIRE(f.cycle.run_once(p, kNoon).what_if == 1);
    REQUIRE(f.cycle.run_once(p, kNoon).what_if == 0);  // still idle: already recorded
    REQUIRE(f.outcomes() == std::vector<std::string>{"what-if:1"});
    REQUIRE(f.table.closes() == 0);
    REQUIRE(f.remaining() == 3);
}

TEST_CASE("--what-if forces audit mode over an enforcing policy", "[cycle]") {
    Fixture f;
    ReaperCycle forced(f.table, f.audit, {true, "fs01"});
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    forced.run_once(p, kNoon);
    REQUIRE(f.outcomes() == std::vector<std::string>{"what-if:1"});
    REQUIRE(f.entries()[0].mode == Mode::Audit);
    REQUIRE(f.table.closes() == 0);
}

TEST_CASE("an audit rule records what-if even in enforce mode", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n",
                                  "  - {name: try-out, action: audit, match: {idle: '>= 1h'}}\n");
    f.cycle.run_once(p, kNoon);
    REQUIRE(f.outcomes() == std::vector<std::string>{"what-if:1"});
    REQUIRE(f.entries()[0].action == "audit");
    REQUIRE(f.remaining() == 3);
}

TEST_CASE("over max_close_fraction nothing is closed and the trip is audited once", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "a", 7200), row(2, "b", 7200), row(3, "c", 7200), row(4, "d", 10)});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1, max_close_fraction: 0.5}\n", kIdleRule);
    REQUIRE(f.cycle.run_once(p, kNoon).limit_tripped);
    REQUIRE(f.cycle.run_once(p, kNoon).limit_tripped);
    const auto all = f.entries();
    REQUIRE(all.size() == 1);
    REQUIRE(all[0].kind == EntryKind::LimitTripped);
    REQUIRE(all[0].details_json.find("\"would_close\":3") != std::string::npos);
    REQUIRE(f.remaining() == 4);
}

TEST_CASE("max_closes_per_cycle closes the most idle first", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "a", 4000), row(2, "b", 9000), row(3, "c", 10), row(4, "d", 10), row(5, "e", 10)});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1, max_closes_per_cycle: 1}\n", kIdleRule);
    CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE(report.closed == 1);
    REQUIRE(report.deferred == 1);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:2", "closed:2"});
    f.cycle.run_once(p, kNoon);
    REQUIRE(f.remaining() == 3);
}

TEST_CASE("the guards keep protected sessions", "[cycle]") {
    Fixture f;
    SessionRecord csv = row(3, "c", 7200);
    csv.smb_instance = SmbInstance::CSV;
    f.table.write({row(1, "HOST$", 7200), row(2, "b", 7200, 2), csv, row(4, "d", 10), row(5, "e", 10), row(6, "f", 10)});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    REQUIRE(f.cycle.run_once(p, kNoon).selected == 0);
    REQUIRE(f.table.closes() == 0);
}

TEST_CASE("a session that wakes up before the close is not closed", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    f.table.before_list([&](int count) {
        if (count == 2) f.table.write({row(1, "alice", 3), row(2, "bob", 10), row(3, "carol", 20)});
    });
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    const CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE(report.refused == 1);
    REQUIRE(f.table.closes() == 0);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "refused:1"});
    REQUIRE(f.entries()[1].error.find("no longer selected") != std::string::npos);
}

TEST_CASE("a session that goes before the close is recorded as vanished", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    f.table.before_list([&](int count) {
        if (count == 2) f.table.write({row(2, "bob", 10), row(3, "carol", 20)});
    });
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    REQUIRE(f.cycle.run_once(p, kNoon).vanished == 1);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "vanished:1"});
}

TEST_CASE("a reused SessionId is not closed on another session's history", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    f.table.before_list([&](int count) {
        // Between the decision and the close, session 1 ended and its id now belongs to mallory.
        if (count == 2) f.table.write({row(1, "mallory", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    });
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    f.cycle.run_once(p, kNoon);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "vanished:1"});
    REQUIRE(f.table.closes() == 0);
}

TEST_CASE("sessions sharing a connection close together, and only when all are selected", "[cycle]") {
    Fixture f;
    SambaServerId shared;
    shared.pid = 4242;
    shared.unique_id = 99;
    SessionRecord a = row(1, "alice", 7200), b = row(2, "alice", 10);
    a.samba_server_id = b.samba_server_id = shared;
    f.table.write({a, b, row(3, "carol", 20), row(4, "dave", 20)});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE(report.closed == 0);
    REQUIRE(report.deferred == 1);  // waiting for its companion
    b.seconds_idle = 7200;
    f.table.write({a, b, row(3, "carol", 20), row(4, "dave", 20)});
    report = f.cycle.run_once(p, kNoon);
    REQUIRE(report.closed == 2);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "pending:2", "closed:1", "closed:2"});
}

TEST_CASE("an unreadable table closes nothing and is audited", "[cycle]") {
    Fixture f;
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    test::write_file(f.dir / "table.json", "[{\"SessionId\": 1,");  // truncated
    const CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE_FALSE(report.source_ok);
    const auto all = f.entries();
    REQUIRE(all.size() == 1);
    REQUIRE(all[0].kind == EntryKind::SourceError);
    REQUIRE(all[0].error.find("table.json") != std::string::npos);
}

TEST_CASE("when the audit trail refuses the pending entries, nothing is closed", "[cycle]") {
    Fixture f;
    std::vector<SessionRecord> rows;
    for (std::uint64_t id = 1; id <= 40; ++id) rows.push_back(row(id, "user" + std::to_string(id), id <= 10 ? 7200 : 10));
    f.table.write(rows);
    // Cap the database at its current size: the batch of pending entries cannot fit.
    AuditStore::Options capped;
    capped.max_page_count = std::stoll(test::query_text(f.dir / "audit.db", "PRAGMA page_count"));
    AuditStore full = AuditStore::open_for_writing(f.dir / "audit.db", capped);
    ReaperCycle cycle(f.table, full, {false, "fs01"});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    const CycleReport report = cycle.run_once(p, kNoon);
    REQUIRE(report.audit_failed);
    REQUIRE(report.closed == 0);
    REQUIRE(f.table.closes() == 0);
    REQUIRE(f.remaining() == 40);
}

TEST_CASE("a cycle reports where its time went, step by step", "[cycle]") {
    Fixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10)});
    const LoadedPolicy p = policy("  mode: enforce\n  limits: {confirm_polls: 1, max_close_fraction: 1.0}\n", kIdleRule);
    const auto names = [](const CycleReport& report) {
        std::vector<std::string> out;
        for (const auto& phase : report.phases.phases()) out.emplace_back(phase.name);
        return out;
    };
    // A snapshot file does not time its own steps: the whole read is "list".
    const CycleReport closing = f.cycle.run_once(p, kNoon);
    REQUIRE(closing.closed == 1);
    CHECK(names(closing) == std::vector<std::string>{"list", "evaluate", "audit", "recheck", "close"});
    CHECK(closing.phases.total() > std::chrono::steady_clock::duration::zero());

    const CycleReport quiet = f.cycle.run_once(p, kNoon);
    CHECK(names(quiet) == std::vector<std::string>{"list", "evaluate"});
}
