#include "rules/duration.h"

#include <cctype>
#include <limits>

namespace smbreaper::rules {
namespace {

std::optional<std::uint64_t> unit_seconds(char unit) {
    switch (std::tolower(static_cast<unsigned char>(unit))) {
        case 's': return 1;
        case 'm': return 60;
        case 'h': return 3600;
        case 'd': return 86400;
        case 'w': return 604800;
        default: return std::nullopt;
    }
}

}  // namespace

std::optional<std::uint64_t> parse_duration(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.empty()) return std::nullopt;

    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t total = 0;
    std::uint64_t previous_unit = max;  // units must shrink: "1h30m", not "30m1h"
    std::size_t i = 0;
    while (i < text.size()) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
        std::uint64_t number = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            const auto digit = static_cast<std::uint64_t>(text[i] - '0');
            if (number > (max - digit) / 10) return std::nullopt;
            number = number * 10 + digit;
            ++i;
        }
        std::uint64_t unit = 1;
        if (i < text.size()) {
            const auto parsed_unit = unit_seconds(text[i]);
            if (!parsed_unit) return std::nullopt;
            unit = *parsed_unit;
            ++i;
        } else if (previous_unit != max) {
            return std::nullopt;  // "1h30" is ambiguous: say 1h30m
        }
        if (unit >= previous_unit) return std::nullopt;
        previous_unit = unit;
        if (number > max / unit || total > max - number * unit) return std::nullopt;
        total += number * unit;
    }
    return total;
}

std::string format_duration(std::uint64_t seconds) {
    if (seconds == 0) return "0s";
    static constexpr std::pair<std::uint64_t, char> units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    std::string out;
    for (const auto& [size, letter] : units) {
        if (seconds >= size) {
            out += std::to_string(seconds / size);
            out.push_back(letter);
            seconds %= size;
        }
    }
    return out;
}

}  // namespace smbreaper::rules
