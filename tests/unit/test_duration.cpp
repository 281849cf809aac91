#include <catch2/catch.hpp>

#include "rules/duration.h"

using smbreaper::rules::format_duration;
using smbreaper::rules::parse_duration;

using smbreaper::rules::format_duration;
using smbreaper::rules::parse_duration;

TEST_CASE("durations parse with every unit and in combination", "[duration]") {
    REQUIRE(parse_duration("90s") == 90u);
    REQUIRE(parse_duration("15m") == 900u);
    REQUIRE(parse_duration("2h") == 7200u);
    REQUIRE(parse_duration("1d") == 86400u);
    REQUIRE(parse_duration("1w") == 604800u);
    REQUIRE(parse_duration("1h30m") == 5400u);
    REQUIRE(parse_duration("1d2h3m4s") == 93784u);
    REQUIRE(parse_duration("300") == 300u);
    REQUIRE(parse_duration("0") == 0u);
    REQUIRE(parse_duration(" 2H ") == 7200u);
}

TEST_CASE("malformed durations are refused", "[duration]") {
    for (const char* text : {"", "h", "2 hours", "1.5h", "-1m", "30m1h", "1h1h", "1h30", "2x", "99999999999999999999s",
                             "999999999999999999w"}) {
        INFO(text);
        REQUIRE_FALSE(parse_duration(text).has_value());
    }
}

TEST_CASE("durations print in their shortest exact form", "[duration]") {
    REQUIRE(format_duration(0) == "0s");
    REQUIRE(format_duration(7200) == "2h");
    REQUIRE(format_duration(5400) == "1h30m");
    REQUIRE(format_duration(90061) == "1d1h1m1s");
}
