#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>

#include "cycle_test_support.h"
#include "service/closing/interrupted_closes.h"
#include "service/closing/manual_close.h"
#include "service/daemon/reaper_service.h"
#include "storage/audit_errors.h"
#include "storage/chain_verify.h"

using smbreaper::closing::CloseWriter;
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::ManualClose;
using smbreaper::closing::resolve_interrupted_closes;
using smbreaper::closing::SessionClosure;
using smbreaper::config::LoadedPolicy;
using smbreaper::daemon::CycleReport;
using smbreaper::daemon::exit_code_for;
using smbreaper::daemon::ReaperCycle;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::SnapshotSessionTable;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryKind;
using smbreaper::storage::Mode;
using smbreaper::storage::verify_chain;

using namespace smbreaper;
using namespace smbreaper::test;

TEST_CASE("a session is closed only after confirm_polls polls, with pending written first", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 2}\n", kIdleRule);

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
    CycleFixture f;
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 2}\n", kIdleRule);
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    f.cycle.run_once(p, kNoon);
    f.table.write({row(1, "alice", 5), row(2, "bob", 10), row(3, "carol", 20)});  // alice came back
    f.cycle.run_once(p, kNoon);
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    REQUIRE(f.cycle.run_once(p, kNoon).closed == 0);
    REQUIRE(f.cycle.run_once(p, kNoon).closed == 1);
}

TEST_CASE("audit mode records what-if once and closes nothing", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = cycle_policy("  mode: audit\n  limits: {confirm_polls: 1}\n", kIdleRule);
    REQUIRE(f.cycle.run_once(p, kNoon).what_if == 1);
    REQUIRE(f.cycle.run_once(p, kNoon).what_if == 0);  // still idle: already recorded
    REQUIRE(f.outcomes() == std::vector<std::string>{"what-if:1"});
    REQUIRE(f.table.closes() == 0);
    REQUIRE(f.remaining() == 3);
}

TEST_CASE("--what-if forces audit mode over an enforcing policy", "[cycle]") {
    CycleFixture f;
    ReaperCycle forced(f.table, f.audit, {true, "fs01"});
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    forced.run_once(p, kNoon);
    REQUIRE(f.outcomes() == std::vector<std::string>{"what-if:1"});
    REQUIRE(f.entries()[0].mode == Mode::Audit);
    REQUIRE(f.table.closes() == 0);
}

TEST_CASE("an audit rule records what-if even in enforce mode", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n",
                                        "  - {name: try-out, action: audit, match: {idle: '>= 1h'}}\n");
    f.cycle.run_once(p, kNoon);
    REQUIRE(f.outcomes() == std::vector<std::string>{"what-if:1"});
    REQUIRE(f.entries()[0].action == "audit");
    REQUIRE(f.remaining() == 3);
}

TEST_CASE("over max_close_fraction nothing is closed and the trip is audited once", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "a", 7200), row(2, "b", 7200), row(3, "c", 7200), row(4, "d", 10)});
    const LoadedPolicy p =
        cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1, max_close_fraction: 0.5}\n", kIdleRule);
    REQUIRE(f.cycle.run_once(p, kNoon).limit_tripped);
    REQUIRE(f.cycle.run_once(p, kNoon).limit_tripped);
    const auto all = f.entries();
    REQUIRE(all.size() == 1);
    REQUIRE(all[0].kind == EntryKind::LimitTripped);
    REQUIRE(all[0].details_json.find("\"would_close\":3") != std::string::npos);
    REQUIRE(f.remaining() == 4);
}

TEST_CASE("max_closes_per_cycle closes the most idle first", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "a", 4000), row(2, "b", 9000), row(3, "c", 10), row(4, "d", 10), row(5, "e", 10)});
    const LoadedPolicy p =
        cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1, max_closes_per_cycle: 1}\n", kIdleRule);
    CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE(report.closed == 1);
    REQUIRE(report.deferred == 1);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:2", "closed:2"});
    f.cycle.run_once(p, kNoon);
    REQUIRE(f.remaining() == 3);
}

TEST_CASE("the guards keep protected sessions", "[cycle]") {
    CycleFixture f;
    SessionRecord csv = row(3, "c", 7200);
    csv.smb_instance = SmbInstance::CSV;
    f.table.write(
        {row(1, "HOST$", 7200), row(2, "b", 7200, 2), csv, row(4, "d", 10), row(5, "e", 10), row(6, "f", 10)});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    REQUIRE(f.cycle.run_once(p, kNoon).selected == 0);
    REQUIRE(f.table.closes() == 0);
}

TEST_CASE("a session that wakes up before the close is not closed", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    f.table.before_list([&](int count) {
        if (count == 2) f.table.write({row(1, "alice", 3), row(2, "bob", 10), row(3, "carol", 20)});
    });
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    const CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE(report.refused == 1);
    REQUIRE(f.table.closes() == 0);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "refused:1"});
    REQUIRE(f.entries()[1].error.find("no longer selected") != std::string::npos);
}

TEST_CASE("a session that goes before the close is recorded as vanished", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    f.table.before_list([&](int count) {
        if (count == 2) f.table.write({row(2, "bob", 10), row(3, "carol", 20)});
    });
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    REQUIRE(f.cycle.run_once(p, kNoon).vanished == 1);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "vanished:1"});
}

TEST_CASE("a reused SessionId is not closed on another session's history", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    f.table.before_list([&](int count) {
        // Between the decision and the close, session 1 ended and its id now belongs to mallory.
        if (count == 2) f.table.write({row(1, "mallory", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    });
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    f.cycle.run_once(p, kNoon);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "vanished:1"});
    REQUIRE(f.table.closes() == 0);
}

TEST_CASE("sessions sharing a connection close together, and only when all are selected", "[cycle]") {
    CycleFixture f;
    SambaServerId shared;
    shared.pid = 4242;
    shared.unique_id = 99;
    SessionRecord a = row(1, "alice", 7200), b = row(2, "alice", 10);
    a.samba_server_id = b.samba_server_id = shared;
    f.table.write({a, b, row(3, "carol", 20), row(4, "dave", 20)});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
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
    CycleFixture f;
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    write_file(f.dir / "table.json", "[{\"SessionId\": 1,");  // truncated
    const CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE_FALSE(report.source_ok);
    const auto all = f.entries();
    REQUIRE(all.size() == 1);
    REQUIRE(all[0].kind == EntryKind::SourceError);
    REQUIRE(all[0].error.find("table.json") != std::string::npos);
}

TEST_CASE("when the audit trail refuses the pending entries, nothing is closed", "[cycle]") {
    CycleFixture f;
    std::vector<SessionRecord> rows;
    for (std::uint64_t id = 1; id <= 40; ++id)
        rows.push_back(row(id, "user" + std::to_string(id), id <= 10 ? 7200 : 10));
    f.table.write(rows);
    // Cap the database at its current size: the batch of pending entries cannot fit.
    AuditStore::Options capped;
    capped.max_page_count = std::stoll(query_text(f.dir / "audit.db", "PRAGMA page_count"));
    AuditStore full = AuditStore::open_for_writing(f.dir / "audit.db", capped);
    ReaperCycle cycle(f.table, full, {false, "fs01"});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    const CycleReport report = cycle.run_once(p, kNoon);
    REQUIRE(report.audit_failed);
    REQUIRE(report.closed == 0);
    REQUIRE(f.table.closes() == 0);
    REQUIRE(f.remaining() == 40);
}

TEST_CASE("a cycle reports where its time went, step by step", "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10)});
    const LoadedPolicy p =
        cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1, max_close_fraction: 1.0}\n", kIdleRule);
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

TEST_CASE("an admin's close during a busy service cycle: every entry of both ends resolved by its writer",
          "[cycle][manual]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 7300), row(3, "carol", 20)});
    const LoadedPolicy p =
        cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1, max_close_fraction: 1}\n", kIdleRule);
    // Between the service's first close and its outcome entries, the admin closes carol through a
    // connection of their own to the trail, as `smbreaper close` in another process would.
    AuditStore admin_audit = AuditStore::open_for_writing(f.audit_path);
    SnapshotSessionTable admin_table(f.dir / "table.json");
    ManualClose admin(admin_table, admin_audit, {"fs01", "", R"({"command":"smbreaper close"})"});
    std::optional<ManualClose::Result> admin_result;
    f.table.after_close([&](int closes) {
        if (closes != 1) return;
        const SessionSnapshot now = admin_table.list();
        const auto carol = std::find_if(now.sessions.begin(), now.sessions.end(),
                                        [](const SessionRecord& s) { return s.session_id == 3; });
        REQUIRE(carol != now.sessions.end());
        admin_result = admin.close({ConnectionClosure{{SessionClosure{&*carol}}}}, {}, std::chrono::seconds(5));
    });

    const CycleReport report = f.cycle.run_once(p, kNoon);
    REQUIRE(admin_result.has_value());
    CHECK(admin_result->outcome_write_error.empty());
    CHECK(admin_result->interrupted_resolved == 0);  // the service's pending entries are not the admin's
    CHECK(report.closed == 2);
    CHECK_FALSE(report.audit_failed);
    // The service closes the most idle first: bob, then alice.
    CHECK(f.outcomes() ==
          std::vector<std::string>{"pending:2", "pending:1", "pending:3", "closed:3", "closed:2", "closed:1"});
    const auto all = f.entries();
    CHECK(*all[3].resolves_entry == all[2].seq);
    CHECK(all[3].mode == Mode::Manual);
    CHECK(*all[4].resolves_entry == all[0].seq);
    CHECK(*all[5].resolves_entry == all[1].seq);
    CHECK(all[5].mode == Mode::Enforce);
    CHECK(f.audit.unresolved_pending().empty());
    CHECK(verify_chain(f.audit).intact());
    CHECK(f.remaining() == 0);
}

TEST_CASE("an outcome whose pending entry was resolved behind the service's back is still recorded as closed",
          "[cycle]") {
    CycleFixture f;
    f.table.write({row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)});
    const LoadedPolicy p = cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule);
    // A second writer (what two services on one trail did before the service lock) takes the
    // service's close in progress for a crash's leftover and resolves it as failed.
    f.table.after_close([&](int) {
        AuditStore intruder = AuditStore::open_for_writing(f.audit_path);
        resolve_interrupted_closes(intruder, CloseWriter::Service);
    });
    const CycleReport report = f.cycle.run_once(p, kNoon);
    CHECK(report.closed == 1);
    CHECK_FALSE(report.audit_failed);
    CHECK(f.cycle.unwritten_outcomes() == 0);
    CHECK(f.outcomes() == std::vector<std::string>{"pending:1", "failed:1", "closed:1"});
    CHECK(f.entries()[2].error.find("had been resolved by another writer") != std::string::npos);
    CHECK(verify_chain(f.audit).intact());
}

TEST_CASE("run --once's exit code says how the cycle went", "[cycle][exit]") {
    CycleReport report;
    CHECK(exit_code_for(report) == daemon::kRunOk);
    report.limit_tripped = true;
    CHECK(exit_code_for(report) == daemon::kRunLimitTripped);
    report.source_ok = false;
    CHECK(exit_code_for(report) == daemon::kRunSourceFailed);
    report.audit_failed = true;  // a source error whose event the trail refused
    CHECK(exit_code_for(report) == daemon::kRunAuditFailed);
}
