#include <sqlite3.h>
#include <catch2/catch.hpp>

#include "audit_test_support.h"
#include "storage/audit_errors.h"
#include "storage/audit_row.h"
#include "storage/audit_schema.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"
#include "storage/entry_hash.h"

using smbreaper::storage::AuditColumn;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditSchemaError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::entry_hash;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::kAuditSchemaVersion;
using smbreaper::storage::kGenesisHash;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_row;
using smbreaper::storage::verify_chain;

using namespace smbreaper;
using test::TempDir;

namespace {

// The schema as version 1 defined it, frozen here: the migration must keep working on files
// written by that version, whatever the current code creates.
constexpr const char* kVersion1Schema = R"sql(
PRAGMA application_id = 1397572178;
CREATE TABLE audit_entry (
    seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, host TEXT, source TEXT, mode TEXT,
    rule TEXT, action TEXT, outcome TEXT, error TEXT, policy_sha256 TEXT, SessionId TEXT,
    ClientComputerName TEXT, ClientUserName TEXT, ScopeName TEXT, ClusterNodeName TEXT, SmbInstance TEXT,
    NumOpens INTEGER, SecondsIdle INTEGER, SecondsExists INTEGER, Dialect TEXT, TransportName TEXT,
    passthru_json TEXT, details_json TEXT, resolves_entry INTEGER, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE prune_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL,
    pruned_at TEXT NOT NULL, cutoff TEXT NOT NULL
);
PRAGMA user_version = 1;
)sql";

// Writes entries into a version 1 file the way version 1 did: linked and hashed, no head record.
std::string insert_chain(const std::filesystem::path& db, std::vector<AuditEntry> entries, std::int64_t first_seq,
                         std::string prev_hash) {
    std::string statements;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        AuditEntry& entry = entries[i];
        entry.seq = first_seq + static_cast<std::int64_t>(i);
        entry.time = "2023-06-01T10:00:00.000Z";
        entry.prev_hash = prev_hash;
        AuditRow row = to_row(entry);
        row[AuditColumn::Hash] = entry_hash(row);
        prev_hash = std::get<std::string>(row[AuditColumn::Hash]);
        statements += test::insert_row_sql(row);
    }
    test::run_sql(db, statements);
    return prev_hash;
}

void create_version1_file(const std::filesystem::path& db) {
    sqlite3* handle = nullptr;
    sqlite3_open(db.string().c_str(), &handle);
    sqlite3_close(handle);
    test::run_sql(db, kVersion1Schema);
}

}  // namespace

TEST_CASE("a version 1 file is upgraded in place and its chain still verifies", "[audit][schema]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    create_version1_file(db);
    const std::string last_hash =
        insert_chain(db,
                     {event_entry(EntryKind::Start), test::sample_closure(1, Outcome::Pending),
                      test::sample_closure(2, Outcome::WhatIf)},
                     1, std::string(kGenesisHash));

    CHECK_THROWS_WITH(AuditStore::open_read_only(db), Catch::Contains("audit upgrade"));

    AuditStore store = AuditStore::open_for_writing(db);
    CHECK(test::query_text(db, "PRAGMA user_version") == std::to_string(kAuditSchemaVersion));
    CHECK(store.head().seq == 3);
    CHECK(store.head().hash == last_hash);
    CHECK(verify_chain(store).intact());
    CHECK(store.unresolved_pending().size() == 1);

    const AuditEntry next = store.append(event_entry(EntryKind::Stop));
    CHECK(next.seq == 4);
    CHECK(next.prev_hash == last_hash);
    CHECK_THROWS(test::run_sql(db, "DELETE FROM audit_entry"));  // the v2 triggers are in place
    CHECK(verify_chain(AuditStore::open_read_only(db)).entries == 4);
}

TEST_CASE("a pruned version 1 file gets its head from the checkpoint when no entry is left", "[audit][schema]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    create_version1_file(db);
    const std::string checkpoint_hash(64, '7');
    test::run_sql(db, "INSERT INTO prune_checkpoint VALUES (1, 40, '" + checkpoint_hash +
                          "', '2023-06-01T00:00:00.000Z', '2023-05-01T00:00:00.000Z')");
    AuditStore store = AuditStore::open_for_writing(db);
    CHECK(store.head().seq == 40);
    CHECK(store.head().hash == checkpoint_hash);
    const AuditEntry next = store.append(event_entry(EntryKind::Start));
    CHECK(next.seq == 41);
    CHECK(next.prev_hash == checkpoint_hash);
}

TEST_CASE("a file from a newer smbreaper is refused with a clear message", "[audit][schema]") {
    TempDir dir;
    const auto db = dir / "audit.db";
    { AuditStore::open_for_writing(db); }
    test::run_sql(db, "PRAGMA user_version = 99");
    for (const auto open : {+[](const std::filesystem::path& p) { AuditStore::open_for_writing(p); },
                            +[](const std::filesystem::path& p) { AuditStore::open_read_only(p); }}) {
        try {
            open(db);
            FAIL("a newer schema must be refused");
        } catch (const AuditSchemaError& e) {
            CHECK_THAT(e.what(), Catch::Contains("version 99") && Catch::Contains("newer smbreaper") &&
                                     Catch::Contains("upgrade smbreaper"));
        }
    }
    CHECK(test::query_text(db, "PRAGMA user_version") == "99");  // left as it was
}

TEST_CASE("another program's SQLite database is refused and left alone", "[audit][schema]") {
    TempDir dir;
    const auto db = dir / "other.db";
    create_version1_file(db);
    test::run_sql(db, "PRAGMA application_id = 42");
    CHECK_THROWS_AS(AuditStore::open_for_writing(db), AuditSchemaError);

    const auto plain = dir / "plain.db";
    sqlite3* handle = nullptr;
    sqlite3_open(plain.string().c_str(), &handle);
    sqlite3_close(handle);
    test::run_sql(plain, "CREATE TABLE notes (text TEXT)");
    CHECK_THROWS_WITH(AuditStore::open_for_writing(plain), Catch::Contains("not an smbreaper audit trail"));
    CHECK(test::query_text(plain, "PRAGMA user_version") == "0");
}

TEST_CASE("an empty database holds no trail for readers", "[audit][schema]") {
    TempDir dir;
    const auto db = dir / "empty.db";
    test::write_file(db, "");
    CHECK_THROWS_AS(AuditStore::open_read_only(db), AuditSchemaError);
    CHECK(AuditStore::open_for_writing(db).head().seq == 0);  // a writer makes it a trail
}
