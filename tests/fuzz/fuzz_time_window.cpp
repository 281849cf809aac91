// `when` windows: day ranges ("mon-fri"), hour spans ("19:00-07:00"), and the local times
// `simulate --at` takes ("2026-11-24T13:05:00").
// Invariants: what parses is in range; midnight as a span's end means the same whether written
// 00:00 or 24:00; a window built from it describes itself and answers.

#include "fuzz_check.h"
#include "rules/time_window.h"

using smbreaper::rules::HourSpan;
using smbreaper::rules::parse_day_range;
using smbreaper::rules::parse_hour_span;
using smbreaper::rules::parse_local_time;
using smbreaper::rules::parse_weekday;
using smbreaper::rules::TimeWindow;

using namespace smbreaper;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    TimeWindow window;
    (void)parse_weekday(text);
    const auto day_range = parse_day_range(text);
    if (const auto* days = std::get_if<std::uint8_t>(&day_range)) {
        fuzz::require(*days != 0 && *days <= 0x7F, "a day range names some of the seven days");
        window.days = *days;
    }
    const auto hour_span = parse_hour_span(text);
    if (const auto* span = std::get_if<HourSpan>(&hour_span)) {
        fuzz::require(span->start >= 0 && span->start <= 1439 && span->end >= 0 && span->end <= 1440,
                      "an hour span lies within a day");
        // Midnight as an end, 00:00 or 24:00, is the same window on every day and minute.
        TimeWindow as_written, other_midnight;
        as_written.hours.push_back(*span);
        other_midnight.hours.push_back({span->start, span->end == 0 ? 1440 : span->end == 1440 ? 0 : span->end});
        for (int weekday = 0; weekday < 7; weekday += 3) {
            for (int minute = 0; minute < 1440; ++minute) {
                fuzz::require(as_written.contains({weekday, minute}) == other_midnight.contains({weekday, minute}),
                              "00:00 and 24:00 mean the same end of a span");
            }
        }
        window.hours.push_back(*span);
    }
    (void)window.describe();
    if (const auto time = parse_local_time(text)) {
        fuzz::require(
            time->weekday >= 0 && time->weekday <= 6 && time->minute_of_day >= 0 && time->minute_of_day <= 1439,
            "a local time is a weekday and a minute of the day");
        (void)window.contains(*time);
    }
    return 0;
}
