#include "rules/time_window.h"

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "rules/glob.h"

namespace smbreaper::rules {
namespace {

constexpr std::array<std::string_view, 7> kShortDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> kLongDays = {"monday", "tuesday",  "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// A non-empty run of decimal digits (at most 4, so no overflow), or nothing. Not from_chars,
// which would take a sign ("19:00--0:00", "T-3:00").
std::optional<int> parse_digits(std::string_view text) {
    if (text.empty() || text.size() > 4) return std::nullopt;
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// "HH:MM" -> minutes; 24:00 is allowed only when `allow_end_of_day`.
std::optional<int> parse_clock(std::string_view text, bool allow_end_of_day) {
    text = trim(text);
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
    const std::optional<int> hours = parse_digits(text.substr(0, colon));
    const std::optional<int> minutes = parse_digits(text.substr(colon + 1));
    if (!hours || !minutes || *minutes > 59) return std::nullopt;
    if (*hours == 24 && *minutes == 0 && allow_end_of_day) return 1440;
    if (*hours > 23) return std::nullopt;
    return *hours * 60 + *minutes;
}

std::string format_clock(int minutes) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
    return buffer;
}

bool span_contains(const HourSpan& span, int minute) {
    if (span.start < span.end) return minute >= span.start && minute < span.end;
    return minute >= span.start || minute < span.end;  // wraps midnight
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace

bool TimeWindow::contains(const LocalTime& time) const {
    const auto day_selected = [this](int weekday) { return (days >> weekday) & 1u; };
    if (hours.empty()) return day_selected(time.weekday);
    for (const HourSpan& span : hours) {
        if (!span_contains(span, time.minute_of_day)) continue;
        const bool after_midnight_part = span.end <= span.start && time.minute_of_day < span.end;
        const int owning_day = after_midnight_part ? (time.weekday + 6) % 7 : time.weekday;
        if (day_selected(owning_day)) return true;
    }
    return false;
}

std::string TimeWindow::describe() const {
    std::string text;
    if (days != 0x7F) {
        // Print runs of consecutive days as ranges: "mon-fri", "sat,sun" -> "sat-sun".
        for (int day = 0; day < 7;) {
            if (!((days >> day) & 1u)) {
                ++day;
                continue;
            }
            int last = day;
            while (last + 1 < 7 && ((days >> (last + 1)) & 1u)) ++last;
            if (!text.empty()) text += ",";
            text += kShortDays[day];
            if (last > day) text += "-" + std::string(kShortDays[last]);
            day = last + 1;
        }
    } else {
        text = "every day";
    }
    for (const HourSpan& span : hours) text += " " + format_clock(span.start) + "-" + format_clock(span.end);
    return text;
}

std::optional<int> parse_weekday(std::string_view text) {
    text = trim(text);
    for (int day = 0; day < 7; ++day) {
        if (equals_ignoring_case(text, kShortDays[day]) || equals_ignoring_case(text, kLongDays[day])) return day;
    }
    return std::nullopt;
}

std::variant<std::uint8_t, std::string> parse_day_range(std::string_view text) {
    const auto dash = text.find('-');
    const auto first = parse_weekday(text.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : parse_weekday(text.substr(dash + 1));
    if (!first || !last) {
        return "'" + std::string(trim(text)) + "' is not a day or a range of days";
    }
    std::uint8_t mask = 0;
    for (int day = *first;; day = (day + 1) % 7) {
        mask |= static_cast<std::uint8_t>(1u << day);
        if (day == *last) break;
    }
    return mask;
}

std::variant<HourSpan, std::string> parse_hour_span(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) return std::string("a span of hours needs a start and an end");
    const auto start = parse_clock(text.substr(0, dash), false);
    const auto end = parse_clock(text.substr(dash + 1), true);
    if (!start) return "'" + std::string(trim(text.substr(0, dash))) + "' is not a time of day (HH:MM, 00:00 to 23:59)";
    if (!end) return "'" + std::string(trim(text.substr(dash + 1))) + "' is not a time of day (HH:MM, 00:00 to 24:00)";
    if (*start == *end % 1440)
        return std::string("the span is empty or covers the whole day: leave 'hours' out for all day");
    return HourSpan{*start, *end};
}

std::optional<LocalTime> parse_local_time(std::string_view text) {
    // YYYY-MM-DDTHH:MM[:SS]
    if (text.size() != 16 && text.size() != 19) return std::nullopt;
    if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':')
        return std::nullopt;
    const auto number = [&](std::size_t at, std::size_t length) { return parse_digits(text.substr(at, length)); };
    const auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
    const auto hour = number(11, 2), minute = number(14, 2);
    std::optional<int> second = 0;
    if (text.size() == 19) {
        if (text[16] != ':') return std::nullopt;
        second = number(17, 2);
    }
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    if (*month < 1 || *month > 12 || *day < 1 || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    static constexpr int days_in_month[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    if (*day > days_in_month[*month - 1] || (*month == 2 && *day == 29 && !leap)) return std::nullopt;

    const long long days = days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
    // 1970-01-01 was a Thursday (weekday 3 when Monday is 0).
    const int weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);
    return LocalTime{weekday, *hour * 60 + *minute};
}

LocalTime local_time_now() {
    const std::time_t now = std::time(nullptr);
    // std::localtime returns a shared buffer; the evaluator calls this from one thread only.
    const std::tm* local = std::localtime(&now);
    if (local == nullptr) return LocalTime{};
    return LocalTime{(local->tm_wday + 6) % 7, local->tm_hour * 60 + local->tm_min};
}

}  // namespace smbreaper::rules
