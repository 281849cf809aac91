#include <sqlite3.h>
#include <catch2/catch.hpp>

#include "audit_test_support.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"
#include "storage/entry_hash.h"

using smbreaper::storage::AuditColumn;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditStore;
using smbreaper::storage::column_name;
using smbreaper::storage::entry_hash;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::for_each_entry;
using smbreaper::storage::kAuditColumnCount;
using smbreaper::storage::kGenesisHash;
using smbreaper::storage::Outcome;
using smbreaper::storage::outcome_entry;
using smbreaper::storage::to_row;
using smbreaper::storage::verify_chain;
using smbreaper::storage::VerifyResult;

using namespace smbreaper;
using test::TempDir;

namespace {

// A trail of four entries; entry 3 has a value in every column.
//   1 start   2 pending closure   3 failed outcome of 2 (error, details)   4 stop
struct SampleTrail {
    TempDir dir;
    std::filesystem::path db = dir / "audit.db";
    std::vector<AuditEntry> entries;

    SampleTrail() {
        AuditStore store = AuditStore::open_for_writing(db);
        entries.push_back(store.append(event_entry(EntryKind::Start, R"({"version":"0.1.0"})")));
        entries.push_back(store.append(test::sample_closure(77, Outcome::Pending)));
        AuditEntry failed = outcome_entry(entries[1], Outcome::Failed, "smbcontrol: no such process");
        failed.details_json = R"({"attempt":1})";
        entries.push_back(store.append(failed));
        entries.push_back(store.append(event_entry(EntryKind::Stop)));
    }

    VerifyResult verify(const std::optional<std::string>& anchor = std::nullopt) const {
        return verify_chain(AuditStore::open_read_only(db), anchor);
    }

    std::vector<AuditRow> rows() const {
        std::vector<AuditRow> all;
        for_each_entry(AuditStore::open_read_only(db), {}, [&](const AuditRow& row) { all.push_back(row); });
        return all;
    }
};

// Changes one byte of one column of one entry through the sqlite3 C API, keeping its type: the
// middle byte of a text, the lowest bits of an integer.
void change_one_byte(const std::filesystem::path& db, std::string_view column, std::int64_t seq) {
    test::tamper(db, "SELECT 1");  // drops the triggers
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(db.string().c_str(), &handle) == SQLITE_OK);
    const std::string where = " FROM audit_entry WHERE seq = " + std::to_string(seq);
    sqlite3_stmt* read = nullptr;
    REQUIRE(sqlite3_prepare_v2(handle, ("SELECT " + std::string(column) + where).c_str(), -1, &read, nullptr) ==
            SQLITE_OK);
    REQUIRE(sqlite3_step(read) == SQLITE_ROW);
    const int type = sqlite3_column_type(read, 0);
    const std::int64_t number = sqlite3_column_int64(read, 0);
    std::string text(reinterpret_cast<const char*>(sqlite3_column_text(read, 0)),
                     static_cast<std::size_t>(sqlite3_column_bytes(read, 0)));
    sqlite3_finalize(read);

    sqlite3_stmt* write = nullptr;
    const std::string update =
        "UPDATE audit_entry SET " + std::string(column) + " = ?1 WHERE seq = " + std::to_string(seq);
    REQUIRE(sqlite3_prepare_v2(handle, update.c_str(), -1, &write, nullptr) == SQLITE_OK);
    if (type == SQLITE_INTEGER) {
        sqlite3_bind_int64(write, 1, number ^ 4);  // seq 3 becomes 7: no clash with another entry
    } else {
        REQUIRE(type == SQLITE_TEXT);
        REQUIRE_FALSE(text.empty());
        text[text.size() / 2] = static_cast<char>(text[text.size() / 2] ^ 0x01);
        sqlite3_bind_text(write, 1, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
    REQUIRE(sqlite3_step(write) == SQLITE_DONE);
    sqlite3_finalize(write);
    sqlite3_close(handle);
}

// Tampers with a fresh sample trail and checks that verify names `seq` with a reason containing
// `reason`.
void check_caught(const std::string& tampering, std::optional<std::int64_t> seq, const std::string& reason) {
    SampleTrail trail;
    test::tamper(trail.db, tampering);
    const VerifyResult result = trail.verify();
    REQUIRE_FALSE(result.intact());
    CHECK(result.problem->seq == seq);
    CHECK_THAT(result.problem->reason, Catch::Contains(reason));
}

}  // namespace

TEST_CASE("an untouched trail verifies and reports its head", "[audit][verify]") {
    SampleTrail trail;
    const VerifyResult result = trail.verify();
    CHECK(result.intact());
    CHECK(result.entries == 4);
    CHECK(result.head.seq == 4);
    CHECK(result.head.hash == trail.entries[3].hash);
    CHECK_FALSE(result.checkpoint.has_value());
}

TEST_CASE("an empty trail verifies with a head of 64 zeros", "[audit][verify]") {
    TempDir dir;
    const VerifyResult result = verify_chain(AuditStore::open_for_writing(dir / "audit.db"));
    CHECK(result.intact());
    CHECK(result.entries == 0);
    CHECK(result.head.hash == kGenesisHash);
}

TEST_CASE("changing one byte of any column of an entry is caught at that entry", "[audit][verify]") {
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        const std::string_view column = column_name(i);
        INFO("column " << column);
        SampleTrail trail;
        change_one_byte(trail.db, column, 3);
        const VerifyResult result = trail.verify();
        REQUIRE_FALSE(result.intact());
        // A changed seq moves the entry: the gap is seen at the next one there is.
        CHECK(result.problem->seq == (column == "seq" ? 4 : 3));
        CHECK(result.entries == 2);
    }
}

TEST_CASE("a changed column is reported as such, a changed link as a link", "[audit][verify]") {
    SampleTrail trail;
    change_one_byte(trail.db, "ClientUserName", 2);
    CHECK_THAT(trail.verify().problem->reason, Catch::Contains("a column was changed"));

    SampleTrail relinked;
    change_one_byte(relinked.db, "prev_hash", 2);
    CHECK_THAT(relinked.verify().problem->reason, Catch::Contains("prev_hash does not match the hash of entry 1"));
}

TEST_CASE("deleting the last entry is caught by the head record", "[audit][verify]") {
    check_caught("DELETE FROM audit_entry WHERE seq = 4", 4, "newest entries were deleted");
}

TEST_CASE("deleting the last entry and rewinding the head record is caught only by an anchor", "[audit][verify]") {
    SampleTrail trail;
    test::tamper(trail.db,
                 "DELETE FROM audit_entry WHERE seq = 4;"
                 "UPDATE chain_head SET seq = 3, hash = (SELECT hash FROM audit_entry WHERE seq = 3)");
    CHECK(trail.verify().intact());  // the limit of a chain without a secret: see docs/AUDIT.md

    const VerifyResult anchored = trail.verify(trail.entries[3].hash);
    REQUIRE_FALSE(anchored.intact());
    CHECK_FALSE(anchored.problem->seq.has_value());
    CHECK_THAT(anchored.problem->reason, Catch::Contains("anchor") && Catch::Contains("not in the chain"));

    const VerifyResult older_anchor = trail.verify(trail.entries[2].hash);
    CHECK(older_anchor.intact());
    CHECK(older_anchor.anchor_seq == 3);
}

TEST_CASE("deleting an entry in the middle is caught at the entry after it", "[audit][verify]") {
    check_caught("DELETE FROM audit_entry WHERE seq = 2", 3, "entry 2 is missing");
}

TEST_CASE("swapping two entries is caught at the first of them", "[audit][verify]") {
    check_caught(
        "UPDATE audit_entry SET seq = 100 WHERE seq = 2;"
        "UPDATE audit_entry SET seq = 2 WHERE seq = 3;"
        "UPDATE audit_entry SET seq = 3 WHERE seq = 100;",
        2, "prev_hash does not match the hash of entry 1");
}

TEST_CASE("an entry inserted in the middle, even correctly hashed, is caught", "[audit][verify]") {
    SampleTrail trail;
    // A forged closure at seq 3, linked to entry 2 and hashed exactly as smbreaper would.
    AuditEntry forged = test::sample_closure(5, Outcome::Closed, "CORP\\mallory");
    forged.seq = 3;
    forged.time = trail.entries[2].time;
    forged.prev_hash = trail.entries[1].hash;
    AuditRow row = to_row(forged);
    row[AuditColumn::Hash] = entry_hash(row);
    test::tamper(trail.db,
                 "UPDATE audit_entry SET seq = seq + 100 WHERE seq >= 3;"
                 "UPDATE audit_entry SET seq = seq - 99 WHERE seq >= 100;" +
                     test::insert_row_sql(row));
    const VerifyResult result = trail.verify();
    REQUIRE_FALSE(result.intact());
    CHECK(result.problem->seq == 4);
}

TEST_CASE("an entry appended by something other than smbreaper is caught by the head record", "[audit][verify]") {
    SampleTrail trail;
    AuditEntry forged = event_entry(EntryKind::Stop);
    forged.seq = 5;
    forged.time = trail.entries[3].time;
    forged.prev_hash = trail.entries[3].hash;
    AuditRow row = to_row(forged);
    row[AuditColumn::Hash] = entry_hash(row);
    test::tamper(trail.db, test::insert_row_sql(row));
    const VerifyResult result = trail.verify();
    REQUIRE_FALSE(result.intact());
    CHECK(result.problem->seq == 5);
    CHECK_THAT(result.problem->reason, Catch::Contains("added by something other than smbreaper"));
}

TEST_CASE("a value of a type smbreaper never writes is caught", "[audit][verify]") {
    check_caught("UPDATE audit_entry SET NumOpens = 0.5 WHERE seq = 2", 2, "NumOpens holds a REAL");
}

TEST_CASE("a missing head record is reported", "[audit][verify]") {
    check_caught("DELETE FROM chain_head", std::nullopt, "head record (table chain_head) is missing");
}

TEST_CASE("a rebuilt chain passes on its own and fails against an anchor", "[audit][verify]") {
    SampleTrail trail;
    // Rewrite entry 2 and re-hash everything after it, head record included.
    std::vector<AuditRow> rows = trail.rows();
    std::string statements = "DELETE FROM audit_entry;";
    std::string prev(kGenesisHash);
    for (AuditRow& row : rows) {
        if (row.integer(AuditColumn::Seq) == 2) row[AuditColumn::ClientUserName] = std::string("CORP\\nobody");
        row[AuditColumn::PrevHash] = prev;
        prev = entry_hash(row);
        row[AuditColumn::Hash] = prev;
        statements += test::insert_row_sql(row);
    }
    statements += "UPDATE chain_head SET hash = '" + prev + "';";
    test::tamper(trail.db, statements);

    CHECK(trail.verify().intact());
    const VerifyResult anchored = trail.verify(trail.entries[3].hash);
    REQUIRE_FALSE(anchored.intact());
    CHECK_THAT(anchored.problem->reason, Catch::Contains("rebuilt"));
}
