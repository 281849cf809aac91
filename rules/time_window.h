#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace smbreaper::rules {

// A moment in local time, as much of it as `when` needs.
struct LocalTime {
    int weekday = 0;        // 0 = Monday ... 6 = Sunday
    int minute_of_day = 0;  // 0 ... 1439
};

// A span of local hours, "19:00-07:00"; `end` may be at or before `start`, which wraps midnight.
struct HourSpan {
    int start = 0;  // minutes after midnight, 0 ... 1439
    int end = 0;    // minutes after midnight, 0 ... 1440 (as an end, 00:00 and 24:00 both mean midnight)
};

// `when: {days: [mon-fri], hours: '19:00-07:00'}`. A span that wraps midnight belongs to the day it
// starts on: with days mon-fri, Friday 19:00 to Saturday 07:00 is inside, Monday 03:00 is not.
struct TimeWindow {
    std::uint8_t days = 0x7F;     // bit 0 = Monday ... bit 6 = Sunday
    std::vector<HourSpan> hours;  // empty: the whole day

    bool contains(const LocalTime& time) const;
    std::string describe() const;  // "mon-fri 19:00-07:00"
};

// "mon", "monday", "Mon"... -> 0..6
std::optional<int> parse_weekday(std::string_view text);
// "mon-fri" (may wrap: "fri-mon") or a single day -> day mask; an error message otherwise.
std::variant<std::uint8_t, std::string> parse_day_range(std::string_view text);
// "19:00-07:00" -> span; an error message otherwise.
std::variant<HourSpan, std::string> parse_hour_span(std::string_view text);
// "2026-11-24T13:05:00" read as local time -> weekday and minute; nothing when malformed.
std::optional<LocalTime> parse_local_time(std::string_view text);
// The machine's local time now.
LocalTime local_time_now();

}  // namespace smbreaper::rules
