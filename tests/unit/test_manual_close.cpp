#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "service/closing/interrupted_closes.h"
#include "service/closing/manual_close.h"
#include "service/closing/trail_lock.h"
#include "sessions/snapshot/snapshot_file.h"
#include "snapshot_server.h"
#include "storage/audit_errors.h"
#include "storage/chain_verify.h"

using smbreaper::closing::CloseWriter;
using smbreaper::closing::ConnectionClosure;
using smbreaper::closing::ManualClose;
using smbreaper::closing::ManualCloseContext;
using smbreaper::closing::resolve_interrupted_closes;
using smbreaper::closing::SessionClosure;
using smbreaper::closing::TrailLock;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::SnapshotSessionTable;
using smbreaper::sessions::to_windows_snapshot_json;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::kInterruptedCloseError;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;
using smbreaper::storage::verify_chain;

using namespace smbreaper;
using namespace std::chrono_literals;
using test::TempDir;

namespace {

// A snapshot table that, on each close, reads the audit trail from the outside as an auditor
// would: the session's pending entry must be committed before the session is touched.
class CheckingTable final : public SessionTable {
public:
    CheckingTable(std::filesystem::path file, std::filesystem::path audit_db)
        : snapshot_(std::move(file)), audit_db_(std::move(audit_db)) {}

    std::string name() const override { return "snapshot"; }
    SessionSnapshot list() override { return snapshot_.list(); }
    CloseResult close(const SessionRecord& session) override {
        const AuditStore reader = AuditStore::open_read_only(audit_db_);
        for (const AuditEntry& pending : reader.unresolved_pending()) {
            if (pending.session->session_id == session.session_id)
                pending_seen_before_close.push_back(session.session_id);
        }
        return snapshot_.close(session);
    }

    std::vector<std::uint64_t> pending_seen_before_close;

private:
    SnapshotSessionTable snapshot_;
    std::filesystem::path audit_db_;
};

// Sessions 1 to 3, each on a connection of its own, and an audit trail beside them.
struct Fixture : test::SnapshotServer {
    Fixture()
        : SnapshotServer({test::sample_session(1, "CORP\\alice", "10.0.0.1"),
                          test::sample_session(2, "CORP\\bob", "10.0.0.2"),
                          test::sample_session(3, "CORP\\carol", "10.0.0.3")}) {}
    std::size_t remaining() const { return ids().size(); }
};

const ManualCloseContext kContext{"fs01", "", R"({"command":"smbreaper close","os_user":{"name":"root","id":"0"}})"};

std::vector<ConnectionClosure> each_alone(const std::vector<SessionRecord>& sessions) {
    std::vector<ConnectionClosure> connections;
    for (const SessionRecord& s : sessions) connections.push_back({{SessionClosure{&s}}});
    return connections;
}

}  // namespace

TEST_CASE("a manual close commits its pending entries first and records every outcome", "[manual]") {
    Fixture f;
    CheckingTable table(f.table, f.audit_db);
    AuditStore audit = AuditStore::open_for_writing(f.audit_db);
    ManualClose closer(table, audit, kContext);
    const SessionSnapshot snapshot = table.list();
    const std::vector<SessionRecord> chosen{snapshot.sessions[0], snapshot.sessions[2]};

    const ManualClose::Result result = closer.close(each_alone(chosen), {}, 1s);
    CHECK(result.outcome_write_error.empty());
    CHECK(result.interrupted_resolved == 0);
    CHECK(table.pending_seen_before_close == std::vector<std::uint64_t>{1, 3});
    CHECK(f.outcomes() == std::vector<std::string>{"pending:1", "pending:3", "closed:1", "closed:3"});
    CHECK(f.remaining() == 1);

    const auto all = f.entries();
    CHECK(*all[2].resolves_entry == all[0].seq);
    CHECK(*all[3].resolves_entry == all[1].seq);
    for (const AuditEntry& e : all) {
        CHECK(e.mode == Mode::Manual);
        CHECK(e.host == "fs01");
        CHECK(e.source == "snapshot");
        CHECK(e.action == "close");
        CHECK(e.rule.empty());
        CHECK(nlohmann::json::parse(e.details_json)["os_user"]["name"] == "root");
    }
    CHECK(verify_chain(audit).intact());
}

TEST_CASE("what-if records each session and closes nothing", "[manual]") {
    Fixture f;
    SnapshotSessionTable table(f.table);
    AuditStore audit = AuditStore::open_for_writing(f.audit_db);
    ManualClose closer(table, audit, kContext);
    const SessionSnapshot snapshot = table.list();
    closer.record_what_if({&snapshot.sessions[1]});
    CHECK(f.outcomes() == std::vector<std::string>{"what-if:2"});
    CHECK(f.remaining() == 3);
}

TEST_CASE("a manual close closes nothing when the audit trail refuses its pending entries", "[manual]") {
    Fixture f;
    std::vector<SessionRecord> many;
    for (std::uint64_t id = 1; id <= 40; ++id) many.push_back(test::sample_session(id, "user" + std::to_string(id)));
    test::write_file(f.table, to_windows_snapshot_json(many));
    { const AuditStore created = AuditStore::open_for_writing(f.audit_db); }
    AuditStore::Options capped;
    capped.max_page_count = std::stoll(test::query_text(f.audit_db, "PRAGMA page_count"));
    AuditStore full = AuditStore::open_for_writing(f.audit_db, capped);
    SnapshotSessionTable table(f.table);
    ManualClose closer(table, full, kContext);
    const SessionSnapshot snapshot = table.list();
    CHECK_THROWS_AS(closer.close(each_alone(snapshot.sessions), {}, 1s), AuditError);
    CHECK(f.remaining() == 40);
    CHECK(f.entries().empty());
}

TEST_CASE("each writer resolves only its own interrupted closures", "[manual]") {
    Fixture f;
    AuditStore audit = AuditStore::open_for_writing(f.audit_db);
    AuditEntry by_service = test::sample_closure(7, Outcome::Pending);
    AuditEntry by_admin = test::sample_closure(8, Outcome::Pending);
    by_admin.mode = Mode::Manual;
    audit.append({by_service, by_admin});

    const auto resolved_by_service = resolve_interrupted_closes(audit, CloseWriter::Service);
    REQUIRE(resolved_by_service.size() == 1);
    CHECK(resolved_by_service[0].session->session_id == 7);
    REQUIRE(audit.unresolved_pending().size() == 1);
    CHECK(audit.unresolved_pending()[0].session->session_id == 8);

    // `close` resolves the manual one at its start, then does its own work.
    SnapshotSessionTable table(f.table);
    ManualClose closer(table, audit, kContext);
    const SessionSnapshot snapshot = table.list();
    const ManualClose::Result result = closer.close(each_alone({snapshot.sessions[0]}), {}, 1s);
    CHECK(result.interrupted_resolved == 1);
    CHECK(audit.unresolved_pending().empty());
    CHECK(f.outcomes() ==
          std::vector<std::string>{"pending:7", "pending:8", "failed:7", "failed:8", "pending:1", "closed:1"});
    CHECK(f.entries()[3].error == kInterruptedCloseError);
}

TEST_CASE("a close waits for another close on the same trail, and gives up without writing", "[manual]") {
    Fixture f;
    int ready[2];
    REQUIRE(pipe(ready) == 0);
    const pid_t other = fork();
    if (other == 0) {
        const TrailLock held(f.audit_db, TrailLock::Purpose::ManualClose, 1s);
        const char byte = 1;
        if (write(ready[1], &byte, 1) != 1) _exit(1);
        pause();
        _exit(0);
    }
    char byte = 0;
    REQUIRE(read(ready[0], &byte, 1) == 1);

    AuditStore audit = AuditStore::open_for_writing(f.audit_db);
    AuditEntry in_flight = test::sample_closure(8, Outcome::Pending);  // the other close's pending entry
    in_flight.mode = Mode::Manual;
    audit.append(in_flight);
    SnapshotSessionTable table(f.table);
    ManualClose closer(table, audit, kContext);
    const SessionSnapshot snapshot = table.list();
    bool told_to_wait = false;
    CHECK_THROWS_WITH(closer.close(each_alone({snapshot.sessions[0]}), {}, 300ms, [&] { told_to_wait = true; }),
                      Catch::Contains("another smbreaper close"));
    CHECK(told_to_wait);
    CHECK(f.outcomes() == std::vector<std::string>{"pending:8"});  // its entry is left alone
    CHECK(f.remaining() == 3);

    kill(other, SIGKILL);  // the lock goes with the process
    waitpid(other, nullptr, 0);
    const ManualClose::Result result = closer.close(each_alone({snapshot.sessions[0]}), {}, 1s);
    CHECK(result.interrupted_resolved == 1);
    CHECK(f.remaining() == 2);
    close(ready[0]);
    close(ready[1]);
}
