// The wall clock jumping a day forward and two days back under a running service (libfaketime,
// Debian's faketime package, on the smbreaper process only; its monotonic clocks stay true, as a
// real clock change leaves them). Idle time and age come from monotonic sources (the kernel's
// socket counters on CLOCK_MONOTONIC, process start times on CLOCK_BOOTTIME), so no rule on them
// may fire early or late because of a jump, while the trail's times do follow the wall clock.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "reaper_scenario.h"

using namespace std::chrono_literals;

namespace {

const std::string kLibFaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

}  // namespace

TEST_CASE("idle and age ignore wall-clock jumps") {
    REQUIRE(::access(kLibFaketime.c_str(), R_OK) == 0);  // apt-get install faketime (scripts/install-deps)
    Scenario s("clock-jump");
    SmbClientProcess& idle = s.connect("alice");
    SmbClientProcess& busy = s.connect("bob");
    BusyClient working(busy);

    const auto offset = s.dir / "clock-offset";
    write_file(offset, "+0\n");
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::vector<std::string> environment = {
        "LD_PRELOAD=" + kLibFaketime,
        "FAKETIME_TIMESTAMP_FILE=" + offset.string(),
        "FAKETIME_NO_CACHE=1",
        "DONT_FAKE_MONOTONIC=1",
        // For the sanitizer build (scripts/test-sanitizers): ASan insists on being first in the
        // library list, and libfaketime must be; and ASan's allocator reads the clock while holding
        // its lock, which libfaketime's first call answers with a malloc: a deadlock, unless the
        // allocator never times its release of memory to the system.
        "ASAN_OPTIONS=" + std::string(asan ? std::string(asan) + ":" : "") +
            "verify_asan_link_order=0:allocator_release_to_os_interval_ms=-1",
    };
    Reaper reaper(s.policy("enforce", "confirm_polls: 1, max_close_fraction: 1.0",
                           "  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n"
                           "  - {name: age-1h, action: close, match: {age: '>= 1h'}}\n"
                           "  - {name: idle-8s, action: audit, match: {idle: '>= 8s'}}\n"),
                  s.dir / "log", false, environment);
    REQUIRE(eventually([&] { return s.has_kind(smbreaper::storage::EntryKind::Start); }));
    std::this_thread::sleep_for(3s);
    write_file(offset, "+1d\n");
    std::this_thread::sleep_for(3s);
    write_file(offset, "-2d\n");
    // alice reaches 8 s of real idle time whatever the wall clock says; bob never does.
    REQUIRE(eventually([&] { return contains(s.outcomes(), "what-if:alice"); }));
    std::this_thread::sleep_for(3s);
    REQUIRE(reaper.stop() == 0);
    INFO(reaper.log());

    REQUIRE(s.outcomes() == std::vector<std::string>{"what-if:alice"});
    REQUIRE(idle.send("ls"));
    REQUIRE_FALSE(idle.has_exited());
    REQUIRE_FALSE(busy.has_exited());
    // The jumps did reach the service: its stop is recorded two days before its start.
    const auto entries = s.entries();
    REQUIRE(entries.front().kind == smbreaper::storage::EntryKind::Start);
    REQUIRE(entries.back().kind == smbreaper::storage::EntryKind::Stop);
    REQUIRE(entries.back().time < entries.front().time);
    REQUIRE(verifies(s.dir / "audit.db"));
}
