// Incident blocks in the audit trail: a block is its block-set entry until a block-lifted entry
// resolves it; the store keeps that link honest, prune keeps a block in force, and the chain
// covers both.
#include <catch2/catch.hpp>

#include <sstream>

#include "audit_test_support.h"
#include "common/utc_time.h"
#include "storage/audit_errors.h"
#include "storage/audit_export.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"

using smbreaper::common::format_utc_timestamp;
using smbreaper::sessions::BlockKind;
using smbreaper::sessions::BlockTarget;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditEntryRejected;
using smbreaper::storage::AuditStore;
using smbreaper::storage::Block;
using smbreaper::storage::block_lifted_entry;
using smbreaper::storage::block_of;
using smbreaper::storage::block_set_entry;
using smbreaper::storage::LiftCause;
using smbreaper::storage::Outcome;
using smbreaper::storage::verify_chain;

using namespace smbreaper;
using std::chrono::hours;
using Clock = std::chrono::system_clock;

namespace {

const BlockTarget kBob{BlockKind::User, "CORP\\bob"};
const BlockTarget kClient{BlockKind::Client, "10.0.0.66"};

Block set_block(AuditStore& store, const BlockTarget& target, Clock::time_point expires) {
    AuditEntry entry = block_set_entry(target, expires, "incident 7", "root", R"({"command": "smbreaper block"})");
    entry.host = "fs01";
    return *block_of(store.append(std::move(entry)));
}

}  // namespace

TEST_CASE("a block is read back from its entry as it was set", "[audit][blocks]") {
    test::TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    const Clock::time_point expires = Clock::now() + hours(2);
    const Block block = set_block(store, kBob, expires);
    CHECK(block.id == 1);
    CHECK(block.target == kBob);
    CHECK(format_utc_timestamp(block.expires_at) == format_utc_timestamp(expires));
    CHECK(block.reason == "incident 7");
    CHECK(block.set_by == "root");
    CHECK(block.host == "fs01");
    CHECK_FALSE(block.overdue(Clock::now()));
    CHECK(block.overdue(expires + hours(1)));
    CHECK_FALSE(block_of(test::sample_closure(1, Outcome::Closed)));

    const BlockTarget on_shares{BlockKind::User, "CORP\\eve", {"Finance", "HR"}};
    CHECK(set_block(store, on_shares, expires).target == on_shares);
}

TEST_CASE("the blocks in force are those not lifted, and a block is lifted once", "[audit][blocks]") {
    test::TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    CHECK_FALSE(store.has_block_history());
    const Block bob = set_block(store, kBob, Clock::now() + hours(1));
    store.append(test::sample_closure(5, Outcome::Pending));
    const Block client = set_block(store, kClient, Clock::now() + hours(1));
    CHECK(store.has_block_history());
    REQUIRE(store.blocks_in_force().size() == 2);

    store.append(block_lifted_entry(bob, LiftCause::Unblocked, "alice", "password reset"));
    const std::vector<Block> left = store.blocks_in_force();
    REQUIRE(left.size() == 1);
    CHECK(left[0].id == client.id);

    CHECK_THROWS_AS(store.append(block_lifted_entry(bob, LiftCause::Expired, {}, {})), AuditEntryRejected);
    // A lift names a block, and only a lift resolves one.
    Block not_a_block = bob;
    not_a_block.id = 2;  // the pending closure
    CHECK_THROWS_AS(store.append(block_lifted_entry(not_a_block, LiftCause::Expired, {}, {})), AuditEntryRejected);
    AuditEntry outcome = test::sample_closure(5, Outcome::Closed);
    outcome.resolves_entry = client.id;
    CHECK_THROWS_AS(store.append(outcome), AuditEntryRejected);
    AuditEntry lift_without_block = block_lifted_entry(client, LiftCause::Expired, {}, {});
    lift_without_block.resolves_entry.reset();
    CHECK_THROWS_AS(store.append(lift_without_block), AuditEntryRejected);
    CHECK(store.blocks_in_force().size() == 1);
    CHECK_FALSE(verify_chain(store).problem);
}

TEST_CASE("prune never removes a block in force", "[audit][blocks][prune]") {
    test::TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    const Clock::time_point now = Clock::now();
    const auto dated = [&](AuditEntry entry, int days_ago) {
        entry.time = format_utc_timestamp(now - hours(24 * days_ago));
        return entry;
    };
    store.append(dated(test::sample_closure(1, Outcome::WhatIf), 10));
    store.append(dated(block_set_entry(kBob, now + hours(1), "long incident", "root", {}), 9));
    store.append(dated(test::sample_closure(2, Outcome::WhatIf), 8));
    const auto result = store.prune_before(now - hours(24 * 5), "fs01", "retention 5d");
    CHECK(result.removed == 1);  // only the entry before the block
    REQUIRE(store.blocks_in_force().size() == 1);
    CHECK_FALSE(verify_chain(store).problem);
}

TEST_CASE("the schema indexes the block-set entries", "[audit][blocks]") {
    test::TempDir dir;
    { const AuditStore store = AuditStore::open_for_writing(dir / "audit.db"); }
    CHECK(test::query_text(dir / "audit.db", "SELECT count(*) FROM sqlite_master WHERE name = 'audit_entry_blocks'") ==
          "1");
    CHECK(test::query_text(dir / "audit.db", "SELECT sql FROM sqlite_master WHERE name = 'audit_entry_blocks'")
              .find("WHERE kind = 'block-set'") != std::string::npos);
}

TEST_CASE("audit list shows whom a block's entries are about, and why it was lifted", "[audit][blocks]") {
    test::TempDir dir;
    AuditStore store = AuditStore::open_for_writing(dir / "audit.db");
    const Block bob = set_block(store, kBob, Clock::now() + hours(1));
    set_block(store, kClient, Clock::now() + hours(1));
    store.append(block_lifted_entry(bob, LiftCause::Unblocked, "alice", "password reset"));
    std::ostringstream out;
    const auto writer = smbreaper::storage::make_entry_writer(smbreaper::storage::ExportFormat::Table, out);
    smbreaper::storage::for_each_entry(store, smbreaper::storage::EntryFilter{},
                                       [&](const smbreaper::storage::AuditRow& row) { writer->write(row); });
    writer->finish();
    const std::string table = out.str();
    INFO(table);
    CHECK(table.find("block-set") != std::string::npos);
    CHECK(table.find("CORP\\bob") != std::string::npos);
    CHECK(table.find("10.0.0.66") != std::string::npos);
    CHECK(table.find("unblocked") != std::string::npos);
}
