// Incident blocks on a real smbd: `smbreaper block` keeps a user (or a client address) out and
// closes their sessions while others work on; `unblock` lets them back; the running service lifts
// a block when it expires, and a service killed with a block in force lifts it when it starts again
// after the expiry. Every step is in the verified audit trail.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <signal.h>

#include <algorithm>
#include <thread>

#include "audit_test_support.h"
#include "reaper_scenario.h"

using smbreaper::storage::AuditEntry;
using smbreaper::storage::EntryKind;
using smbreaper::storage::Outcome;

using namespace std::chrono_literals;
using namespace smbreaper;

namespace {

struct BlockScenario : Scenario {
    std::filesystem::path policy_file;

    explicit BlockScenario(const std::string& name) : Scenario("blocks-" + name) {
        policy_file = policy("audit", "", "  - {name: keep-all, action: keep, match: {}}\n",
                             ", blocks_file: " + samba.blocks_file(), "  blocks: {max_duration: 2h, never: [carol]}\n");
    }

    test::CommandResult smbreaper(const std::string& command, const std::vector<std::string>& arguments) const {
        std::vector<std::string> all{command, "--policy", policy_file.string()};
        all.insert(all.end(), arguments.begin(), arguments.end());
        return test::run_smbreaper(all);
    }
    // A new session of `user`: true when it connects, false when the server refuses it.
    bool can_connect(const std::string& user, SmbClientProcess::Address address = SmbClientProcess::Address::Ipv4) {
        SmbClientProcess client(samba, user, address);
        // Connected (its prompt), or refused (smbclient gives up and exits).
        bool exited = false;
        eventually(
            [&] { return client.output().find("Try \"help\"") != std::string::npos || (exited = client.has_exited()); },
            15s);
        INFO(client.output());
        if (exited) return client.output().find("Try \"help\"") != std::string::npos;
        return client.wait_until_connected(1s);
    }
    std::vector<AuditEntry> of_kind(EntryKind kind) const {
        std::vector<AuditEntry> found;
        for (AuditEntry& entry : entries()) {
            if (entry.kind == kind) found.push_back(std::move(entry));
        }
        return found;
    }
    nlohmann::json blocks() const {
        const auto listed = smbreaper("blocks", {"--format", "json"});
        REQUIRE(listed.exit_code == 0);
        return nlohmann::json::parse(listed.out);
    }
};

std::string detail(const AuditEntry& entry, const std::string& key) {
    const auto details = nlohmann::json::parse(entry.details_json);
    return details.contains(key) ? details[key].dump() : "";
}

}  // namespace

TEST_CASE("block keeps bob out and closes his session while alice works on; unblock lets him back", "[blocks]") {
    BlockScenario s("user");
    SmbClientProcess& alice = s.connect("alice");
    SmbClientProcess& bob = s.connect("bob");

    const auto blocked = s.smbreaper("block", {"--client-user-name", "bob", "--for", "30m", "--reason",
                                               "incident 42: credentials leaked", "--force"});
    INFO(blocked.out << blocked.err);
    REQUIRE(blocked.exit_code == 0);
    CHECK_THAT(blocked.err, Catch::Contains("blocked user bob until"));
    CHECK_THAT(blocked.err, Catch::Contains("closed session"));
    CHECK(disconnected(bob));
    CHECK_FALSE(s.can_connect("bob"));
    REQUIRE(alice.send("ls"));
    CHECK(alice.wait_for_output("blocks available", 10s));
    CHECK(s.can_connect("alice"));

    const nlohmann::json listed = s.blocks();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["Target"] == "user");
    CHECK(listed[0]["Name"] == "bob");
    CHECK(listed[0]["State"] == "in force");
    CHECK(listed[0]["Reason"] == "incident 42: credentials leaked");
    CHECK(listed[0]["Shares"].empty());  // every share

    const auto lifted = s.smbreaper("unblock", {"--client-user-name", "bob", "--reason", "password reset", "--force"});
    INFO(lifted.err);
    REQUIRE(lifted.exit_code == 0);
    CHECK(s.can_connect("bob"));
    CHECK(s.blocks().empty());

    // The whole life is in the trail: set, the closure it caused (naming the block), lifted.
    const auto sets = s.of_kind(EntryKind::BlockSet);
    REQUIRE(sets.size() == 1);
    const auto lifts = s.of_kind(EntryKind::BlockLifted);
    REQUIRE(lifts.size() == 1);
    CHECK(*lifts[0].resolves_entry == sets[0].seq);
    CHECK(detail(lifts[0], "cause") == "\"unblocked\"");
    CHECK(detail(lifts[0], "reason") == "\"password reset\"");
    bool closure_names_block = false;
    for (const AuditEntry& entry : s.entries()) {
        if (entry.kind == EntryKind::Closure && entry.outcome == Outcome::Closed &&
            entry.session->client_user_name == "bob") {
            closure_names_block = detail(entry, "blocks") == "[" + std::to_string(sets[0].seq) + "]";
        }
    }
    CHECK(closure_names_block);
    CHECK(verifies(s.dir / "audit.db"));
}

TEST_CASE("a client blocked by address cannot connect from it; other addresses can", "[blocks]") {
    BlockScenario s("client");
    SmbClientProcess& over_ipv6 = s.connect("alice");  // 127.0.0.1; the blocked address is ::1
    const auto blocked =
        s.smbreaper("block", {"--client-computer-name", "::1", "--for", "10m", "--reason", "ransomware", "--force"});
    INFO(blocked.err);
    REQUIRE(blocked.exit_code == 0);
    CHECK_FALSE(s.can_connect("alice", SmbClientProcess::Address::Ipv6));
    CHECK(s.can_connect("alice", SmbClientProcess::Address::Ipv4));
    REQUIRE(over_ipv6.send("ls"));
    CHECK(verifies(s.dir / "audit.db"));
}

TEST_CASE("the running service lifts a block when it expires, and says so in the trail", "[blocks]") {
    BlockScenario s("expiry");
    Reaper reaper(s.policy_file, s.dir / "reaper.log");
    const auto blocked =
        s.smbreaper("block", {"--client-user-name", "bob", "--for", "5s", "--reason", "test", "--force"});
    INFO(blocked.err);
    REQUIRE(blocked.exit_code == 0);
    CHECK_FALSE(s.can_connect("bob"));
    INFO(reaper.log());
    CHECK(eventually([&] { return !s.of_kind(EntryKind::BlockLifted).empty(); }, 30s));
    CHECK(eventually([&] { return s.can_connect("bob"); }, 20s));
    const auto lifts = s.of_kind(EntryKind::BlockLifted);
    REQUIRE(lifts.size() == 1);
    CHECK(detail(lifts[0], "cause") == "\"expired\"");
    // The log line follows the trail's entry; the service may not have written it yet.
    CHECK(eventually([&] { return reaper.log().find("expired at") != std::string::npos; }, 10s));
    CHECK(reaper.stop() == 0);
    CHECK(verifies(s.dir / "audit.db"));
}

TEST_CASE("a service killed with a block in force lifts it when it starts again after the expiry", "[blocks]") {
    BlockScenario s("crash");
    {
        Reaper reaper(s.policy_file, s.dir / "reaper-1.log");
        REQUIRE(eventually([&] { return s.has_kind(EntryKind::Start); }, 20s));
        const auto blocked =
            s.smbreaper("block", {"--client-user-name", "bob", "--for", "4s", "--reason", "test", "--force"});
        REQUIRE(blocked.exit_code == 0);
        ::kill(reaper.pid(), SIGKILL);
        CHECK(reaper.wait() == 128 + SIGKILL);
    }
    std::this_thread::sleep_for(5s);
    CHECK_FALSE(s.can_connect("bob"));  // nobody lifted it: still in force on the server
    const nlohmann::json listed = s.blocks();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["State"] == "overdue");

    Reaper again(s.policy_file, s.dir / "reaper-2.log", true);
    CHECK(again.wait() == 0);
    INFO(again.log());
    CHECK(s.can_connect("bob"));
    const auto lifts = s.of_kind(EntryKind::BlockLifted);
    REQUIRE(lifts.size() == 1);
    CHECK(detail(lifts[0], "cause") == "\"expired\"");
    CHECK(verifies(s.dir / "audit.db"));
}

TEST_CASE("blocking a protected account, a wildcard or too long is refused, and nothing is recorded", "[blocks]") {
    BlockScenario s("refused");
    const std::vector<std::vector<std::string>> refused = {
        {"--client-user-name", "HV-HOST03$", "--for", "1h"},  // a machine account
        {"--client-user-name", "carol", "--for", "1h"},       // settings.blocks.never
        {"--client-user-name", "b*", "--for", "1h"},          // names are exact
        {"--client-computer-name", "host.example", "--for", "1h"},
        {"--client-user-name", "\"bob\"", "--for", "1h"},                  // cannot be written into smb.conf
        {"--client-user-name", "bob", "--share", "share", "--for", "1h"},  // Samba blocks every share
    };
    for (std::vector<std::string> arguments : refused) {
        arguments.insert(arguments.end(), {"--reason", "test", "--force"});
        const auto result = s.smbreaper("block", arguments);
        INFO(arguments[1] << ": " << result.err);
        CHECK(result.exit_code == 1);
        CHECK_THAT(result.err, Catch::Contains("nothing blocked"));
    }
    const auto too_long =
        s.smbreaper("block", {"--client-user-name", "bob", "--for", "3h", "--reason", "x", "--force"});
    CHECK(too_long.exit_code == 2);
    CHECK_THAT(too_long.err, Catch::Contains("settings.blocks.max_duration"));
    CHECK(s.of_kind(EntryKind::BlockSet).empty());
    CHECK(s.can_connect("bob"));
}
