#include <catch2/catch.hpp>

#include "rules/time_window.h"

using smbreaper::rules::HourSpan;
using smbreaper::rules::LocalTime;
using smbreaper::rules::parse_day_range;
using smbreaper::rules::parse_hour_span;
using smbreaper::rules::parse_local_time;
using smbreaper::rules::TimeWindow;

using namespace smbreaper;

namespace {
constexpr int Mon = 0, Tue = 1, Fri = 4, Sat = 5, Sun = 6;
LocalTime at(int weekday, int hour, int minute = 0) { return {weekday, hour * 60 + minute}; }

TimeWindow window(const char* days, const char* hours) {
    TimeWindow w;
    if (days) w.days = std::get<std::uint8_t>(parse_day_range(days));
    if (hours) w.hours.push_back(std::get<HourSpan>(parse_hour_span(hours)));
    return w;
}
}  // namespace

TEST_CASE("a span across midnight belongs to the day it starts on", "[when]") {
    const TimeWindow weeknights = window("mon-fri", "19:00-07:00");
    REQUIRE(weeknights.contains(at(Mon, 19, 0)));
    REQUIRE(weeknights.contains(at(Mon, 23, 59)));
    REQUIRE(weeknights.contains(at(Tue, 3, 0)));   // Monday night
    REQUIRE(weeknights.contains(at(Sat, 6, 59)));  // Friday night
    REQUIRE_FALSE(weeknights.contains(at(Sat, 7, 0)));
    REQUIRE_FALSE(weeknights.contains(at(Mon, 3, 0)));  // Sunday night is not a weeknight
    REQUIRE_FALSE(weeknights.contains(at(Sat, 20, 0)));
    REQUIRE_FALSE(weeknights.contains(at(Tue, 12, 0)));
    REQUIRE_FALSE(weeknights.contains(at(Mon, 7, 0)));
}

TEST_CASE("plain spans and whole days", "[when]") {
    const TimeWindow office = window("mon-fri", "08:00-18:00");
    REQUIRE(office.contains(at(Fri, 8, 0)));
    REQUIRE_FALSE(office.contains(at(Fri, 18, 0)));
    REQUIRE_FALSE(office.contains(at(Sat, 12, 0)));
    const TimeWindow weekend = window("sat-sun", nullptr);
    REQUIRE(weekend.contains(at(Sun, 0, 0)));
    REQUIRE(weekend.contains(at(Sat, 23, 59)));
    REQUIRE_FALSE(weekend.contains(at(Mon, 0, 0)));
    const TimeWindow until_midnight = window(nullptr, "22:00-24:00");
    REQUIRE(until_midnight.contains(at(Tue, 23, 59)));
    REQUIRE_FALSE(until_midnight.contains(at(Tue, 0, 0)));
}

TEST_CASE("day ranges may wrap the week", "[when]") {
    const auto mask = std::get<std::uint8_t>(parse_day_range("fri-mon"));
    REQUIRE(mask == 0b1110001);
    REQUIRE(std::get<std::uint8_t>(parse_day_range("Wednesday")) == 0b0000100);
    REQUIRE(std::holds_alternative<std::string>(parse_day_range("weekday")));
    REQUIRE(std::holds_alternative<std::string>(parse_day_range("mon-")));
}

TEST_CASE("malformed hours are refused", "[when]") {
    for (const char* text : {"19:00", "25:00-07:00", "19:60-07:00", "7-19", "19:00-19:00", "00:00-24:00", "aa:bb-cc:dd",
                             "19:00--0:00", "-1:00-07:00", "19:00-07:-0", "+7:00-19:00"}) {
        INFO(text);
        REQUIRE(std::holds_alternative<std::string>(parse_hour_span(text)));
    }
}

TEST_CASE("--at times give the right weekday", "[when]") {
    const auto tuesday = parse_local_time("2026-11-24T13:05:00");
    REQUIRE(tuesday.has_value());
    REQUIRE(tuesday->weekday == Tue);
    REQUIRE(tuesday->minute_of_day == 13 * 60 + 5);
    REQUIRE(parse_local_time("2024-02-29T00:00:00")->weekday == 3);  // a Thursday
    REQUIRE(parse_local_time("2000-01-01T23:59")->weekday == Sat);
    for (const char* text : {"2026-13-01T00:00:00", "2025-02-29T00:00:00", "2026-11-24", "2026-11-24T24:00:00",
                             "2026/11/24T10:00:00", "yesterday",
                             // signs, which the number parser took (fuzz_time_window)
                             "-026-11-25T-3:00", "2026-11-24T-3:00", "2026-11-24T10:-5"}) {
        INFO(text);
        REQUIRE_FALSE(parse_local_time(text).has_value());
    }
}

TEST_CASE("windows describe themselves compactly", "[when]") {
    REQUIRE(window("mon-fri", "19:00-07:00").describe() == "mon-fri 19:00-07:00");
    REQUIRE(window("sat-sun", nullptr).describe() == "sat-sun");
}
