#include <catch2/catch.hpp>

#include <unistd.h>

#include <vector>

#include "sessions/samba/smbd_start_times.h"

using smbreaper::sessions::process_start_ticks;
using smbreaper::sessions::SmbdStartTimes;

using namespace smbreaper;

namespace {

// Start ticks of made-up processes: pid * 100, or nothing for pids above 1000 (ended). Counts reads.
struct FakeProc {
    std::vector<pid_t> reads;
    SmbdStartTimes::ReadStartTicks reader() {
        return [this](pid_t pid) -> std::optional<std::uint64_t> {
            reads.push_back(pid);
            if (pid > 1000) return std::nullopt;
            return static_cast<std::uint64_t>(pid) * 100;
        };
    }
};

}  // namespace

TEST_CASE("an smbd's start time is read once for as long as the process is listed", "[samba]") {
    FakeProc proc;
    SmbdStartTimes times(proc.reader());
    CHECK(times.start_ticks(7, 111) == 700u);
    CHECK(times.start_ticks(7, 111) == 700u);
    times.end_poll();
    CHECK(times.start_ticks(7, 111) == 700u);
    CHECK(proc.reads == std::vector<pid_t>{7});

    SECTION("a pid handed out again comes with another unique_id and is read afresh") {
        CHECK(times.start_ticks(7, 222) == 700u);
        CHECK(proc.reads == std::vector<pid_t>{7, 7});
        CHECK(times.processes_known() == 2);
    }
    SECTION("a process not asked about during a poll is forgotten") {
        times.end_poll();
        times.end_poll();
        CHECK(times.processes_known() == 0);
        CHECK(times.start_ticks(7, 111) == 700u);
        CHECK(proc.reads == std::vector<pid_t>{7, 7});
    }
    SECTION("a process that has ended is not remembered: it is asked about again") {
        CHECK_FALSE(times.start_ticks(2000, 1).has_value());
        CHECK_FALSE(times.start_ticks(2000, 1).has_value());
        CHECK(proc.reads == std::vector<pid_t>{7, 2000, 2000});
    }
}

TEST_CASE("by default the start time comes from /proc", "[samba]") {
    SmbdStartTimes times;
    const pid_t self = ::getpid();
    CHECK(times.start_ticks(self, 1) == process_start_ticks(self));
    CHECK(times.start_ticks(self, 1).has_value());
}
