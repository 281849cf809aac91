// The reaper service end to end: `smbreaper run` against a real smbd with real smbclient sessions.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "reaper_scenario.h"

using namespace std::chrono_literals;

namespace {

const std::string kKeepService = "  - {name: keep-service, action: keep, match: {user: svc_backup}}\n";
const std::string kIdle = "  - {name: idle-8s, action: close, match: {idle: '>= 8s'}}\n";

}  // namespace

TEST_CASE("the reaper closes the idle session and keeps the busy, the protected and the kept ones") {
    Scenario s("mixed");
    SmbClientProcess& idle = s.connect("alice");
    SmbClientProcess& busy = s.connect("bob");
    SmbClientProcess& holding = s.connect("carol");
    SmbClientProcess& service = s.connect("svc_backup");
    const std::filesystem::path notes = std::filesystem::path(s.samba.share_path()) / "notes.txt";
    write_file(notes, "unsaved work\n");
    std::filesystem::permissions(notes, std::filesystem::perms::all & ~std::filesystem::perms::owner_exec &
                                            ~std::filesystem::perms::group_exec & ~std::filesystem::perms::others_exec);
    REQUIRE(holding.send("open notes.txt"));
    REQUIRE(holding.wait_for_output("open file \\notes.txt: for read/write", 10s));
    BusyClient working(busy);

    Reaper reaper(s.policy("enforce", "confirm_polls: 2, max_close_fraction: 0.5", kKeepService + kIdle),
                  s.dir / "log");
    REQUIRE(eventually([&] { return contains(s.outcomes(), "closed:alice"); }));
    INFO(reaper.log());

    // The closed client sees its connection end; smbclient's echoes kept flowing while it was idle.
    REQUIRE(eventually(
        [&] {
            return idle.has_exited() || !idle.send("ls") ||
                   idle.output().find("NT_STATUS_CONNECTION_DISCONNECTED") != std::string::npos;
        },
        20s));
    std::this_thread::sleep_for(6s);  // long enough for the others to pass the threshold if they were idle
    REQUIRE(reaper.stop() == 0);
    const auto outcomes = s.outcomes();
    REQUIRE(outcomes == std::vector<std::string>{"closed:alice"});
    // carol was idle long enough, but the open-files guard kept her session.
    REQUIRE(reaper.log().find("guard open_files keeps session") != std::string::npos);
    REQUIRE(reaper.log().find("user carol") != std::string::npos);
    REQUIRE_FALSE(busy.has_exited());
    REQUIRE_FALSE(holding.has_exited());
    REQUIRE_FALSE(service.has_exited());
    REQUIRE(verifies(s.dir / "audit.db"));
}

TEST_CASE("audit mode closes nothing and records what-if") {
    Scenario s("audit-mode");
    SmbClientProcess& idle = s.connect("alice");
    Reaper reaper(s.policy("audit", "confirm_polls: 1, max_close_fraction: 1.0", kIdle), s.dir / "log");
    REQUIRE(eventually([&] { return contains(s.outcomes(), "what-if:alice"); }));
    std::this_thread::sleep_for(3s);
    REQUIRE(reaper.stop() == 0);
    REQUIRE(s.outcomes() == std::vector<std::string>{"what-if:alice"});
    REQUIRE_FALSE(idle.has_exited());
    REQUIRE(idle.send("ls"));
}

TEST_CASE("confirm_polls delays a close by that many polls") {
    Scenario s("confirm");
    s.connect("alice");
    Reaper reaper(s.policy("enforce", "confirm_polls: 4, max_close_fraction: 1.0",
                           "  - {name: idle-3s, action: close, match: {idle: '>= 3s'}}\n"),
                  s.dir / "log");
    REQUIRE(eventually([&] { return contains(s.outcomes(), "closed:alice"); }));
    reaper.stop();
    // The log has a line per cycle: the close comes after at least four cycles that selected alice.
    const std::string log = reaper.log();
    INFO(log);
    const auto close_at = log.find("close: rule idle-3s");
    REQUIRE(close_at != std::string::npos);
    std::size_t selecting_cycles = 0;
    for (std::size_t at = log.find(", 1 selected"); at < close_at; at = log.find(", 1 selected", at + 1))
        ++selecting_cycles;
    REQUIRE(selecting_cycles >= 3);  // three earlier polls, then the fourth closes
}

TEST_CASE("the fraction limit refuses a mass close") {
    Scenario s("fraction");
    SmbClientProcess& a = s.connect("alice");
    SmbClientProcess& b = s.connect("bob");
    s.connect("carol");
    Reaper reaper(s.policy("enforce", "confirm_polls: 1, max_close_fraction: 0.5",
                           "  - {name: everyone, action: close, match: {idle: '>= 0s'}}\n"),
                  s.dir / "log");
    REQUIRE(eventually([&] { return s.has_kind(smbreaper::storage::EntryKind::LimitTripped); }));
    std::this_thread::sleep_for(3s);
    reaper.stop();
    REQUIRE(s.outcomes().empty());
    REQUIRE(a.send("ls"));
    REQUIRE(b.send("ls"));
    REQUIRE_FALSE(a.has_exited());
}

TEST_CASE("two sessions on one connection close only together") {
    Scenario s("shared-connection");
    SmbClientProcess& client = s.connect("alice");
    // smbclient's "logon" sets up a second session (bob) on the same connection.
    REQUIRE(client.send("logon bob " + SambaTestInstance::password_of("bob")));
    REQUIRE(client.wait_for_output("Current VUID", 20s));
    s.connect("carol");
    s.connect("svc_backup");

    {
        Reaper only_alice(s.policy("enforce", "confirm_polls: 1, max_close_fraction: 1.0",
                                   "  - {name: alice-only, action: close, match: {user: alice, idle: '>= 0s'}}\n"),
                          s.dir / "log1");
        REQUIRE(eventually([&] { return only_alice.log().find("shares its connection") != std::string::npos; }));
        only_alice.stop();
        REQUIRE(s.outcomes().empty());
        REQUIRE_FALSE(client.has_exited());
    }
    Reaper both(s.policy("enforce", "confirm_polls: 1, max_close_fraction: 1.0",
                         "  - {name: alice-and-bob, action: close, match: {user: [alice, bob], idle: '>= 0s'}}\n"),
                s.dir / "log2");
    REQUIRE(eventually([&] {
        const auto outcomes = s.outcomes();
        return contains(outcomes, "closed:alice") && contains(outcomes, "closed:bob");
    }));
    both.stop();
    REQUIRE(s.outcomes().size() == 2);
    REQUIRE(verifies(s.dir / "audit.db"));
}

TEST_CASE("smbd down gives no closures and a source-error event") {
    Scenario s("server-down");
    const auto policy = s.policy("enforce", "confirm_polls: 1, max_close_fraction: 1.0", kIdle);
    s.samba.stop();
    Reaper once(policy, s.dir / "log", true);
    REQUIRE(once.wait() == 3);  // run --once: the session table could not be read
    REQUIRE(s.has_kind(smbreaper::storage::EntryKind::SourceError));
    REQUIRE(s.outcomes().empty());
}

TEST_CASE("a hung smbstatus is killed and the cycle closes nothing") {
    Scenario s("hung-smbstatus");
    SmbClientProcess& idle = s.connect("alice");
    const std::filesystem::path hang = s.dir / "hanging-smbstatus";
    write_file(hang, "#!/bin/sh\nsleep 120\n");
    chmod(hang.c_str(), 0755);
    const auto policy =
        s.policy("enforce", "confirm_polls: 1, max_close_fraction: 1.0",
                 "  - {name: all, action: close, match: {idle: '>= 0s'}}\n", ", smbstatus: " + hang.string());
    const auto started = std::chrono::steady_clock::now();
    Reaper once(policy, s.dir / "log", true);
    REQUIRE(once.wait() == 3);  // the table could not be read: a timer or a monitoring check sees it
    REQUIRE(std::chrono::steady_clock::now() - started < 60s);  // bounded by the 3 s timeout, not the 120 s sleep
    const auto entries = s.entries();
    bool timed_out = false;
    for (const auto& e : entries) timed_out = timed_out || (e.kind == smbreaper::storage::EntryKind::SourceError);
    REQUIRE(timed_out);
    REQUIRE(s.outcomes().empty());
    REQUIRE(idle.send("ls"));
}

TEST_CASE("a broken policy edit keeps the old policy at work") {
    Scenario s("broken-edit");
    s.connect("alice");
    s.connect("bob");
    const auto policy = s.policy("audit", "confirm_polls: 1, max_close_fraction: 1.0", kKeepService);
    Reaper reaper(policy, s.dir / "log");
    REQUIRE(eventually([&] { return s.has_kind(smbreaper::storage::EntryKind::Start); }));
    write_file(policy, "version: 1\nrules:\n  - {name: x, action: close, match: {idle: '>= 2 hours'}}\n");
    REQUIRE(eventually([&] { return s.has_kind(smbreaper::storage::EntryKind::PolicyRejected); }));
    REQUIRE(reaper.log().find("policy.yaml:3:") != std::string::npos);
    reaper.stop();
    REQUIRE(s.outcomes().empty());
}
