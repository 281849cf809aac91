#include <catch2/catch.hpp>

#include "storage/entry_hash.h"

using smbreaper::storage::AuditColumn;
using smbreaper::storage::AuditRow;
using smbreaper::storage::canonical_serialisation;
using smbreaper::storage::column_name;
using smbreaper::storage::entry_hash;
using smbreaper::storage::ForeignValue;
using smbreaper::storage::kAuditColumnCount;
using smbreaper::storage::kGenesisHash;

using namespace smbreaper;

namespace {

// The row docs/AUDIT.md's worked example uses; its serialisation and hash were computed
// independently (Python's hashlib over the bytes below).
AuditRow example_row() {
    AuditRow row;
    row[AuditColumn::Seq] = std::int64_t{7};
    row[AuditColumn::Time] = std::string("2024-05-01T12:34:56.789Z");
    row[AuditColumn::Kind] = std::string("closure");
    row[AuditColumn::Host] = std::string("fs01");
    row[AuditColumn::Mode] = std::string("enforce");
    row[AuditColumn::Outcome] = std::string("closed");
    row[AuditColumn::SessionId] = std::string("42");
    row[AuditColumn::ClientUserName] = std::string("CORP\\\xC3\xA9mile");
    row[AuditColumn::NumOpens] = std::int64_t{0};
    row[AuditColumn::PrevHash] = std::string(kGenesisHash);
    return row;
}

}  // namespace

TEST_CASE("the canonical serialisation is exactly the documented bytes", "[audit][hash]") {
    CHECK(canonical_serialisation(example_row()) ==
          "t24:smbreaper-audit-entry-v1i7;t24:2024-05-01T12:34:56.789Zt7:closuret4:fs01nt7:enforcennt6:closednn"
          "t2:42nt11:CORP\\\xC3\xA9milennni0;nnnnnnnt64:" +
              std::string(kGenesisHash));
    CHECK(entry_hash(example_row()) == "ad6844da60962bb8620540de38b3f271683808518398ab028c5255c3a13a1667");
}

TEST_CASE("the hash column itself is not covered", "[audit][hash]") {
    AuditRow row = example_row();
    const std::string before = entry_hash(row);
    row[AuditColumn::Hash] = std::string(64, 'f');
    CHECK(entry_hash(row) == before);
}

TEST_CASE("every value, its type and its place change the hash", "[audit][hash]") {
    const std::string original = entry_hash(example_row());
    for (std::size_t i = 0; i + 1 < kAuditColumnCount; ++i) {
        INFO(column_name(i));
        AuditRow changed = example_row();
        changed.at(i) = std::string("x");
        CHECK(entry_hash(changed) != original);
    }
    AuditRow as_text = example_row();
    as_text[AuditColumn::NumOpens] = std::string("0");  // the same digits, but TEXT instead of INTEGER
    CHECK(entry_hash(as_text) != original);
    AuditRow empty_text = example_row();
    empty_text[AuditColumn::Source] = std::string();  // '' is not NULL
    CHECK(entry_hash(empty_text) != original);
}

TEST_CASE("lengths keep neighbouring columns apart", "[audit][hash]") {
    AuditRow a = example_row();
    AuditRow b = example_row();
    a[AuditColumn::Rule] = std::string("ab");
    a[AuditColumn::Action] = std::string("c");
    b[AuditColumn::Rule] = std::string("a");
    b[AuditColumn::Action] = std::string("bc");
    CHECK(canonical_serialisation(a) != canonical_serialisation(b));
    CHECK(entry_hash(a) != entry_hash(b));
}

TEST_CASE("a foreign value has no canonical form", "[audit][hash]") {
    AuditRow row = example_row();
    row[AuditColumn::NumOpens] = ForeignValue{"REAL", "0.0"};
    CHECK_THROWS_AS(canonical_serialisation(row), std::invalid_argument);
}
