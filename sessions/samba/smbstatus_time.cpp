#include "sessions/samba/smbstatus_time.h"

namespace smbreaper::sessions {
namespace {

// Reads exactly `count` digits from the front of `text`, consuming them.
std::optional<int> take_digits(std::string_view& text, std::size_t count) {
    if (text.size() < count) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    text.remove_prefix(count);
    return value;
}

bool take_char(std::string_view& text, char expected) {
    if (text.empty() || text.front() != expected) return false;
    text.remove_prefix(1);
    return true;
}

// The fraction of a second after the '.', in microseconds; digits beyond the sixth are dropped.
std::optional<std::chrono::microseconds> take_fraction(std::string_view& text) {
    if (!take_char(text, '.')) return std::chrono::microseconds(0);
    std::size_t digits = 0;
    long long micros = 0;
    while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
        if (digits < 6) micros = micros * 10 + (text.front() - '0');
        ++digits;
        text.remove_prefix(1);
    }
    if (digits == 0 || digits > 9) return std::nullopt;
    for (std::size_t i = digits; i < 6; ++i) micros *= 10;
    return std::chrono::microseconds(micros);
}

// "Z", "+HHMM" or "+HH:MM" (or '-'): how far the printed local time is ahead of UTC.
std::optional<std::chrono::minutes> take_utc_offset(std::string_view& text) {
    if (take_char(text, 'Z')) return std::chrono::minutes(0);
    if (text.empty() || (text.front() != '+' && text.front() != '-')) return std::nullopt;
    const int sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
    const auto hours = take_digits(text, 2);
    take_char(text, ':');
    const auto minutes = take_digits(text, 2);
    if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
    return std::chrono::minutes(sign * (*hours * 60 + *minutes));
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_smbstatus_time(std::string_view text) {
    using namespace std::chrono;
    const auto year = take_digits(text, 4);
    if (!year || !take_char(text, '-')) return std::nullopt;
    const auto month = take_digits(text, 2);
    if (!month || !take_char(text, '-')) return std::nullopt;
    const auto day = take_digits(text, 2);
    if (!day || !take_char(text, 'T')) return std::nullopt;
    const auto hour = take_digits(text, 2);
    if (!hour || !take_char(text, ':')) return std::nullopt;
    const auto minute = take_digits(text, 2);
    if (!minute || !take_char(text, ':')) return std::nullopt;
    const auto second = take_digits(text, 2);
    if (!second) return std::nullopt;
    const auto fraction = take_fraction(text);
    if (!fraction) return std::nullopt;
    const auto offset = take_utc_offset(text);
    if (!offset || !text.empty()) return std::nullopt;

    const year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                              std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;

    // Computed in microseconds, which cannot overflow for any year of four digits, then refused
    // when the system clock cannot hold it (its ticks may be nanoseconds: years 1678 to 2261).
    const sys_time<microseconds> utc =
        sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second) + *fraction - *offset;
    const auto earliest = ceil<microseconds>(system_clock::time_point::min());
    const auto latest = floor<microseconds>(system_clock::time_point::max());
    if (utc < earliest || utc > latest) return std::nullopt;
    return time_point_cast<system_clock::duration>(utc);
}

}  // namespace smbreaper::sessions
