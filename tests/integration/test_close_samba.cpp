// `smbreaper sessions` and `smbreaper close` against a real smbd with real smbclient sessions.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

#include "audit_test_support.h"
#include "samba_scenario.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"
#include "storage/chain_verify.h"

using smbreaper::sessions::to_string;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryFilter;
using smbreaper::storage::for_each_entry;
using smbreaper::storage::from_row;
using smbreaper::storage::Mode;
using smbreaper::storage::to_string;
using smbreaper::storage::verify_chain;

using namespace std::chrono_literals;
using namespace smbreaper;

namespace {

const std::filesystem::path kWork = std::filesystem::temp_directory_path() / "smbreaper-close-test";

// A Samba server with smbclient sessions, and smbreaper pointed at it with --source samba.
struct Server : SambaScenario {
    std::filesystem::path audit_db = dir / "audit.db";

    explicit Server(const std::string& name) : SambaScenario(kWork / name) {}

    test::CommandResult smbreaper(const std::string& command, const std::vector<std::string>& arguments) const {
        std::vector<std::string> all{command, "--source", "samba", "--smb-conf", samba.conf()};
        if (command == "close") all.insert(all.end(), {"--audit-db", audit_db.string()});
        all.insert(all.end(), arguments.begin(), arguments.end());
        return test::run_smbreaper(all);
    }
    // The users of the sessions `smbreaper sessions` lists, sorted.
    std::vector<std::string> listed_users() const {
        const auto result = smbreaper("sessions", {"--format", "json"});
        if (result.exit_code != 0) return {"(sessions failed: " + result.err + ")"};
        std::vector<std::string> users;
        for (const auto& session : nlohmann::json::parse(result.out)) users.push_back(session["ClientUserName"]);
        std::sort(users.begin(), users.end());
        return users;
    }
    bool lists(const std::vector<std::string>& users) const {
        return eventually([&] { return listed_users() == users; }, 20s);
    }
    // "pending:alice", "closed:alice", ... for every closure entry.
    std::vector<std::string> outcomes() const {
        std::vector<std::string> out;
        const AuditStore store = AuditStore::open_read_only(audit_db);
        for_each_entry(store, EntryFilter{}, [&](const AuditRow& row) {
            const AuditEntry e = from_row(row);
            out.push_back(std::string(to_string(*e.outcome)) + ":" + e.session->client_user_name);
            CHECK(e.mode == Mode::Manual);
            CHECK(e.source == "samba");
        });
        return out;
    }
};

// Two pending entries then their two outcomes, each pair sorted: the table lists sessions in
// whatever order smbstatus gives.
std::vector<std::string> sorted_in_pairs(std::vector<std::string> outcomes) {
    REQUIRE(outcomes.size() == 4);
    std::sort(outcomes.begin(), outcomes.begin() + 2);
    std::sort(outcomes.begin() + 2, outcomes.end());
    return outcomes;
}

// The client still works: a directory listing comes back.
bool still_works(SmbClientProcess& client) {
    const auto listings = [&client] {
        const std::string output = client.output();
        std::size_t count = 0;
        for (auto at = output.find("blocks available"); at != std::string::npos;
             at = output.find("blocks available", at + 1))
            ++count;
        return count;
    };
    const std::size_t before = listings();
    return client.send("ls") && eventually([&] { return listings() > before; }, 10s) && !client.has_exited();
}

}  // namespace

TEST_CASE("close ends the chosen session only: its client sees the disconnect, the others do not") {
    Server s("one-of-three");
    SmbClientProcess& alice = s.connect("alice");
    SmbClientProcess& bob = s.connect("bob");
    SmbClientProcess& carol = s.connect("carol");
    REQUIRE(s.lists({"alice", "bob", "carol"}));

    const auto result = s.smbreaper("close", {"--client-user-name", "ALICE", "--force", "--passthru"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const auto closed = nlohmann::json::parse(result.out);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0]["ClientUserName"] == "alice");
    CHECK(closed[0]["SambaServerId"]["Pid"].get<std::uint64_t>() > 0);

    CHECK(disconnected(alice));
    CHECK(still_works(bob));
    CHECK(still_works(carol));
    CHECK(s.lists({"bob", "carol"}));
    CHECK(s.outcomes() == std::vector<std::string>{"pending:alice", "closed:alice"});
    CHECK(verify_chain(AuditStore::open_read_only(s.audit_db)).intact());
}

TEST_CASE("close --throttle-limit closes several sessions at once, and only those") {
    Server s("throttle");
    SmbClientProcess& alice = s.connect("alice");
    SmbClientProcess& bob = s.connect("bob");
    SmbClientProcess& carol = s.connect("carol");
    REQUIRE(s.lists({"alice", "bob", "carol"}));

    const auto result = s.smbreaper(
        "close", {"--client-user-name", "alice", "--client-user-name", "bob", "--force", "--throttle-limit", "2"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(disconnected(alice));
    CHECK(disconnected(bob));
    CHECK(still_works(carol));
    CHECK(s.lists({"carol"}));
    CHECK(sorted_in_pairs(s.outcomes()) ==
          std::vector<std::string>{"pending:alice", "pending:bob", "closed:alice", "closed:bob"});
}

TEST_CASE("what-if, no match and a missing terminal close nothing on a real server") {
    Server s("nothing-closed");
    SmbClientProcess& alice = s.connect("alice");
    REQUIRE(s.lists({"alice"}));

    auto result = s.smbreaper("close", {"--client-user-name", "alice", "--what-if"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("What if: Performing operation 'Close-Session' on Target '") != std::string::npos);
    result = s.smbreaper("close", {"--client-user-name", "alicia", "--force"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("No MSFT_SmbSession objects found with property 'ClientUserName' equal to 'alicia'") !=
          std::string::npos);
    result = s.smbreaper("close", {"--client-user-name", "alice"});  // standard input is /dev/null
    CHECK(result.exit_code == 1);

    CHECK(still_works(alice));
    CHECK(s.outcomes() == std::vector<std::string>{"what-if:alice"});
}

TEST_CASE("sessions sharing a connection are closed together or not at all") {
    Server s("shared-connection");
    SmbClientProcess& client = s.connect("alice");
    // smbclient's "logon" sets up a second session (bob) on the same connection.
    REQUIRE(client.send("logon bob " + SambaTestInstance::password_of("bob")));
    REQUIRE(client.wait_for_output("Current VUID", 20s));
    SmbClientProcess& carol = s.connect("carol");
    REQUIRE(s.lists({"alice", "bob", "carol"}));

    auto result = s.smbreaper("close", {"--client-user-name", "alice", "--force"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("shares its connection with session") != std::string::npos);
    // (smbclient lists nothing after a second logon, so the connection is checked on the server.)
    CHECK(s.lists({"alice", "bob", "carol"}));
    CHECK_FALSE(client.has_exited());
    CHECK_FALSE(std::filesystem::exists(s.audit_db));

    result = s.smbreaper("close", {"--client-user-name", "alice", "--client-user-name", "bob", "--force"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(disconnected(client));
    CHECK(still_works(carol));
    CHECK(s.lists({"carol"}));
    CHECK(sorted_in_pairs(s.outcomes()) ==
          std::vector<std::string>{"pending:alice", "pending:bob", "closed:alice", "closed:bob"});
}
