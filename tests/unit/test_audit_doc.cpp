// docs/AUDIT.md tells auditors how to verify a trail without smbreaper. These tests run the
// Python verifier printed there against trails smbreaper wrote, so the document and the code
// cannot drift apart.
#include <catch2/catch.hpp>

#include "audit_test_support.h"
#include "common/utc_time.h"
#include "storage/audit_store.h"

using smbreaper::common::format_utc_timestamp;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::Outcome;
using smbreaper::storage::outcome_entry;

using namespace smbreaper;
using test::TempDir;

namespace {

std::string audit_doc() { return test::read_file(std::filesystem::path(SMBREAPER_SOURCE_DIR) / "docs" / "AUDIT.md"); }

// The first ```python block of docs/AUDIT.md, written to a file.
std::filesystem::path extract_verifier(const TempDir& dir) {
    const std::string doc = audit_doc();
    const std::string open = "```python\n";
    const auto start = doc.find(open);
    REQUIRE(start != std::string::npos);
    const auto end = doc.find("\n```", start + open.size());
    REQUIRE(end != std::string::npos);
    const auto script = dir / "verify.py";
    test::write_file(script, doc.substr(start + open.size(), end - start - open.size() + 1));
    return script;
}

// A trail with every kind of value: events, a resolved and an interrupted closure, non-ASCII
// names, quotes, a pruned stretch.
std::string write_varied_trail(const std::filesystem::path& db) {
    AuditStore store = AuditStore::open_for_writing(db);
    AuditEntry old_start = event_entry(EntryKind::Start, R"({"version":"0.1.0"})");
    old_start.time = format_utc_timestamp(std::chrono::system_clock::now() - std::chrono::hours(24 * 40));
    store.append(old_start);
    const auto pending =
        store.append({test::sample_closure(1, Outcome::Pending, "CORP\\\xC3\xA9mile", "PC-\xE6\x97\xA5"),
                      test::sample_closure(18446744073709551615u, Outcome::Pending, "o'brien")});
    AuditEntry closed = outcome_entry(pending[0], Outcome::Closed);
    store.append(closed);
    store.resolve_interrupted(store.unresolved_pending());
    store.append(event_entry(EntryKind::PolicyRejected, R"({"file":"policy.yaml","line":3})"));
    store.prune_before(std::chrono::system_clock::now() - std::chrono::hours(24 * 30), "fs01", "retention 30d");
    return store.head().hash;
}

}  // namespace

TEST_CASE("the Python verifier in docs/AUDIT.md accepts what smbreaper writes", "[audit][doc]") {
    TempDir dir;
    const auto script = extract_verifier(dir);
    const auto db = dir / "audit.db";
    const std::string head = write_varied_trail(db);
    REQUIRE(AuditStore::open_read_only(db).checkpoint().has_value());

    const auto result = test::run_program("python3", {script.string(), db.string()});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "intact: head seq 7 sha256 " + head + "\n");

    std::string upper = head;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(test::run_program("python3", {script.string(), db.string(), upper}).exit_code == 0);
    CHECK(test::run_program("python3", {script.string(), db.string(), std::string(64, 'a')}).exit_code == 1);
}

TEST_CASE("the Python verifier in docs/AUDIT.md catches the tampering smbreaper catches", "[audit][doc]") {
    TempDir dir;
    const auto script = extract_verifier(dir);
    for (const std::string tampering :
         {"UPDATE audit_entry SET ClientUserName = 'CORP\\emile' WHERE seq = 3",
          "DELETE FROM audit_entry WHERE seq = 4", "DELETE FROM audit_entry WHERE seq = 7",
          "UPDATE audit_entry SET NumOpens = 0.5 WHERE seq = 3", "UPDATE prune_checkpoint SET seq = 0"}) {
        INFO(tampering);
        const auto db = dir / ("audit-" + std::to_string(std::hash<std::string>{}(tampering)) + ".db");
        write_varied_trail(db);
        test::tamper(db, tampering);
        const auto result = test::run_program("python3", {script.string(), db.string()});
        CHECK(result.exit_code == 1);
        CHECK_THAT(result.out, Catch::StartsWith("BROKEN: "));
    }
}

TEST_CASE("the worked example's hash in docs/AUDIT.md is the one the code computes", "[audit][doc]") {
    // test_audit_hash.cpp checks the code against this value; here, that the document shows it.
    CHECK(audit_doc().find("ad6844da60962bb8620540de38b3f271683808518398ab028c5255c3a13a1667") != std::string::npos);
}
