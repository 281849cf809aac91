#include <catch2/catch.hpp>

#include <charconv>

#include "rules/comparison.h"
#include "rules/duration.h"

using smbreaper::rules::Comparison;
using smbreaper::rules::parse_comparison;
using smbreaper::rules::parse_duration;
using smbreaper::rules::ValueParser;

using namespace smbreaper;

namespace {
const ValueParser seconds = [](std::string_view text) { return parse_duration(text); };

Comparison parsed(std::string_view text) {
    auto result = parse_comparison(text, seconds);
    REQUIRE(std::holds_alternative<Comparison>(result));
    return std::get<Comparison>(result);
}
}  // namespace

TEST_CASE("every operator compares as written", "[comparison]") {
    REQUIRE(parsed("< 2h").holds(7199));
    REQUIRE_FALSE(parsed("< 2h").holds(7200));
    REQUIRE(parsed("<= 2h").holds(7200));
    REQUIRE(parsed("> 15m").holds(901));
    REQUIRE_FALSE(parsed("> 15m").holds(900));
    REQUIRE(parsed(">= 15m").holds(900));
    REQUIRE(parsed("== 90s").holds(90));
    REQUIRE(parsed("= 90").holds(90));
    REQUIRE(parsed("!= 0").holds(1));
    REQUIRE_FALSE(parsed("!= 0").holds(0));
    REQUIRE(parsed("90s").holds(90));
    REQUIRE(parsed(">=2h").holds(7200));
}

TEST_CASE("ranges are inclusive at both ends", "[comparison]") {
    const Comparison range = parsed("1h..2h");
    REQUIRE(range.holds(3600));
    REQUIRE(range.holds(7200));
    REQUIRE_FALSE(range.holds(3599));
    REQUIRE_FALSE(range.holds(7201));
}

TEST_CASE("malformed comparisons explain what is wrong", "[comparison]") {
    for (const char* text : {"", ">=", ">> 2h", "2 hours", "2h..1h", "..2h", "1h..", "=< 2h", "> -1"}) {
        INFO(text);
        REQUIRE(std::holds_alternative<std::string>(parse_comparison(text, seconds)));
    }
    REQUIRE(std::get<std::string>(parse_comparison("2h..1h", seconds)).find("range is empty") != std::string::npos);
}
