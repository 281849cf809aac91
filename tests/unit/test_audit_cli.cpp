// `smbreaper audit ...`, run as a user would run it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "audit_test_support.h"
#include "common/utc_time.h"
#include "storage/audit_store.h"

using smbreaper::common::format_utc_timestamp;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::Outcome;

using namespace smbreaper;
using test::run_smbreaper;
using test::TempDir;
using Clock = std::chrono::system_clock;

namespace {

constexpr const char* kFormulaUser = "=cmd|' /C calc'!A0";

// Four entries spread over three days:
//   1 start (3 days ago)   2 closed alice (2 days ago)   3 what-if formula user (1 hour ago)   4 failed bob (30 min ago)
struct CliTrail {
    TempDir dir;
    std::filesystem::path db = dir / "audit.db";
    std::string head_hash;
    std::vector<AuditEntry> entries;

    CliTrail() {
        const auto now = Clock::now();
        auto timed = [](AuditEntry entry, Clock::time_point time) {
            entry.time = format_utc_timestamp(time);
            return entry;
        };
        AuditEntry failed = test::sample_closure(103, Outcome::Failed, "CORP\\bob", "10.0.0.6", "idle-2h");
        failed.error = "access denied";
        AuditStore store = AuditStore::open_for_writing(db);
        entries = store.append({
            timed(event_entry(EntryKind::Start), now - std::chrono::hours(72)),
            timed(test::sample_closure(101, Outcome::Closed, "CORP\\alice", "10.0.0.5", "idle-2h"),
                  now - std::chrono::hours(48)),
            timed(test::sample_closure(102, Outcome::WhatIf, kFormulaUser, "LAB-7", "contractors"),
                  now - std::chrono::hours(1)),
            timed(failed, now - std::chrono::minutes(30)),
        });
        head_hash = entries.back().hash;
    }

    test::CommandResult audit(std::vector<std::string> arguments) const {
        arguments.insert(arguments.begin(), "audit");
        return run_smbreaper(arguments);
    }

    // The seqs `audit list --format json` prints with these extra arguments.
    std::vector<std::int64_t> listed(std::vector<std::string> filters) const {
        std::vector<std::string> arguments = {"list", "--db", db.string(), "--format", "json"};
        arguments.insert(arguments.end(), filters.begin(), filters.end());
        const auto result = audit(arguments);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        std::vector<std::int64_t> seqs;
        for (const auto& entry : nlohmann::json::parse(result.out)) seqs.push_back(entry["seq"].get<std::int64_t>());
        return seqs;
    }
};

using Seqs = std::vector<std::int64_t>;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("audit list prints a table by default", "[audit][cli]") {
    CliTrail trail;
    const auto result = trail.audit({"list", "--db", trail.db.string()});
    CHECK(result.exit_code == 0);
    const auto lines = lines_of(result.out);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].rfind("SEQ", 0) == 0);
    CHECK_THAT(lines[2], Catch::Contains("closed") && Catch::Contains("CORP\\alice") && Catch::Contains("101"));
    CHECK_THAT(lines[4], Catch::Contains("access denied"));
}

TEST_CASE("audit list --format json and csv", "[audit][cli]") {
    CliTrail trail;
    const auto json = trail.audit({"list", "--db", trail.db.string(), "--format", "json"});
    CHECK(json.exit_code == 0);
    const auto array = nlohmann::json::parse(json.out);
    REQUIRE(array.size() == 4);
    CHECK(array[1]["ClientUserName"] == "CORP\\alice");
    CHECK(array[1]["passthru_json"]["SessionId"] == 101);

    const auto csv = trail.audit({"list", "--db", trail.db.string(), "--format", "csv"});
    CHECK(csv.exit_code == 0);
    CHECK(csv.out.rfind("\xEF\xBB\xBFseq,time,", 0) == 0);
}

TEST_CASE("audit export writes JSON lines by default", "[audit][cli]") {
    CliTrail trail;
    const auto result = trail.audit({"export", "--db", trail.db.string()});
    CHECK(result.exit_code == 0);
    const auto lines = lines_of(result.out);
    REQUIRE(lines.size() == 4);
    for (const auto& line : lines) CHECK(nlohmann::json::parse(line).size() == 27);
    CHECK(nlohmann::json::parse(lines[3])["hash"] == trail.head_hash);
}

TEST_CASE("audit export --format csv opens safely in Excel", "[audit][cli]") {
    CliTrail trail;
    const auto result = trail.audit({"export", "--db", trail.db.string(), "--format", "csv"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(result.out.find("\r\n") != std::string::npos);
    CHECK(result.out.find(",'=cmd|' /C calc'!A0,") != std::string::npos);
    CHECK(result.out.find(",=cmd") == std::string::npos);
    std::size_t rows = 0;
    for (std::size_t at = 0; (at = result.out.find("\r\n", at)) != std::string::npos; at += 2) ++rows;
    CHECK(rows == 5);  // the header and four entries; the PassThru JSON is quoted, its commas kept inside
}

TEST_CASE("audit export --output writes the file byte for byte", "[audit][cli]") {
    CliTrail trail;
    const auto file = trail.dir / "out.csv";
    const auto result =
        trail.audit({"export", "--db", trail.db.string(), "--format", "csv", "--output", file.string()});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    const std::string written = test::read_file(file);
    CHECK(written.rfind("\xEF\xBB\xBFseq,", 0) == 0);
    CHECK(written.find("\r\r\n") == std::string::npos);
}

TEST_CASE("audit list filters", "[audit][cli]") {
    CliTrail trail;
    CHECK(trail.listed({}) == Seqs{1, 2, 3, 4});
    CHECK(trail.listed({"--since", "24h"}) == Seqs{3, 4});
    CHECK(trail.listed({"--until", "24h"}) == Seqs{1, 2});
    CHECK(trail.listed({"--since", "2d1h", "--until", "45m"}) == Seqs{2, 3});
    CHECK(trail.listed({"--since", trail.entries[2].time}) == Seqs{3, 4});
    CHECK(trail.listed({"--until", "2000-01-01"}) == Seqs{});
    CHECK(trail.listed({"--user", "corp\\ALICE"}) == Seqs{2});
    CHECK(trail.listed({"--user", "CORP\\*", "--outcome", "failed"}) == Seqs{4});
    CHECK(trail.listed({"--client", "lab-*"}) == Seqs{3});
    CHECK(trail.listed({"--rule", "idle-*"}) == Seqs{2, 4});
    CHECK(trail.listed({"--outcome", "closed", "--outcome", "what-if"}) == Seqs{2, 3});
    CHECK(trail.listed({"--session-id", "102"}) == Seqs{3});
}

TEST_CASE("audit verify prints the head and exits 0 when intact, 1 naming the entry when not", "[audit][cli]") {
    CliTrail trail;
    const auto intact = trail.audit({"verify", "--db", trail.db.string()});
    CHECK(intact.exit_code == 0);
    CHECK_THAT(intact.out, Catch::Contains("intact") && Catch::Contains("entries:    4 (seq 1 to 4)") &&
                               Catch::Contains("seq 4 sha256 " + trail.head_hash));

    test::tamper(trail.db, "UPDATE audit_entry SET ClientUserName = 'CORP\\carol' WHERE seq = 2");
    const auto broken = trail.audit({"verify", "--db", trail.db.string()});
    CHECK(broken.exit_code == 1);
    CHECK_THAT(broken.out, Catch::Contains("BROKEN at entry 2") && Catch::Contains("a column was changed"));
}

TEST_CASE("audit verify --anchor", "[audit][cli]") {
    CliTrail trail;
    const auto found = trail.audit({"verify", "--db", trail.db.string(), "--anchor", trail.entries[1].hash});
    CHECK(found.exit_code == 0);
    CHECK_THAT(found.out, Catch::Contains("anchor:     found at seq 2"));

    std::string upper = trail.head_hash;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(trail.audit({"verify", "--db", trail.db.string(), "--anchor", upper}).exit_code == 0);

    test::tamper(trail.db,
                 "DELETE FROM audit_entry WHERE seq = 4;"
                 "UPDATE chain_head SET seq = 3, hash = (SELECT hash FROM audit_entry WHERE seq = 3)");
    CHECK(trail.audit({"verify", "--db", trail.db.string()}).exit_code == 0);
    const auto lost = trail.audit({"verify", "--db", trail.db.string(), "--anchor", trail.head_hash});
    CHECK(lost.exit_code == 1);
    CHECK_THAT(lost.out, Catch::Contains("BROKEN: the anchor"));

    const auto malformed = trail.audit({"verify", "--db", trail.db.string(), "--anchor", "1234"});
    CHECK(malformed.exit_code == 2);
    CHECK_THAT(malformed.err, Catch::Contains("64 hex digits"));
}

TEST_CASE("audit prune keeps the chain verifiable", "[audit][cli]") {
    CliTrail trail;
    const auto pruned = trail.audit({"prune", "--db", trail.db.string(), "--older-than", "1d"});
    CHECK(pruned.exit_code == 0);
    CHECK_THAT(pruned.out, Catch::Contains("pruned 2 entries (through seq 2)") && Catch::Contains("entry 5"));
    CHECK(trail.listed({}) == Seqs{3, 4, 5});

    const auto verified = trail.audit({"verify", "--db", trail.db.string()});
    CHECK(verified.exit_code == 0);
    CHECK_THAT(verified.out,
               Catch::Contains("entries:    3 (seq 3 to 5)") && Catch::Contains("checkpoint: entries through seq 2"));

    const auto again = trail.audit({"prune", "--db", trail.db.string(), "--older-than", "1d"});
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("nothing to prune"));
    CHECK(trail.audit({"prune", "--db", trail.db.string()}).exit_code == 2);
    CHECK(trail.audit({"prune", "--db", trail.db.string(), "--older-than", "soon"}).exit_code == 2);

    const auto typo = trail.audit({"prune", "--db", (trail.dir / "adit.db").string(), "--older-than", "1d"});
    CHECK(typo.exit_code == 1);
    CHECK_THAT(typo.err, Catch::Contains("no audit trail at"));
    CHECK_FALSE(std::filesystem::exists(trail.dir / "adit.db"));
}

TEST_CASE("--policy finds the database through settings.audit_db, relative to the policy", "[audit][cli]") {
    CliTrail trail;
    TempDir policies;
    std::filesystem::create_directories(policies / "site");
    std::filesystem::copy_file(trail.db, policies / "site" / "trail.db");
    test::write_file(policies / "site" / "policy.yaml", "version: 1\nsettings:\n  audit_db: trail.db\nrules: []\n");
    const auto named = run_smbreaper({"audit", "verify", "--policy", (policies / "site" / "policy.yaml").string()});
    CHECK(named.exit_code == 0);
    CHECK_THAT(named.out, Catch::Contains("trail.db: intact"));

    std::filesystem::copy_file(trail.db, policies / "audit.db");
    test::write_file(policies / "policy.yaml", "version: 1\nrules: []\n");
    const auto default_name = run_smbreaper({"audit", "list", "--policy", (policies / "policy.yaml").string()});
    CHECK(default_name.exit_code == 0);
    CHECK(lines_of(default_name.out).size() == 5);

    test::write_file(policies / "broken.yaml", "settings:\n  audit_db: [unclosed\n");
    const auto broken = run_smbreaper({"audit", "list", "--policy", (policies / "broken.yaml").string()});
    CHECK(broken.exit_code == 1);
    CHECK_THAT(broken.err, Catch::Contains("broken.yaml:"));
}

TEST_CASE("mistakes on the command line exit 2, problems with the file exit 1", "[audit][cli]") {
    CliTrail trail;
    const std::string db = trail.db.string();
    CHECK(trail.audit({"list"}).exit_code == 2);
    CHECK(trail.audit({"list", "--db", db, "--policy", "policy.yaml"}).exit_code == 2);
    CHECK(trail.audit({"list", "--db", db, "--outcome", "exploded"}).exit_code == 2);
    CHECK(trail.audit({"list", "--db", db, "--since", "last tuesday"}).exit_code == 2);
    CHECK(trail.audit({"list", "--db", db, "--session-id", "abc"}).exit_code == 2);
    CHECK(trail.audit({"export", "--db", db, "--format", "table"}).exit_code == 2);
    CHECK(trail.audit({}).exit_code == 2);

    const auto missing = trail.audit({"list", "--db", (trail.dir / "none.db").string()});
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.err, Catch::Contains("no audit trail at"));
    CHECK_FALSE(std::filesystem::exists(trail.dir / "none.db"));

    test::run_sql(trail.db, "PRAGMA user_version = 7");
    const auto newer = trail.audit({"verify", "--db", db});
    CHECK(newer.exit_code == 1);
    CHECK_THAT(newer.err, Catch::Contains("newer smbreaper"));
}

TEST_CASE("audit upgrade brings a version 1 trail up to date; readers ask for it", "[audit][cli]") {
    CliTrail trail;
    // Back to version 1: what versions 2 and 3 added, removed.
    test::tamper(trail.db,
                 "DROP TABLE chain_head; DROP INDEX audit_entry_time; DROP INDEX audit_entry_session;"
                 "DROP INDEX audit_entry_resolves; DROP INDEX audit_entry_blocks; PRAGMA user_version = 1");
    const auto refused = trail.audit({"verify", "--db", trail.db.string()});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.err, Catch::Contains("smbreaper audit upgrade --db"));

    const auto upgraded = trail.audit({"upgrade", "--db", trail.db.string()});
    CHECK(upgraded.exit_code == 0);
    CHECK_THAT(upgraded.out, Catch::Contains("schema version 3"));
    const auto verified = trail.audit({"verify", "--db", trail.db.string(), "--anchor", trail.head_hash});
    CHECK(verified.exit_code == 0);
    CHECK(trail.audit({"upgrade", "--db", (trail.dir / "missing.db").string()}).exit_code == 1);
}
