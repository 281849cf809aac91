#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace smbreaper::rules {

enum class CompareOp { Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual, Between };

// One numeric test: `>= 7200`, `== 0`, or the inclusive range `3600..7200`. Durations and dialect
// revisions are compared as numbers too (seconds; 0x0311 for 3.1.1).
struct Comparison {
    CompareOp op = CompareOp::Equal;
    std::uint64_t value = 0;
    std::uint64_t upper = 0;  // only for Between

    bool holds(std::uint64_t actual) const;
};

// Reads one value of the field's kind (a count, a duration, a dialect); nothing when malformed.
using ValueParser = std::function<std::optional<std::uint64_t>(std::string_view)>;
// Prints one value back in the policy's own notation.
using ValueFormatter = std::function<std::string(std::uint64_t)>;

// Parses 'OP VALUE' (OP one of < <= > >= == !=), a bare VALUE (==), or 'A..B'. On failure returns
// a message saying what is wrong with the text (the caller adds where and what to write).
std::variant<Comparison, std::string> parse_comparison(std::string_view text, const ValueParser& parse_value);

std::string to_string(const Comparison& comparison, const ValueFormatter& format_value);

}  // namespace smbreaper::rules
