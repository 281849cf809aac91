#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "snapshot_server.h"

using smbreaper::sessions::read_snapshot_file;

using namespace smbreaper;
using test::SnapshotServer;

namespace {

// The SessionId column of a table printed by `sessions`.
std::vector<std::uint64_t> listed_ids(const std::string& table) {
    std::vector<std::uint64_t> ids;
    std::size_t line_start = table.find('\n');  // after the header
    while (line_start != std::string::npos && line_start + 1 < table.size()) {
        ids.push_back(std::stoull(table.substr(line_start + 1, table.find(' ', line_start + 1) - line_start - 1)));
        line_start = table.find('\n', line_start + 1);
    }
    return ids;
}

std::vector<std::uint64_t> listed(const SnapshotServer& server, const std::vector<std::string>& arguments) {
    const auto result = server.run("sessions", arguments);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return listed_ids(result.out);
}

const std::string kPolicy =
    "version: 1\nsettings:\n  source: snapshot:table.json\nrules:\n"
    "  - {name: keep-frank, action: keep, match: {user: 'CORP\\ext-*'}}\n"
    "  - {name: idle-40m, action: close, match: {idle: '>= 40m'}}\n";

}  // namespace

TEST_CASE("sessions lists the whole table, one session a line", "[cli][sessions]") {
    SnapshotServer server;
    const auto result = server.run("sessions", {});
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.rfind("SessionId  User", 0) == 0);
    CHECK(listed_ids(result.out) == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(result.out.find("CORP\\ext-frank  10.0.9.3") != std::string::npos);
}

TEST_CASE("sessions filters as Get-SmbSession does", "[cli][sessions]") {
    SnapshotServer server;
    CHECK(listed(server, {"--session-id", "2"}) == std::vector<std::uint64_t>{2});
    CHECK(listed(server, {"--session-id", "2", "--session-id", "4"}) == std::vector<std::uint64_t>{2, 4});
    CHECK(listed(server, {"--client-user-name", "corp\\alice"}) == std::vector<std::uint64_t>{1, 3});
    CHECK(listed(server, {"--client-user-name", "CORP\\ALICE"}) == std::vector<std::uint64_t>{1, 3});
    CHECK(listed(server, {"--client-user-name", "corp\\*a*"}) == std::vector<std::uint64_t>{1, 3, 4});
    CHECK(listed(server, {"--client-computer-name", "10.0.5.2?"}) == std::vector<std::uint64_t>{1, 2});
    CHECK(listed(server, {"--client-computer-name", "lab-[0-9]"}) == std::vector<std::uint64_t>{3});
    CHECK(listed(server, {"--client-user-name", "corp\\alice", "--client-computer-name", "10.*"}) ==
          std::vector<std::uint64_t>{1});
    CHECK(listed(server, {"--client-user-name", "corp\\bob", "--client-user-name", "CORP\\ext-frank"}) ==
          std::vector<std::uint64_t>{2, 4});
    CHECK(listed(server, {"--scope-name", "*", "--cluster-node-name", "FS01"}) ==
          std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(listed(server, {"--smb-instance", "default"}) == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(listed(server, {"--smb-instance", "0"}) == std::vector<std::uint64_t>{1, 2, 3, 4});
}

TEST_CASE("sessions reports each filter value that matches nothing and exits 1", "[cli][sessions]") {
    SnapshotServer server;
    auto result = server.run("sessions", {"--client-user-name", "CORP\\bob", "--client-user-name", "CORP\\zoe"});
    CHECK(result.exit_code == 1);
    CHECK(listed_ids(result.out) == std::vector<std::uint64_t>{2});  // what did match is still listed
    CHECK(result.err ==
          "smbreaper: No MSFT_SmbSession objects found with property 'ClientUserName' equal to 'CORP\\zoe'. "
          "Verify the value of the property and retry.\n");

    result = server.run("sessions", {"--smb-instance", "CSV", "--format", "json"});
    CHECK(result.exit_code == 1);
    CHECK(result.out == "[]\n");
    CHECK(result.err.find("property 'SmbInstance' equal to 'CSV'") != std::string::npos);
}

TEST_CASE("sessions refuses a bad filter as a usage error", "[cli][sessions]") {
    SnapshotServer server;
    for (const std::vector<std::string>& bad : {std::vector<std::string>{"--client-user-name", "CORP\\[alice"},
                                                {"--smb-instance", "Clustered"},
                                                {"--session-id", "-1"},
                                                {"--session-id", "18446744073709551616"},
                                                {"--session-id", "12abc"},
                                                {"--format", "xml"}}) {
        const auto result = server.run("sessions", bad);
        INFO(bad[0] << " " << bad[1] << ": " << result.err);
        CHECK(result.exit_code == 2);
        CHECK(result.out.empty());
    }
    CHECK(test::run_smbreaper({"sessions", "--source", "nfs"}).exit_code == 2);
    CHECK(test::run_smbreaper({"sessions", "--source", "samba", "--policy", "p.yaml"}).exit_code == 2);
    CHECK(test::run_smbreaper({"sessions", "--smb-conf", "/etc/samba/smb.conf"}).exit_code == 2);
}

TEST_CASE("sessions --format json is a snapshot that simulate and the snapshot source read back", "[cli][sessions]") {
    SnapshotServer server;
    const auto first = server.run("sessions", {"--format", "json", "--client-user-name", "corp\\a*"});
    REQUIRE(first.exit_code == 0);
    const auto json = nlohmann::json::parse(first.out);
    REQUIRE(json.size() == 2);
    CHECK(json[0]["SessionId"] == 1);
    CHECK(json[0]["ClientUserName"] == "CORP\\alice");
    CHECK(json[1]["ClientComputerName"] == "LAB-7");
    CHECK(json[0]["SmbInstance"] == "Default");

    const auto saved = server.dir / "saved.json";
    test::write_file(saved, first.out);
    const auto again = test::run_smbreaper({"sessions", "--source", "snapshot:" + saved.string(), "--format", "json"});
    CHECK(again.out == first.out);

    test::write_file(server.dir / "policy.yaml", kPolicy);
    const auto simulated = test::run_smbreaper({"simulate", "--format", "json", "--policy",
                                                (server.dir / "policy.yaml").string(), "--snapshot", saved.string()});
    REQUIRE(simulated.exit_code == 0);
    const auto report = nlohmann::json::parse(simulated.out);
    REQUIRE(report["sessions"].size() == 2);
    CHECK(report["sessions"][1]["SessionId"] == 3);
    CHECK(report["sessions"][1]["verdict"] == "close");
}

TEST_CASE("with a policy, sessions shows each session's verdict, rule and guard", "[cli][sessions]") {
    SnapshotServer server;
    const auto policy = server.dir / "policy.yaml";
    test::write_file(policy, kPolicy);

    auto result = test::run_smbreaper({"sessions", "--policy", policy.string()});
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("Verdict  Rule") != std::string::npos);
    CHECK(result.out.find("keep     keep-frank") != std::string::npos);
    CHECK(result.out.find("close    idle-40m") != std::string::npos);

    result = test::run_smbreaper({"sessions", "--policy", policy.string(), "--format", "json", "--session-id", "4"});
    REQUIRE(result.exit_code == 0);
    const auto json = nlohmann::json::parse(result.out);
    CHECK(json[0]["verdict"] == "keep");
    CHECK(json[0]["rule"] == "keep-frank");
    CHECK(json[0]["guard"].is_null());
    // Still a snapshot: the verdicts are ignored on the way back in.
    test::write_file(server.dir / "with-verdicts.json", result.out);
    CHECK(read_snapshot_file(server.dir / "with-verdicts.json").sessions.at(0).session_id == 4);

    test::write_file(server.dir / "broken.yaml", "version: 1\nrules: [\n");
    result = test::run_smbreaper({"sessions", "--policy", (server.dir / "broken.yaml").string()});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("broken.yaml") != std::string::npos);
}

TEST_CASE("sessions --format csv is safe to open in Excel", "[cli][sessions]") {
    SnapshotServer server(
        {test::table_row(1, "=HYPERLINK(\"http://x\")", "10.0.0.1"), test::table_row(2, "CORP\\a,b", "pc")});
    const auto result = server.run("sessions", {"--format", "csv"});
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.rfind("\xEF\xBB\xBFSessionId,ClientComputerName,ClientUserName,ScopeName,ClusterNodeName,"
                           "SmbInstance,NumOpens,SecondsIdle,SecondsExists,Dialect,TransportName\r\n",
                           0) == 0);
    CHECK(
        result.out.find("\r\n1,10.0.0.1,\"'=HYPERLINK(\"\"http://x\"\")\",*,fs01,Default,0,1000,86000,3.1.1,tcp\r\n") !=
        std::string::npos);
    CHECK(result.out.find("\r\n2,pc,\"CORP\\a,b\",") != std::string::npos);
}

TEST_CASE("sessions says why when the source cannot be read", "[cli][sessions]") {
    const auto result = test::run_smbreaper({"sessions", "--source", "snapshot:/nonexistent/table.json"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("/nonexistent/table.json") != std::string::npos);
}
