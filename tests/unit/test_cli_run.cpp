#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <thread>

#include "audit_test_support.h"
#include "sessions/snapshot/snapshot_file.h"
#include "storage/audit_query.h"
#include "storage/audit_store.h"

using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_string;
using smbreaper::sessions::to_windows_snapshot_json;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::AuditStore;
using smbreaper::storage::EntryFilter;
using smbreaper::storage::EntryKind;
using smbreaper::storage::event_entry;
using smbreaper::storage::for_each_entry;
using smbreaper::storage::from_row;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;
using smbreaper::storage::to_string;

using namespace smbreaper;
using namespace std::chrono_literals;
using test::TempDir;

namespace {

SessionRecord row(std::uint64_t id, const std::string& user, std::uint32_t idle) {
    SessionRecord s = test::sample_session(id, user, "10.0.0." + std::to_string(id));
    s.seconds_idle = idle;
    return s;
}

std::string policy_text(const std::string& mode, const std::string& extra_rule = "") {
    return "version: 1\nsettings:\n  mode: " + mode +
           "\n  poll_interval: 1s\n  source: snapshot:table.json\n  audit_db: audit.db\n"
           "  limits: {confirm_polls: 1}\nrules:\n"
           "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n" +
           extra_rule;
}

struct Server {
    TempDir dir;
    Server() {
        test::write_file(dir / "table.json",
                         to_windows_snapshot_json({row(1, "alice", 7200), row(2, "bob", 5), row(3, "carol", 9)}));
    }
    std::filesystem::path policy() const { return dir / "policy.yaml"; }
    std::vector<std::string> kinds() const {
        std::vector<std::string> out;
        const AuditStore store = AuditStore::open_read_only(dir / "audit.db");
        for_each_entry(store, EntryFilter{}, [&](const AuditRow& row) {
            const AuditEntry e = from_row(row);
            out.push_back(std::string(to_string(e.kind)) + (e.outcome ? ":" + std::string(to_string(*e.outcome)) : ""));
        });
        return out;
    }
    std::size_t sessions_left() const { return read_snapshot_file(dir / "table.json").sessions.size(); }
};

bool contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

TEST_CASE("run --once closes what the policy selects, audits it, and the chain verifies", "[cli][run]") {
    Server server;
    test::write_file(server.policy(), policy_text("enforce"));
    const auto result = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy().string()});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    REQUIRE(server.kinds() ==
            std::vector<std::string>{"start", "policy-loaded", "closure:pending", "closure:closed", "stop"});
    REQUIRE(server.sessions_left() == 2);
    REQUIRE(result.err.find("audit chain head seq") != std::string::npos);
    const auto verify = test::run_smbreaper({"audit", "verify", "--db", (server.dir / "audit.db").string()});
    REQUIRE(verify.exit_code == 0);
}

TEST_CASE("run --once --what-if closes nothing and records what-if", "[cli][run]") {
    Server server;
    test::write_file(server.policy(), policy_text("enforce"));
    const auto result =
        test::run_smbreaper({"run", "--once", "--what-if", "--no-syslog", "--policy", server.policy().string()});
    REQUIRE(result.exit_code == 0);
    REQUIRE(contains(server.kinds(), "closure:what-if"));
    REQUIRE(server.sessions_left() == 3);
}

TEST_CASE("run refuses to start with an invalid policy or an unwritable audit trail", "[cli][run]") {
    Server server;
    test::write_file(server.policy(), "version: 1\nrules:\n  - {name: r, action: clse, match: {}}\n");
    auto result = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy().string()});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find("policy.yaml:3:") != std::string::npos);

    test::write_file(server.policy(),
                     "version: 1\nsettings:\n  source: snapshot:table.json\n  mode: enforce\n"
                     "  audit_db: /proc/no/such/audit.db\nrules:\n"
                     "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n");
    result = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy().string()});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find("no closure without its audit entry") != std::string::npos);
    REQUIRE(server.sessions_left() == 3);
}

TEST_CASE("run --once exits non-zero when the table cannot be read or a safety limit refuses the cycle",
          "[cli][run][exit]") {
    Server server;
    test::write_file(server.policy(), policy_text("enforce"));
    test::write_file(server.dir / "table.json", "[{\"SessionId\": \"not a number\"}]");
    auto result = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy().string()});
    INFO(result.err);
    CHECK(result.exit_code == 3);
    CHECK(contains(server.kinds(), "source-error"));

    Server limited;
    test::write_file(limited.policy(),
                     policy_text("enforce") + "  - {name: all-idle, action: close, match: {idle: '>= 1s'}}\n");
    result = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", limited.policy().string()});
    INFO(result.err);
    CHECK(result.exit_code == 5);  // 3 of 3 to close is over max_close_fraction 0.5
    CHECK(contains(limited.kinds(), "limit-tripped"));
    CHECK(limited.sessions_left() == 3);
}

TEST_CASE("one service per audit trail: a second run refuses at once, naming the first; a crash frees the trail",
          "[cli][run][lock]") {
    Server server;
    test::write_file(server.policy(), policy_text("audit"));
    auto first = std::make_unique<test::BackgroundSmbreaper>(
        std::vector<std::string>{"run", "--no-syslog", "--policy", server.policy().string()});
    REQUIRE(test::eventually([&] { return contains(server.kinds(), "closure:what-if"); }));
    const auto entries_before = server.kinds().size();
    for (const std::vector<std::string>& extra : {std::vector<std::string>{"--once"}, {"--once", "--what-if"}}) {
        std::vector<std::string> arguments{"run", "--no-syslog", "--policy", server.policy().string()};
        arguments.insert(arguments.end(), extra.begin(), extra.end());
        const auto second = test::run_smbreaper(arguments);
        INFO(second.err);
        CHECK(second.exit_code == 1);
        CHECK(second.err.find("in use by another smbreaper service (pid " + std::to_string(first->pid())) !=
              std::string::npos);
    }
    CHECK(server.kinds().size() == entries_before);  // the second wrote nothing, resolved nothing

    first->signal(SIGKILL);
    first->wait();
    const auto after_crash =
        test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy().string()});
    INFO(after_crash.err);
    CHECK(after_crash.exit_code == 0);
}

TEST_CASE("a closure left pending by a dead process is resolved at start-up", "[cli][run]") {
    Server server;
    test::write_file(server.policy(), policy_text("audit"));
    {
        AuditStore store = AuditStore::open_for_writing(server.dir / "audit.db");
        store.append(test::sample_closure(77, Outcome::Pending));
    }
    const auto result = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy().string()});
    REQUIRE(result.exit_code == 0);
    const auto kinds = server.kinds();
    REQUIRE(kinds.at(0) == "closure:pending");
    REQUIRE(kinds.at(1) == "closure:failed");
    REQUIRE(AuditStore::open_read_only(server.dir / "audit.db").unresolved_pending().empty());
}

TEST_CASE("the service leaves the pending closures of an admin's close to that close", "[cli][run]") {
    Server server;
    test::write_file(server.policy(), policy_text("audit"));
    {
        AuditStore store = AuditStore::open_for_writing(server.dir / "audit.db");
        AuditEntry manual = test::sample_closure(78, Outcome::Pending);
        manual.mode = Mode::Manual;  // `smbreaper close` is between its pending and outcome entries
        store.append({test::sample_closure(77, Outcome::Pending), manual});
    }
    const auto result = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy().string()});
    REQUIRE(result.exit_code == 0);
    const auto pending = AuditStore::open_read_only(server.dir / "audit.db").unresolved_pending();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].session->session_id == 78);
    CHECK(pending[0].mode == Mode::Manual);
}

TEST_CASE("live reload: a broken edit keeps the old policy, a good one replaces it, SIGTERM stops cleanly",
          "[cli][run][reload]") {
    Server server;
    test::write_file(server.policy(), policy_text("audit"));
    test::BackgroundSmbreaper service({"run", "--no-syslog", "--policy", server.policy().string()});
    REQUIRE(test::eventually([&] { return contains(server.kinds(), "closure:what-if"); }));

    test::write_file(server.policy(), "version: 1\nrules: [oops\n");
    REQUIRE(test::eventually([&] { return contains(server.kinds(), "policy-rejected"); }));
    REQUIRE(server.sessions_left() == 3);  // still the old, audit-mode policy

    test::write_file(server.policy(), policy_text("enforce"));
    REQUIRE(test::eventually([&] { return server.sessions_left() == 2; }));
    const auto kinds = server.kinds();
    REQUIRE(std::count(kinds.begin(), kinds.end(), "policy-loaded") == 2);

    service.signal(SIGHUP);  // same bytes: nothing new to load
    std::this_thread::sleep_for(500ms);
    service.signal(SIGTERM);
    REQUIRE(service.wait() == 0);
    const auto final_kinds = server.kinds();
    REQUIRE(std::count(final_kinds.begin(), final_kinds.end(), "policy-loaded") == 2);
    REQUIRE(final_kinds.back() == "stop");
}

TEST_CASE("settings.audit.retention makes the service prune old entries, and the chain still verifies", "[cli][run]") {
    Server server;
    test::write_file(server.policy(), policy_text("audit"));
    {
        AuditStore store = AuditStore::open_for_writing(server.dir / "audit.db");
        AuditEntry old = event_entry(EntryKind::Start);
        old.time = "2020-01-01T00:00:00.000Z";
        store.append(old);
    }
    std::string text = test::read_file(server.policy());
    text.replace(text.find("  audit_db: audit.db\n"), 21, "  audit_db: audit.db\n  audit: {retention: 30d}\n");
    test::write_file(server.policy(), text);

    const auto result = test::run_smbreaper({"run", "--once", "--no-syslog", "--policy", server.policy().string()});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const auto kinds = server.kinds();
    REQUIRE(kinds.front() == "start");  // this run's start: the 2020 one is gone
    REQUIRE(contains(kinds, "pruned"));
    REQUIRE(AuditStore::open_read_only(server.dir / "audit.db").checkpoint().has_value());
    REQUIRE(test::run_smbreaper({"audit", "verify", "--db", (server.dir / "audit.db").string()}).exit_code == 0);
}
