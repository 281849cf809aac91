#include <catch2/catch.hpp>

#include <stdexcept>

#include "common/phase_timing.h"

using smbreaper::common::format_milliseconds;
using smbreaper::common::PhaseTimer;
using smbreaper::common::PhaseTimings;

using namespace smbreaper;
using std::chrono::milliseconds;

TEST_CASE("phases add up by name and keep the order they first appear in") {
    PhaseTimings timings;
    timings.add("smbstatus", milliseconds(60));
    timings.add("evaluate", milliseconds(2));
    timings.add("smbstatus", milliseconds(5));
    REQUIRE(timings.phases().size() == 2);
    CHECK(timings.phases()[0].name == "smbstatus");
    CHECK(timings.phases()[0].duration == milliseconds(65));
    CHECK(timings.total() == milliseconds(67));
    CHECK(timings.describe() == "smbstatus 65.00 ms, evaluate 2.00 ms");

    PhaseTimings cycle;
    cycle.add("audit", milliseconds(1));
    cycle.add(timings);
    CHECK(cycle.describe() == "audit 1.00 ms, smbstatus 65.00 ms, evaluate 2.00 ms");
    CHECK(PhaseTimings().describe().empty());
}

TEST_CASE("a phase timer records its step even when the step throws") {
    PhaseTimings timings;
    try {
        const PhaseTimer timer(timings, "smbstatus");
        throw std::runtime_error("smbstatus failed");
    } catch (const std::runtime_error&) {}
    REQUIRE(timings.phases().size() == 1);
    CHECK(timings.phases()[0].name == "smbstatus");
    CHECK(format_milliseconds(std::chrono::microseconds(61'204)) == "61.20 ms");
}
