// The audit trail failing under a running cycle: a full disk, a disk turning read-only, another
// writer holding the lock, the file deleted. In every case: nothing is closed without its pending
// entry committed, no entry is lost, and once the fault is gone the cycle carries on and the
// chain verifies. Needs root (it mounts small file systems).

#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cycle_test_support.h"
#include "fault_disks.h"
#include "storage/chain_verify.h"

using smbreaper::config::LoadedPolicy;
using smbreaper::daemon::CycleReport;
using smbreaper::sessions::SessionRecord;
using smbreaper::storage::AuditStore;
using smbreaper::storage::verify_chain;

using namespace smbreaper;
using namespace smbreaper::test;

namespace {

const std::vector<SessionRecord> kTable = {row(1, "alice", 7200), row(2, "bob", 10), row(3, "carol", 20)};

LoadedPolicy enforcing() { return cycle_policy("  mode: enforce\n  limits: {confirm_polls: 1}\n", kIdleRule); }

bool chain_intact(const std::filesystem::path& db) { return verify_chain(AuditStore::open_read_only(db)).intact(); }

}  // namespace

TEST_CASE("a full disk: nothing is closed until the pending entry fits, then the cycle carries on", "[faults][audit]") {
    SmallDisk disk("1m");
    CycleFixture f(disk / "audit.db");
    f.table.write(kTable);
    disk.fill();
    const CycleReport report = f.cycle.run_once(enforcing(), kNoon);
    REQUIRE(report.audit_failed);
    REQUIRE(f.table.closes() == 0);
    REQUIRE(f.remaining() == 3);

    disk.unfill();
    REQUIRE(f.cycle.run_once(enforcing(), kNoon).closed == 1);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "closed:1"});
    REQUIRE(chain_intact(f.audit_path));
}

TEST_CASE(
    "the disk turns read-only between a close and its outcome: nothing else closes, and the pending "
    "entry is kept and resolved at the next start",
    "[faults][audit]") {
    FailingDisk disk;
    {
        CycleFixture f(disk / "audit.db");
        f.table.write(kTable);
        f.table.after_close([&](int) { disk.fail(); });
        REQUIRE(f.cycle.run_once(enforcing(), kNoon).audit_failed);
        REQUIRE(f.table.closes() == 1);  // closed after its pending entry was committed
        REQUIRE(f.cycle.unwritten_outcomes() == 1);

        f.table.after_close({});
        f.table.write({row(2, "bob", 7200), row(3, "carol", 20), row(4, "dave", 20)});  // bob is idle now too
        REQUIRE(f.cycle.run_once(enforcing(), kNoon).audit_failed);
        REQUIRE(f.table.closes() == 1);  // nothing closes while an outcome is unwritten
    }                                    // the service stops without having recorded the outcome

    disk.remount();
    AuditStore restarted = AuditStore::open_for_writing(disk / "audit.db");
    const auto pending = restarted.unresolved_pending();
    REQUIRE(pending.size() == 1);
    REQUIRE(pending[0].session->client_user_name == "alice");
    REQUIRE(restarted.resolve_interrupted(pending).size() == 1);
    REQUIRE(restarted.unresolved_pending().empty());
    REQUIRE(verify_chain(restarted).intact());
}

TEST_CASE("another writer holding the lock: nothing is closed until it lets go", "[faults][audit]") {
    AuditStore::Options short_wait;
    short_wait.busy_timeout = std::chrono::milliseconds(200);
    CycleFixture f({}, short_wait);
    f.table.write(kTable);

    // Another process opens the trail and holds its write lock until told to stop.
    int go_on[2], locked[2];
    REQUIRE(::pipe(go_on) == 0);
    REQUIRE(::pipe(locked) == 0);
    const pid_t other = ::fork();
    if (other == 0) {
        sqlite3* db = nullptr;
        const bool ok = sqlite3_open(f.audit_path.c_str(), &db) == SQLITE_OK &&
                        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
        char byte = ok ? 'y' : 'n';
        (void)!::write(locked[1], &byte, 1);
        (void)!::read(go_on[0], &byte, 1);
        ::_exit(ok ? 0 : 1);
    }
    char answer = 0;
    REQUIRE(::read(locked[0], &answer, 1) == 1);
    REQUIRE(answer == 'y');

    REQUIRE(f.cycle.run_once(enforcing(), kNoon).audit_failed);
    REQUIRE(f.table.closes() == 0);

    REQUIRE(::write(go_on[1], "x", 1) == 1);
    int status = 0;
    ::waitpid(other, &status, 0);
    REQUIRE(f.cycle.run_once(enforcing(), kNoon).closed == 1);
    REQUIRE(f.outcomes() == std::vector<std::string>{"pending:1", "closed:1"});
    for (int fd : {go_on[0], go_on[1], locked[0], locked[1]}) ::close(fd);
}

TEST_CASE("the trail deleted while open: nothing is closed, nothing is written where no one will find it",
          "[faults][audit]") {
    CycleFixture f;
    f.table.write(kTable);
    REQUIRE(f.cycle.run_once(cycle_policy("  mode: audit\n  limits: {confirm_polls: 1}\n", kIdleRule), kNoon).what_if ==
            1);
    for (const std::string suffix : {"", "-wal", "-shm"}) std::filesystem::remove(f.audit_path.string() + suffix);

    const CycleReport report = f.cycle.run_once(enforcing(), kNoon);
    REQUIRE(report.audit_failed);
    REQUIRE(f.table.closes() == 0);
    REQUIRE(f.remaining() == 3);
    REQUIRE_FALSE(std::filesystem::exists(f.audit_path));

    // Replaced by another file: the same.
    write_file(f.audit_path, "");
    REQUIRE(f.cycle.run_once(enforcing(), kNoon).audit_failed);
    REQUIRE(f.table.closes() == 0);
}
