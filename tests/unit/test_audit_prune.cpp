#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit_test_support.h"
#include "common/utc_time.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"

using smbreaper::common::format_utc_timestamp;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::Outcome;
using smbreaper::storage::PruneResult;
using smbreaper::storage::verify_chain;
using smbreaper::storage::VerifyResult;

using namespace smbreaper;
using std::chrono::hours;
using test::TempDir;
using Clock = std::chrono::system_clock;

namespace {

AuditEntry at(AuditEntry entry, Clock::time_point time) {
    entry.time = format_utc_timestamp(time);
    return entry;
}

// Ten days of entries, one a day, oldest first (seq 1 is ten days old, seq 10 one day old).
struct DatedTrail {
    TempDir dir;
    std::filesystem::path db = dir / "audit.db";
    Clock::time_point now = Clock::now();
    std::vector<AuditEntry> entries;

    DatedTrail() {
        AuditStore store = AuditStore::open_for_writing(db);
        std::vector<AuditEntry> batch;
        for (int day = 10; day >= 1; --day) {
            batch.push_back(
                at(test::sample_closure(static_cast<std::uint64_t>(day), Outcome::WhatIf), now - hours(24 * day)));
        }
        entries = store.append(batch);
    }
};

}  // namespace

TEST_CASE("prune removes the old entries, keeps a checkpoint, and the chain still verifies", "[audit][prune]") {
    DatedTrail trail;
    AuditStore store = AuditStore::open_for_writing(trail.db);
    const PruneResult result = store.prune_before(trail.now - hours(24 * 7 + 1), "fs01", "retention 7d");

    CHECK(result.removed == 3);
    REQUIRE(result.checkpoint);
    CHECK(result.checkpoint->seq == 3);
    CHECK(result.checkpoint->hash == trail.entries[2].hash);
    REQUIRE(result.pruned_entry);
    CHECK(result.pruned_entry->seq == 11);
    CHECK(result.pruned_entry->kind == EntryKind::Pruned);
    CHECK(result.pruned_entry->host == "fs01");
    const auto details = nlohmann::json::parse(result.pruned_entry->details_json);
    CHECK(details["pruned_through_seq"] == 3);
    CHECK(details["pruned_through_hash"] == trail.entries[2].hash);
    CHECK(details["removed"] == 3);
    CHECK(details["reason"] == "retention 7d");

    CHECK(test::query_text(trail.db, "SELECT min(seq) FROM audit_entry") == "4");
    const VerifyResult verified = verify_chain(store);
    CHECK(verified.intact());
    CHECK(verified.entries == 8);
    CHECK(verified.head.seq == 11);
    REQUIRE(verified.checkpoint);
    CHECK(verified.checkpoint->seq == 3);
    CHECK(store.append(event_entry(EntryKind::Stop)).seq == 12);
    CHECK(verify_chain(store).intact());
}

TEST_CASE("pruning twice moves the checkpoint forward", "[audit][prune]") {
    DatedTrail trail;
    AuditStore store = AuditStore::open_for_writing(trail.db);
    store.prune_before(trail.now - hours(24 * 8 + 1), "fs01", "first");
    const PruneResult second = store.prune_before(trail.now - hours(24 * 5 + 1), "fs01", "second");
    CHECK(second.removed == 3);
    CHECK(second.checkpoint->seq == 5);
    CHECK(store.checkpoint()->seq == 5);
    CHECK(verify_chain(store).intact());
}

TEST_CASE("nothing old enough: prune changes nothing", "[audit][prune]") {
    DatedTrail trail;
    AuditStore store = AuditStore::open_for_writing(trail.db);
    const PruneResult result = store.prune_before(trail.now - hours(24 * 30), "fs01", "retention 30d");
    CHECK(result.removed == 0);
    CHECK_FALSE(result.checkpoint.has_value());
    CHECK_FALSE(result.pruned_entry.has_value());
    CHECK(store.head().seq == 10);
    CHECK_FALSE(store.checkpoint().has_value());
}

TEST_CASE("pruning everything leaves the `pruned` entry as the whole chain", "[audit][prune]") {
    DatedTrail trail;
    AuditStore store = AuditStore::open_for_writing(trail.db);
    const PruneResult result = store.prune_before(trail.now, "fs01", "everything");
    CHECK(result.removed == 10);
    CHECK(result.pruned_entry->seq == 11);
    CHECK(result.pruned_entry->prev_hash == trail.entries[9].hash);
    const VerifyResult verified = verify_chain(store);
    CHECK(verified.intact());
    CHECK(verified.entries == 1);
}

TEST_CASE("prune stops at an unresolved pending closure", "[audit][prune]") {
    DatedTrail trail;
    AuditStore store = AuditStore::open_for_writing(trail.db);
    const AuditEntry pending = store.append(at(test::sample_closure(99, Outcome::Pending), trail.now - hours(24 * 20)));
    const PruneResult result = store.prune_before(trail.now, "fs01", "everything");
    CHECK(result.removed == 10);  // entries 1..10, not the pending 11
    CHECK(store.unresolved_pending().size() == 1);
    CHECK(store.unresolved_pending()[0].seq == pending.seq);
    CHECK(verify_chain(store).intact());
}

TEST_CASE("a forged checkpoint is caught", "[audit][prune]") {
    DatedTrail trail;
    {
        AuditStore store = AuditStore::open_for_writing(trail.db);
        store.prune_before(trail.now - hours(24 * 7 + 1), "fs01", "retention 7d");
    }
    SECTION("its hash changed") {
        test::run_sql(trail.db, "UPDATE prune_checkpoint SET hash = '" + std::string(64, 'e') + "'");
        const VerifyResult result = verify_chain(AuditStore::open_read_only(trail.db));
        REQUIRE_FALSE(result.intact());
        CHECK(result.problem->seq == 4);
        CHECK_THAT(result.problem->reason, Catch::Contains("prune checkpoint"));
    }
    SECTION("more entries deleted and the checkpoint moved to match") {
        test::tamper(trail.db,
                     "DELETE FROM audit_entry WHERE seq <= 5;"
                     "UPDATE prune_checkpoint SET seq = 5, hash = '" +
                         trail.entries[4].hash + "'");
        const VerifyResult result = verify_chain(AuditStore::open_read_only(trail.db));
        REQUIRE_FALSE(result.intact());
        CHECK(result.problem->seq == 5);
        CHECK_THAT(result.problem->reason, Catch::Contains("last `pruned` entry"));
    }
    SECTION("the checkpoint deleted") {
        test::run_sql(trail.db, "DELETE FROM prune_checkpoint");
        const VerifyResult result = verify_chain(AuditStore::open_read_only(trail.db));
        REQUIRE_FALSE(result.intact());
        CHECK(result.problem->seq == 4);
        CHECK_THAT(result.problem->reason, Catch::Contains("entries 1 to 3 are missing"));
    }
}

TEST_CASE("an anchor older than the checkpoint is reported as possibly pruned", "[audit][prune]") {
    DatedTrail trail;
    AuditStore store = AuditStore::open_for_writing(trail.db);
    store.prune_before(trail.now - hours(24 * 7 + 1), "fs01", "retention 7d");
    CHECK(verify_chain(store, trail.entries[2].hash).anchor_seq == 3);  // the checkpoint's own hash
    const VerifyResult gone = verify_chain(store, trail.entries[0].hash);
    REQUIRE_FALSE(gone.intact());
    CHECK_THAT(gone.problem->reason, Catch::Contains("pruned"));
}
