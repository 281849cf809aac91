#include <catch2/catch.hpp>

#include "audit_test_support.h"
#include "storage/audit_errors.h"
#include "storage/audit_row.h"

using smbreaper::storage::all_columns_sql;
using smbreaper::storage::AuditColumn;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditReadError;
using smbreaper::storage::AuditRow;
using smbreaper::storage::column_name;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::ForeignValue;
using smbreaper::storage::from_row;
using smbreaper::storage::kAuditColumnCount;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_row;

using namespace smbreaper;

TEST_CASE("the column list is the table's, in hash order", "[audit][row]") {
    CHECK(column_name(AuditColumn::Seq) == "seq");
    CHECK(column_name(AuditColumn::SessionId) == "SessionId");
    CHECK(column_name(AuditColumn::Hash) == "hash");
    CHECK(static_cast<std::size_t>(AuditColumn::Hash) + 1 == kAuditColumnCount);
    CHECK(all_columns_sql().rfind("seq, time, kind, ", 0) == 0);
    CHECK(all_columns_sql().size() > 200);
}

TEST_CASE("an entry survives the trip to a row and back", "[audit][row]") {
    AuditEntry entry = test::sample_closure(18446744073709551615u, Outcome::Failed);
    entry.seq = 9;
    entry.time = "2024-05-01T12:00:00.000Z";
    entry.error = "smbcontrol failed";
    entry.details_json = R"({"user":"root"})";
    entry.resolves_entry = 8;
    entry.prev_hash = std::string(64, '1');
    entry.hash = std::string(64, '2');
    const AuditEntry back = from_row(to_row(entry));
    CHECK(back.seq == 9);
    CHECK(back.kind == EntryKind::Closure);
    CHECK(back.mode == Mode::Enforce);
    CHECK(back.outcome == Outcome::Failed);
    CHECK(back.error == entry.error);
    REQUIRE(back.session);
    CHECK(back.session->session_id == 18446744073709551615u);
    CHECK(back.session->num_opens == 0);
    CHECK(back.session->seconds_exists == 86000);
    CHECK(back.session->dialect == "3.1.1");
    CHECK(back.passthru_json == entry.passthru_json);
    CHECK(back.details_json == entry.details_json);
    CHECK(back.resolves_entry == 8);
    CHECK(back.hash == entry.hash);
}

TEST_CASE("empty text is stored as NULL; the session id as decimal text", "[audit][row]") {
    const AuditEntry event = event_entry(EntryKind::Start);
    const AuditRow row = to_row(event);
    CHECK(std::holds_alternative<std::monostate>(row[AuditColumn::Host]));
    CHECK(std::holds_alternative<std::monostate>(row[AuditColumn::SessionId]));
    CHECK(std::holds_alternative<std::monostate>(row[AuditColumn::Outcome]));
    const AuditRow closure = to_row(test::sample_closure(42, Outcome::Closed));
    CHECK(std::get<std::string>(closure[AuditColumn::SessionId]) == "42");
    CHECK(std::get<std::int64_t>(closure[AuditColumn::SecondsIdle]) == 7300);
}

TEST_CASE("a row holding values smbreaper never writes cannot become an entry", "[audit][row]") {
    AuditRow row = to_row(test::sample_closure(42, Outcome::Closed));
    row[AuditColumn::Outcome] = std::string("exploded");
    CHECK_THROWS_AS(from_row(row), AuditReadError);
    row = to_row(test::sample_closure(42, Outcome::Closed));
    row[AuditColumn::SessionId] = std::string("42x");
    CHECK_THROWS_AS(from_row(row), AuditReadError);
    row = to_row(test::sample_closure(42, Outcome::Closed));
    row[AuditColumn::NumOpens] = ForeignValue{"REAL", "1.5"};
    CHECK_THROWS_AS(from_row(row), AuditReadError);
    CHECK(row.text(AuditColumn::NumOpens) == "1.5");
}
