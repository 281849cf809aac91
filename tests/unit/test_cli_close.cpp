#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "snapshot_server.h"
#include "storage/chain_verify.h"

using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryFilter;
using smbreaper::storage::for_each_entry;
using smbreaper::storage::from_row;
using smbreaper::storage::Mode;
using smbreaper::storage::verify_chain;

using namespace smbreaper;
using test::SnapshotServer;

namespace {

const std::vector<std::uint64_t> kAll{1, 2, 3, 4};

bool verifies(const SnapshotServer& server) {
    return verify_chain(AuditStore::open_read_only(server.audit_db)).intact();
}

}  // namespace

TEST_CASE("close needs a filter or --all, and never both", "[cli][close]") {
    SnapshotServer server;
    auto result = server.run("close", {"--force"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("--all") != std::string::npos);
    result = server.run("close", {"--force", "--all", "--session-id", "1"});
    CHECK(result.exit_code == 2);
    CHECK(server.ids() == kAll);
    CHECK_FALSE(std::filesystem::exists(server.audit_db));
}

TEST_CASE("close with --source needs the audit trail named", "[cli][close]") {
    SnapshotServer server;
    const auto result =
        test::run_smbreaper({"close", "--source", "snapshot:" + server.table.string(), "--force", "--all"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("--audit-db") != std::string::npos);
    CHECK(server.ids() == kAll);
}

TEST_CASE("without a terminal and without --force, close refuses and closes nothing", "[cli][close]") {
    SnapshotServer server;
    const auto result = server.run("close", {"--session-id", "1"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("not a terminal") != std::string::npos);
    CHECK(result.err.find("--force") != std::string::npos);
    CHECK(server.ids() == kAll);
    CHECK(server.entries().empty());
}

TEST_CASE("close --force closes what the filters select and audits each close", "[cli][close]") {
    SnapshotServer server;
    const auto result = server.run("close", {"--force", "--client-user-name", "corp\\alice"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK(result.err.find("closed session 1 (user CORP\\alice, client 10.0.5.21)") != std::string::npos);
    CHECK(result.err.find("closed session 3 (user CORP\\Alice, client LAB-7)") != std::string::npos);
    CHECK(server.ids() == std::vector<std::uint64_t>{2, 4});

    // The snapshot was rewritten: `sessions` no longer lists them.
    const auto listed = server.run("sessions", {"--client-user-name", "corp\\alice"});
    CHECK(listed.exit_code == 1);
    CHECK(listed.out.empty());

    CHECK(server.outcomes() == std::vector<std::string>{"pending:1", "pending:3", "closed:1", "closed:3"});
    const auto entries = server.entries();
    for (const AuditEntry& entry : entries) {
        CHECK(entry.mode == Mode::Manual);
        CHECK(entry.source == "snapshot");
        CHECK(entry.action == "close");
        CHECK_FALSE(entry.host.empty());
        CHECK(entry.policy_sha256.empty());
        const auto details = nlohmann::json::parse(entry.details_json);
        CHECK(details["command"] == "smbreaper close");
        CHECK(details["os_user"]["name"] == "root");
        CHECK(details["os_user"]["id"] == "0");
        CHECK(details["filters"] == nlohmann::json::parse(R"({"ClientUserName": ["corp\\alice"]})"));
        CHECK(details["force"] == true);
    }
    CHECK(*entries[2].resolves_entry == entries[0].seq);
    CHECK(nlohmann::json::parse(entries[2].passthru_json)["ClientComputerName"] == "10.0.5.21");
    CHECK(verifies(server));
}

TEST_CASE("close --all closes every session and says so in the audit trail", "[cli][close]") {
    SnapshotServer server;
    const auto result = server.run("close", {"--force", "--all", "--throttle-limit", "3"});
    REQUIRE(result.exit_code == 0);
    CHECK(server.ids().empty());
    const auto entries = server.entries();
    REQUIRE(entries.size() == 8);
    CHECK(nlohmann::json::parse(entries[0].details_json)["filters"] == nlohmann::json::parse(R"({"all": true})"));

    const auto empty = server.run("close", {"--force", "--all"});
    CHECK(empty.exit_code == 0);
    CHECK(empty.err.find("no SMB sessions to close") != std::string::npos);
}

TEST_CASE("close --what-if says what it would do, records it, and closes nothing", "[cli][close]") {
    SnapshotServer server;
    const auto result = server.run("close", {"--what-if", "--client-computer-name", "10.0.5.*"});
    REQUIRE(result.exit_code == 0);
    CHECK(result.out ==
          "What if: Performing operation 'Close-Session' on Target '1'.\n"
          "What if: Performing operation 'Close-Session' on Target '2'.\n");
    CHECK(server.ids() == kAll);
    CHECK(server.outcomes() == std::vector<std::string>{"what-if:1", "what-if:2"});
    CHECK(server.entries()[0].mode == Mode::Manual);
}

TEST_CASE("close --passthru prints the closed sessions as a JSON snapshot", "[cli][close]") {
    SnapshotServer server;
    const auto result = server.run("close", {"--force", "--passthru", "--session-id", "2", "--session-id", "4"});
    REQUIRE(result.exit_code == 0);
    const auto json = nlohmann::json::parse(result.out);
    REQUIRE(json.size() == 2);
    CHECK(json[0]["SessionId"] == 2);
    CHECK(json[0]["ClientUserName"] == "CORP\\bob");
    CHECK(json[1]["SessionId"] == 4);
    CHECK(json[1]["ClientComputerName"] == "10.0.9.3");
    test::write_file(server.dir / "closed.json", result.out);
    CHECK(read_snapshot_file(server.dir / "closed.json").sessions.size() == 2);
}

TEST_CASE("a filter value that matches nothing is an error, and then nothing is closed", "[cli][close]") {
    SnapshotServer server;
    auto result =
        server.run("close", {"--force", "--client-user-name", "CORP\\bob", "--client-user-name", "CORP\\bobby"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("smbreaper: No MSFT_SmbSession objects found with property 'ClientUserName' equal to "
                          "'CORP\\bobby'. Verify the value of the property and retry.\n") != std::string::npos);
    CHECK(result.err.find("nothing closed") != std::string::npos);
    CHECK(server.ids() == kAll);
    CHECK(server.entries().empty());

    result = server.run("close", {"--force", "--session-id", "99"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("property 'SessionId' equal to '99'") != std::string::npos);
    result = server.run("close", {"--what-if", "--client-computer-name", "192.168.*"});
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
}

TEST_CASE("close refuses to end a session the filters leave out that shares the connection", "[cli][close]") {
    SessionRecord alice = test::table_row(1, "CORP\\alice", "ts01"), bob = test::table_row(2, "CORP\\bob", "ts01");
    alice.samba_server_id = bob.samba_server_id = SambaServerId{4242, 0xFFFFFFFFu, 9};
    SnapshotServer server({alice, bob, test::table_row(3, "CORP\\carol", "pc3")});

    auto result = server.run("close", {"--force", "--client-user-name", "corp\\alice"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("session 1 (user CORP\\alice, client ts01) shares its connection with session 2 (user "
                          "CORP\\bob, client ts01)") != std::string::npos);
    CHECK(server.ids() == std::vector<std::uint64_t>{1, 2, 3});
    CHECK(server.entries().empty());

    // Selected together, they end together, and both are audited.
    result = server.run("close", {"--force", "--client-computer-name", "ts01"});
    CHECK(result.exit_code == 0);
    CHECK(server.ids() == std::vector<std::uint64_t>{3});
    CHECK(server.outcomes() == std::vector<std::string>{"pending:1", "pending:2", "closed:1", "closed:2"});
}

TEST_CASE("close with a policy takes the source and the audit trail from it and records its hash", "[cli][close]") {
    SnapshotServer server;
    test::write_file(server.dir / "policy.yaml",
                     "version: 1\nsettings:\n  source: snapshot:table.json\n  audit_db: trail.db\nrules: []\n");
    const auto result = test::run_smbreaper(
        {"close", "--policy", (server.dir / "policy.yaml").string(), "--force", "--session-id", "3"});
    REQUIRE(result.exit_code == 0);
    CHECK(server.ids() == std::vector<std::uint64_t>{1, 2, 4});
    const AuditStore store = AuditStore::open_read_only(server.dir / "trail.db");
    std::vector<AuditEntry> entries;
    for_each_entry(store, EntryFilter{}, [&](const AuditRow& row) { entries.push_back(from_row(row)); });
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].policy_sha256.size() == 64);
    CHECK(entries[0].rule.empty());
}

TEST_CASE("when the audit trail cannot be written, close closes nothing", "[cli][close]") {
    SnapshotServer server;
    const auto result =
        test::run_smbreaper({"close", "--source", "snapshot:" + server.table.string(), "--audit-db",
                             (server.dir / "no-such-folder" / "audit.db").string(), "--force", "--all"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("nothing closed (no closure without its audit entry)") != std::string::npos);
    CHECK(server.ids() == kAll);
}

TEST_CASE("close refuses a bad throttle limit", "[cli][close]") {
    SnapshotServer server;
    CHECK(server.run("close", {"--force", "--all", "--throttle-limit", "-1"}).exit_code == 2);
    CHECK(server.run("close", {"--force", "--all", "--throttle-limit", "many"}).exit_code == 2);
    CHECK(server.ids() == kAll);
}
