#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "audit_test_support.h"
#include "storage/audit_errors.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"
#include "storage/entry_hash.h"

using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditEntryRejected;
using smbreaper::storage::AuditReadError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::AuditWriteError;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::kGenesisHash;
using smbreaper::storage::kInterruptedCloseError;
using smbreaper::storage::Outcome;
using smbreaper::storage::outcome_entry;
using smbreaper::storage::verify_chain;

using namespace smbreaper;
using test::TempDir;

namespace {

std::int64_t count_entries(const std::filesystem::path& db) {
    return std::stoll(test::query_text(db, "SELECT count(*) FROM audit_entry"));
}

}  // namespace

TEST_CASE("a new trail is created empty, in WAL mode, with its head at 64 zeros", "[audit][store]") {
    TempDir dir;
    const AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    CHECK(store.head().seq == 0);
    CHECK(store.head().hash == kGenesisHash);
    CHECK_FALSE(store.checkpoint().has_value());
    CHECK(test::query_text(dir / "audit.db", "PRAGMA journal_mode") == "wal");
    CHECK(test::query_text(dir / "audit.db", "PRAGMA user_version") == "3");
}

TEST_CASE("appended entries form a chain: seq counts up and each links to the one before", "[audit][store]") {
    TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    const AuditEntry start = store.append(event_entry(EntryKind::Start, R"({"version":"0.1.0"})"));
    const auto batch =
        store.append({test::sample_closure(1, Outcome::Pending), test::sample_closure(2, Outcome::Pending)});

    CHECK(start.seq == 1);
    CHECK(start.prev_hash == kGenesisHash);
    REQUIRE(batch.size() == 2);
    CHECK(batch[0].seq == 2);
    CHECK(batch[0].prev_hash == start.hash);
    CHECK(batch[1].seq == 3);
    CHECK(batch[1].prev_hash == batch[0].hash);
    CHECK(batch[0].time == batch[1].time);  // one batch, one moment
    CHECK(store.head().seq == 3);
    CHECK(store.head().hash == batch[1].hash);
    CHECK(test::query_text(dir / "audit.db", "SELECT hash FROM audit_entry WHERE seq = 3") == batch[1].hash);
    CHECK(verify_chain(store).intact());
}

TEST_CASE("a chain continues across reopening", "[audit][store]") {
    TempDir dir;
    std::string first_hash;
    {
        AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
        first_hash = store.append(event_entry(EntryKind::Start)).hash;
    }
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    const AuditEntry stop = store.append(event_entry(EntryKind::Stop));
    CHECK(stop.seq == 2);
    CHECK(stop.prev_hash == first_hash);
}

TEST_CASE("a caller-supplied time is kept; an empty one is stamped", "[audit][store]") {
    TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    AuditEntry entry = test::sample_closure(1, Outcome::WhatIf);
    entry.time = "2020-01-02T03:04:05.678Z";
    CHECK(store.append(entry).time == "2020-01-02T03:04:05.678Z");
    CHECK(store.append(test::sample_closure(1, Outcome::WhatIf)).time.rfind("20", 0) == 0);
}

TEST_CASE("entries that break the rules are refused and nothing of their batch is written", "[audit][store]") {
    TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    store.append(event_entry(EntryKind::Start));

    AuditEntry no_outcome = test::sample_closure(1, Outcome::Closed);
    no_outcome.outcome.reset();
    AuditEntry no_session = test::sample_closure(1, Outcome::Closed);
    no_session.session.reset();
    AuditEntry event_with_outcome = event_entry(EntryKind::Stop);
    event_with_outcome.outcome = Outcome::Closed;
    AuditEntry bad_time = test::sample_closure(1, Outcome::Closed);
    bad_time.time = "yesterday";
    AuditEntry bad_policy_hash = test::sample_closure(1, Outcome::Closed);
    bad_policy_hash.policy_sha256 = "abc";
    AuditEntry bad_details = event_entry(EntryKind::SourceError, "{not json");
    AuditEntry pending_resolving = test::sample_closure(1, Outcome::Pending);
    pending_resolving.resolves_entry = 1;
    AuditEntry resolves_an_event = test::sample_closure(1, Outcome::Closed);
    resolves_an_event.resolves_entry = 1;
    AuditEntry resolves_nothing = test::sample_closure(1, Outcome::Closed);
    resolves_nothing.resolves_entry = 99;
    const AuditEntry pruned = event_entry(EntryKind::Pruned);

    for (const AuditEntry& bad : {no_outcome, no_session, event_with_outcome, bad_time, bad_policy_hash, bad_details,
                                  pending_resolving, resolves_an_event, resolves_nothing, pruned}) {
        CHECK_THROWS_AS(store.append({test::sample_closure(7, Outcome::WhatIf), bad}), AuditEntryRejected);
    }
    CHECK(count_entries(dir / "audit.db") == 1);
    CHECK(store.head().seq == 1);
    CHECK(verify_chain(store).intact());
}

TEST_CASE("an outcome resolves its pending entry once; unresolved ones are listed", "[audit][store]") {
    TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    const auto pending =
        store.append({test::sample_closure(1, Outcome::Pending), test::sample_closure(2, Outcome::Pending),
                      test::sample_closure(3, Outcome::WhatIf)});
    REQUIRE(store.unresolved_pending().size() == 2);

    const AuditEntry closed = store.append(outcome_entry(pending[0], Outcome::Closed));
    CHECK(closed.resolves_entry == pending[0].seq);
    CHECK(closed.outcome == Outcome::Closed);
    const auto left = store.unresolved_pending();
    REQUIRE(left.size() == 1);
    CHECK(left[0].seq == pending[1].seq);
    CHECK(left[0].session->session_id == 2);

    // An AuditError like every other failure of the trail, so that the closing path catches it.
    CHECK_THROWS_AS(store.append(outcome_entry(pending[0], Outcome::Failed, "again")), AuditEntryRejected);
    CHECK_THROWS_AS(
        store.append({outcome_entry(pending[1], Outcome::Closed), outcome_entry(pending[1], Outcome::Closed)}),
        AuditEntryRejected);
    CHECK(store.unresolved_pending().size() == 1);
}

TEST_CASE("an outcome whose pending entry another writer resolved is still recorded", "[audit][store]") {
    TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    const auto pending =
        store.append({test::sample_closure(1, Outcome::Pending), test::sample_closure(2, Outcome::Pending)});
    AuditStore other = AuditStore::open_for_writing(dir / "audit.db");
    other.resolve_interrupted({pending[0]});  // as a second writer taking it for a crash's leftover would

    const auto written = store.append_outcomes(
        {outcome_entry(pending[0], Outcome::Closed, ""), outcome_entry(pending[1], Outcome::Closed, "")});
    REQUIRE(written.size() == 2);
    CHECK_FALSE(written[0].resolves_entry.has_value());
    CHECK(written[0].outcome == Outcome::Closed);
    CHECK(written[0].error ==
          "its pending entry " + std::to_string(pending[0].seq) + " had been resolved by another writer");
    CHECK(written[1].resolves_entry == pending[1].seq);
    CHECK(store.unresolved_pending().empty());
    CHECK(verify_chain(store).intact());
}

TEST_CASE("resolving interrupted closures appends follow-ups and never edits the pending entry", "[audit][store]") {
    TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    const auto pending =
        store.append({test::sample_closure(1, Outcome::Pending), test::sample_closure(2, Outcome::Pending)});
    const std::string pending_hash = pending[0].hash;

    const auto resolved = store.resolve_interrupted(store.unresolved_pending());
    REQUIRE(resolved.size() == 2);
    CHECK(resolved[0].outcome == Outcome::Failed);
    CHECK(resolved[0].error == kInterruptedCloseError);
    CHECK(resolved[0].resolves_entry == pending[0].seq);
    CHECK(resolved[1].resolves_entry == pending[1].seq);
    CHECK(resolved[0].session->session_id == 1);
    CHECK(store.unresolved_pending().empty());
    CHECK(test::query_text(dir / "audit.db", "SELECT outcome FROM audit_entry WHERE seq = 1") == "pending");
    CHECK(test::query_text(dir / "audit.db", "SELECT hash FROM audit_entry WHERE seq = 1") == pending_hash);

    // A second start-up with a stale list writes nothing more.
    CHECK(store.resolve_interrupted(pending).empty());
    CHECK(store.head().seq == 4);
    CHECK(verify_chain(store).intact());
}

TEST_CASE("the table refuses UPDATE and DELETE", "[audit][store]") {
    TempDir dir;
    {
        AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
        store.append(test::sample_closure(1, Outcome::Closed));
    }
    CHECK_THROWS_WITH(test::run_sql(dir / "audit.db", "UPDATE audit_entry SET rule = 'other'"),
                      Catch::Contains("append-only"));
    CHECK_THROWS_WITH(test::run_sql(dir / "audit.db", "DELETE FROM audit_entry"), Catch::Contains("audit prune"));
    CHECK(count_entries(dir / "audit.db") == 1);
}

TEST_CASE("a full database refuses the write with AuditWriteError and keeps the chain", "[audit][store]") {
    TempDir dir;
    {
        AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
        store.append(event_entry(EntryKind::Start));
    }
    const std::int64_t pages = std::stoll(test::query_text(dir / "audit.db", "PRAGMA page_count"));
    AuditStore::Options small;
    small.max_page_count = pages + 2;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db", small);

    AuditEntry big = test::sample_closure(1, Outcome::Pending);
    big.details_json = "\"" + std::string(64 * 1024, 'x') + "\"";
    try {
        store.append({big, big});
        FAIL("the append should not fit");
    } catch (const AuditWriteError& e) {
        CHECK((e.sqlite_code() & 0xFF) == SQLITE_FULL);
        CHECK_THAT(e.what(), Catch::Contains("full"));
    }
    CHECK(store.head().seq == 1);
    CHECK(count_entries(dir / "audit.db") == 1);
    CHECK(verify_chain(store).intact());
    CHECK(store.append(event_entry(EntryKind::Stop)).seq == 2);  // small entries still fit
}

TEST_CASE("a lock held past the busy timeout fails the write with AuditWriteError", "[audit][store]") {
    TempDir dir;
    AuditStore::Options quick;
    quick.busy_timeout = std::chrono::milliseconds(100);
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db", quick);

    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open((dir / "audit.db").string().c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    try {
        store.append(test::sample_closure(1, Outcome::Pending));
        FAIL("the append should wait for the lock and give up");
    } catch (const AuditWriteError& e) {
        CHECK((e.sqlite_code() & 0xFF) == SQLITE_BUSY);
        CHECK_THAT(e.what(), Catch::Contains("locked"));
    }
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    CHECK(store.append(test::sample_closure(1, Outcome::Pending)).seq == 1);
}

TEST_CASE("a read-only store refuses every write", "[audit][store]") {
    TempDir dir;
    { AuditStore::open_for_writing(dir / "audit.db"); }
    AuditStore store = AuditStore::open_read_only(dir / "audit.db");
    CHECK_FALSE(store.writable());
    CHECK_THROWS_AS(store.append(event_entry(EntryKind::Start)), AuditWriteError);
    CHECK_THROWS_AS(store.prune_before(std::chrono::system_clock::now(), "fs01", "test"), AuditWriteError);
}

TEST_CASE("a trail whose head record was deleted refuses to append rather than guess a link", "[audit][store]") {
    TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    store.append(event_entry(EntryKind::Start));
    test::run_sql(dir / "audit.db", "DELETE FROM chain_head");
    CHECK_THROWS_AS(store.append(event_entry(EntryKind::Stop)), AuditWriteError);
    CHECK_THROWS_AS(store.head(), AuditReadError);
}

TEST_CASE("files that are not an audit trail are refused", "[audit][store]") {
    TempDir dir;
    test::write_file(dir / "notes.txt", std::string(4096, 'x'));
    CHECK_THROWS_AS(AuditStore::open_for_writing(dir / "notes.txt"), AuditWriteError);
    CHECK_THROWS_AS(AuditStore::open_read_only(dir / "notes.txt"), AuditReadError);
    CHECK_THROWS_AS(AuditStore::open_read_only(dir / "missing.db"), AuditReadError);
    CHECK_THROWS_AS(AuditStore::open_for_writing(dir / "no-such-folder" / "audit.db"), AuditWriteError);
}

TEST_CASE("two writers opening a new trail at the same moment both get it", "[audit][store]") {
    // The service starting while an admin's `block` creates the trail: SQLite answers one of them
    // SQLITE_BUSY without waiting while the other switches the new file to WAL.
    for (int round = 0; round < 20; ++round) {
        test::TempDir dir;
        std::atomic<int> opened{0};
        std::vector<std::string> failures(2);
        std::vector<std::thread> writers;
        for (int i = 0; i < 2; ++i) {
            writers.emplace_back([&, i] {
                try {
                    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
                    store.append(test::sample_closure(static_cast<std::uint64_t>(i), Outcome::WhatIf));
                    ++opened;
                } catch (const std::exception& error) {
                    failures[static_cast<std::size_t>(i)] = error.what();
                }
            });
        }
        for (std::thread& writer : writers) writer.join();
        INFO(failures[0] << failures[1]);
        REQUIRE(opened == 2);
    }
}
