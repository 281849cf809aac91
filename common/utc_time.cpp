#include "common/utc_time.h"

#include <cstdio>

namespace smbreaper::common {
namespace {

using namespace std::chrono;

// A left-to-right reader over the text being parsed.
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ == text_.size(); }
    bool peek_is(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

    bool accept(char c) {
        if (!peek_is(c)) return false;
        ++pos_;
        return true;
    }

    // Exactly `count` decimal digits.
    std::optional<int> digits(std::size_t count) {
        if (pos_ + count > text_.size()) return std::nullopt;
        int value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const char c = text_[pos_ + i];
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + (c - '0');
        }
        pos_ += count;
        return value;
    }

    // One to nine digits of a decimal fraction, as nanoseconds.
    std::optional<nanoseconds> fraction() {
        std::int64_t nanos = 0;
        std::size_t count = 0;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
            if (++count > 9) return std::nullopt;
            nanos = nanos * 10 + (text_[pos_++] - '0');
        }
        if (count == 0) return std::nullopt;
        for (std::size_t i = count; i < 9; ++i) nanos *= 10;
        return nanoseconds(nanos);
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

// "Z", "+02:00", "-0530", "+02": the offset to subtract to get UTC.
std::optional<minutes> parse_zone(Cursor& in) {
    if (in.accept('Z') || in.accept('z')) return minutes(0);
    int sign = 0;
    if (in.accept('+'))
        sign = 1;
    else if (in.accept('-'))
        sign = -1;
    else
        return std::nullopt;
    const auto hours_part = in.digits(2);
    if (!hours_part || *hours_part > 23) return std::nullopt;
    int minutes_part = 0;
    if (!in.at_end()) {
        in.accept(':');
        const auto parsed = in.digits(2);
        if (!parsed || *parsed > 59) return std::nullopt;
        minutes_part = *parsed;
    }
    return minutes(sign * (*hours_part * 60 + minutes_part));
}

}  // namespace

std::string format_utc_timestamp(system_clock::time_point time) {
    const auto in_ms = floor<milliseconds>(time);
    const auto day = floor<days>(in_ms);
    const year_month_day date{day};
    const hh_mm_ss clock{in_ms - day};
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
    return text;
}

std::optional<system_clock::time_point> parse_utc_timestamp(std::string_view text) {
    Cursor in(text);
    const auto y = in.digits(4);
    if (!y || !in.accept('-')) return std::nullopt;
    const auto m = in.digits(2);
    if (!m || !in.accept('-')) return std::nullopt;
    const auto d = in.digits(2);
    if (!d) return std::nullopt;
    const year_month_day date{year(*y), month(static_cast<unsigned>(*m)), day(static_cast<unsigned>(*d))};
    if (!date.ok()) return std::nullopt;
    system_clock::time_point result = sys_days(date);
    if (in.at_end()) return result;

    if (!(in.accept('T') || in.accept('t') || in.accept(' '))) return std::nullopt;
    const auto h = in.digits(2);
    if (!h || *h > 23 || !in.accept(':')) return std::nullopt;
    const auto min = in.digits(2);
    if (!min || *min > 59) return std::nullopt;
    result += hours(*h) + minutes(*min);
    if (in.accept(':')) {
        const auto s = in.digits(2);
        if (!s || *s > 59) return std::nullopt;
        result += seconds(*s);
        if (in.accept('.') || in.accept(',')) {
            const auto fraction = in.fraction();
            if (!fraction) return std::nullopt;
            result += duration_cast<system_clock::duration>(*fraction);
        }
    }
    if (in.at_end()) return result;
    const auto offset = parse_zone(in);
    if (!offset || !in.at_end()) return std::nullopt;
    return result - *offset;
}

bool is_canonical_timestamp(std::string_view text) {
    const auto parsed = parse_utc_timestamp(text);
    return parsed && format_utc_timestamp(*parsed) == text;
}

}  // namespace smbreaper::common
