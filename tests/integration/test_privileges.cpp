// Which privileges the service needs on Linux (docs/SECURITY.md section 4), measured: `smbreaper
// run --once` as root, against a real smbd, with nothing but the listed capabilities in its
// bounding set (setpriv from util-linux).

#include <catch2/catch.hpp>

#include <chrono>

#include "program_under_test.h"
#include "reaper_scenario.h"
#include "sessions/posix/process_runner.h"

using namespace std::chrono_literals;

namespace {

// One cycle with only `capabilities` ("-all,+sys_ptrace"): its log.
std::string run_with(Scenario& s, const std::string& capabilities) {
    const auto policy = s.policy("enforce", "confirm_polls: 1, max_close_fraction: 1.0",
                                 "  - {name: idle, action: close, match: {idle: '>= 0s'}}\n");
    const smbreaper::sessions::ProcessResult run = smbreaper::sessions::run_process(
        {"/usr/bin/setpriv",
         {"--bounding-set=" + capabilities, "--inh-caps=-all", smbreaper::test::program_under_test(), "run", "--once",
          "--no-syslog", "--policy", policy.string()},
         60s});
    INFO(run.describe() << "\n" << run.standard_error);
    REQUIRE(run.succeeded());
    return run.standard_error;
}

}  // namespace

TEST_CASE("as root, CAP_SYS_PTRACE is the only capability the service needs") {
    Scenario s("privileges");
    s.connect("alice");
    const std::string log = run_with(s, "-all,+sys_ptrace");
    INFO(log);
    REQUIRE(s.outcomes() == std::vector<std::string>{"closed:alice"});
}

TEST_CASE("without CAP_SYS_PTRACE, idle times are unknown and nothing is closed") {
    Scenario s("no-privileges");
    SmbClientProcess& alice = s.connect("alice");
    // /proc/PID/fd of smbd's per-connection processes is out of reach: no session can be tied to
    // its socket, so idle is unknown and the rule does not match. Doubt closes nothing.
    const std::string log = run_with(s, "-all");
    INFO(log);
    REQUIRE(log.find("1 sessions, 0 selected") != std::string::npos);
    REQUIRE(s.outcomes().empty());
    REQUIRE(alice.send("ls"));
    REQUIRE_FALSE(alice.has_exited());
}
