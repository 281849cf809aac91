// The audit trail across processes (POSIX only): crashes, kills, a reader beside the writer, and
// files this process may not write.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <thread>

#include "audit_test_support.h"
#include "storage/audit_errors.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"

using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::AuditWriteError;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::kInterruptedCloseError;
using smbreaper::storage::Outcome;
using smbreaper::storage::outcome_entry;
using smbreaper::storage::verify_chain;
using smbreaper::storage::VerifyResult;

using namespace smbreaper;
using test::TempDir;

namespace {

// What a child reports through its exit status.
enum ChildResult : int {
    kWriteRefused = 0,
    kWriteSucceeded = 1,
    kOtherAuditError = 2,
    kOtherError = 3,
    kCannotDrop = 4
};

// Runs `body` in a forked child and returns its exit status. With `unprivileged`, a child running
// as root first becomes nobody, so that file permissions apply to it as they would to a service
// account. The child leaves with _exit: nothing of the parent's state is torn down twice.
int run_in_child(const std::function<int()>& body, bool unprivileged = false) {
    const pid_t child = fork();
    if (child == 0) {
        if (unprivileged && geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(kCannotDrop);
        int code = kOtherError;
        try {
            code = body();
        } catch (...) {}
        _exit(code);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int try_to_write(const std::filesystem::path& db) {
    try {
        AuditStore store = AuditStore::open_for_writing(db);
        store.append(test::sample_closure(1, Outcome::Pending));
        return kWriteSucceeded;
    } catch (const AuditWriteError&) {
        return kWriteRefused;
    } catch (const AuditError&) {
        return kOtherAuditError;
    }
}

// Writes pending closures in batches of five until `stop_fd` reaches end of file (or forever
// when it is -1).
int write_batches(const std::filesystem::path& db, int stop_fd) {
    AuditStore store = AuditStore::open_for_writing(db);
    if (stop_fd >= 0) fcntl(stop_fd, F_SETFL, O_NONBLOCK);
    for (std::uint64_t id = 1;; id += 5) {
        std::vector<AuditEntry> batch;
        for (std::uint64_t k = 0; k < 5; ++k) batch.push_back(test::sample_closure(id + k, Outcome::Pending));
        store.append(batch);
        char byte;
        if (stop_fd >= 0 && read(stop_fd, &byte, 1) == 0) return 0;
    }
}

std::int64_t head_seq(const std::filesystem::path& db) {
    try {
        return AuditStore::open_read_only(db).head().seq;
    } catch (const AuditError&) {
        return 0;  // not created yet
    }
}

}  // namespace

TEST_CASE("pending entries of a process that died mid-close are resolved at the next start", "[audit][process]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    const int status = run_in_child([&] {
        AuditStore store = AuditStore::open_for_writing(db);
        const auto pending =
            store.append({test::sample_closure(1, Outcome::Pending), test::sample_closure(2, Outcome::Pending)});
        store.append(outcome_entry(pending[0], Outcome::Closed));
        _exit(0);  // dies before recording how the second close ended
        return 0;
    });
    REQUIRE(status == 0);

    AuditStore store = AuditStore::open_for_writing(db);
    const auto unresolved = store.unresolved_pending();
    REQUIRE(unresolved.size() == 1);
    CHECK(unresolved[0].seq == 2);
    CHECK(unresolved[0].session->session_id == 2);

    const auto resolved = store.resolve_interrupted(unresolved);
    REQUIRE(resolved.size() == 1);
    CHECK(resolved[0].seq == 4);
    CHECK(resolved[0].resolves_entry == 2);
    CHECK(resolved[0].outcome == Outcome::Failed);
    CHECK(resolved[0].error == kInterruptedCloseError);
    CHECK(store.unresolved_pending().empty());
    CHECK(verify_chain(store).intact());
}

TEST_CASE("a read-only database file refuses writes with AuditWriteError", "[audit][process]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    { AuditStore::open_for_writing(db).append(event_entry(EntryKind::Start)); }
    std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
    std::filesystem::permissions(db, std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                         std::filesystem::perms::others_read);
    CHECK(run_in_child([&] { return try_to_write(db); }, true) == kWriteRefused);
    std::filesystem::permissions(db, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    const VerifyResult result = verify_chain(AuditStore::open_read_only(db));
    CHECK(result.intact());
    CHECK(result.entries == 1);
}

TEST_CASE("a database in a read-only folder refuses writes with AuditWriteError", "[audit][process]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    { AuditStore::open_for_writing(db).append(event_entry(EntryKind::Start)); }
    using std::filesystem::perms;
    std::filesystem::permissions(db, perms::owner_read | perms::owner_write | perms::group_read | perms::group_write |
                                         perms::others_read | perms::others_write);
    std::filesystem::permissions(dir.path(), perms::owner_read | perms::owner_exec | perms::group_read |
                                                 perms::group_exec | perms::others_read | perms::others_exec);
    CHECK(run_in_child([&] { return try_to_write(dir / "new.db"); }, true) == kWriteRefused);
    CHECK(run_in_child([&] { return try_to_write(db); }, true) == kWriteRefused);
    std::filesystem::permissions(dir.path(), perms::owner_all, std::filesystem::perm_options::add);
    CHECK(verify_chain(AuditStore::open_read_only(db)).entries == 1);
}

TEST_CASE("an account that may read the trail but not write its folder can still verify it", "[audit][process]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    { AuditStore::open_for_writing(db).append(event_entry(EntryKind::Start)); }
    using std::filesystem::perms;
    std::filesystem::permissions(db, perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
    std::filesystem::permissions(dir.path(), perms::owner_read | perms::owner_exec | perms::group_read |
                                                 perms::group_exec | perms::others_read | perms::others_exec);
    const int status = run_in_child(
        [&] {
            const VerifyResult result = verify_chain(AuditStore::open_read_only(db));
            return result.intact() && result.entries == 1 ? 0 : 1;
        },
        true);
    CHECK(status == 0);
    std::filesystem::permissions(dir.path(), perms::owner_all, std::filesystem::perm_options::add);
}

TEST_CASE("a reader in another process sees whole batches of an intact chain while the writer writes",
          "[audit][process]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    { AuditStore::open_for_writing(db); }
    int stop[2];
    REQUIRE(pipe(stop) == 0);
    const pid_t writer = fork();
    if (writer == 0) {
        close(stop[1]);
        int code = 1;
        try {
            code = write_batches(db, stop[0]);
        } catch (...) {}
        _exit(code);
    }
    close(stop[0]);

    int reads = 0;
    int growth_seen = 0;
    std::int64_t last_count = 0;
    bool all_intact = true;
    bool whole_batches = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (growth_seen < 10 && std::chrono::steady_clock::now() < deadline) {
        const VerifyResult result = verify_chain(AuditStore::open_read_only(db));
        ++reads;
        all_intact = all_intact && result.intact();
        whole_batches = whole_batches && result.entries % 5 == 0;
        if (result.entries > last_count) ++growth_seen;
        CHECK(result.entries >= last_count);
        last_count = result.entries;
    }
    close(stop[1]);  // tells the writer to stop after its current batch
    int status = 0;
    waitpid(writer, &status, 0);

    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(all_intact);
    CHECK(whole_batches);
    CHECK(growth_seen >= 10);
    const VerifyResult final_state = verify_chain(AuditStore::open_read_only(db));
    CHECK(final_state.intact());
    CHECK(final_state.entries >= last_count);
    INFO("reads: " << reads);
}

TEST_CASE("a writer killed with SIGKILL mid-burst leaves a trail that opens and verifies", "[audit][process]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    { AuditStore::open_for_writing(db); }
    for (const std::int64_t kill_after : {10, 60, 150}) {
        INFO("killed after seq " << kill_after);
        const std::int64_t before = head_seq(db);
        const pid_t writer = fork();
        if (writer == 0) {
            try {
                write_batches(db, -1);
            } catch (...) {}
            _exit(1);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (head_seq(db) < before + kill_after && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        kill(writer, SIGKILL);
        int status = 0;
        waitpid(writer, &status, 0);
        REQUIRE(WIFSIGNALED(status));

        AuditStore store = AuditStore::open_for_writing(db);
        const VerifyResult result = verify_chain(store);
        CHECK(result.intact());
        CHECK(result.entries >= before + kill_after);
        CHECK(result.entries % 5 == 0);  // a batch is all or nothing
        CHECK(store.head().seq == result.entries);
        const auto resolved = store.resolve_interrupted(store.unresolved_pending());
        CHECK(static_cast<std::int64_t>(resolved.size()) == result.entries - before);
        CHECK(verify_chain(store).intact());
        // The resolutions count as entries for the next round's arithmetic.
        CHECK(store.head().seq == result.entries + static_cast<std::int64_t>(resolved.size()));
    }
}
