#include "rules/comparison.h"

#include <array>

namespace smbreaper::rules {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

struct OperatorSpelling {
    std::string_view text;
    CompareOp op;
};

// Two-character operators first, so that "<=" is not read as "<" followed by "=".
constexpr std::array<OperatorSpelling, 7> kOperators = {{
    {"<=", CompareOp::LessEqual},
    {">=", CompareOp::GreaterEqual},
    {"==", CompareOp::Equal},
    {"!=", CompareOp::NotEqual},
    {"<", CompareOp::Less},
    {">", CompareOp::Greater},
    {"=", CompareOp::Equal},
}};

std::string_view operator_text(CompareOp op) {
    switch (op) {
        case CompareOp::Less: return "<";
        case CompareOp::LessEqual: return "<=";
        case CompareOp::Greater: return ">";
        case CompareOp::GreaterEqual: return ">=";
        case CompareOp::Equal: return "==";
        case CompareOp::NotEqual: return "!=";
        case CompareOp::Between: return "in";
    }
    return "==";
}

}  // namespace

bool Comparison::holds(std::uint64_t actual) const {
    switch (op) {
        case CompareOp::Less: return actual < value;
        case CompareOp::LessEqual: return actual <= value;
        case CompareOp::Greater: return actual > value;
        case CompareOp::GreaterEqual: return actual >= value;
        case CompareOp::Equal: return actual == value;
        case CompareOp::NotEqual: return actual != value;
        case CompareOp::Between: return actual >= value && actual <= upper;
    }
    return false;
}

std::variant<Comparison, std::string> parse_comparison(std::string_view text, const ValueParser& parse_value) {
    text = trim(text);
    if (text.empty()) return std::string("the value is empty");

    if (const auto dots = text.find(".."); dots != std::string_view::npos) {
        const std::string_view low_text = trim(text.substr(0, dots));
        const std::string_view high_text = trim(text.substr(dots + 2));
        const auto low = parse_value(low_text);
        if (!low) return "'" + std::string(low_text) + "' is not a valid value";
        const auto high = parse_value(high_text);
        if (!high) return "'" + std::string(high_text) + "' is not a valid value";
        if (*low > *high) return std::string("the range is empty: its lower end is above its upper end");
        return Comparison{CompareOp::Between, *low, *high};
    }

    Comparison comparison;
    for (const auto& spelling : kOperators) {
        if (text.substr(0, spelling.text.size()) == spelling.text) {
            comparison.op = spelling.op;
            text = trim(text.substr(spelling.text.size()));
            break;
        }
    }
    const auto value = parse_value(text);
    if (!value) return "'" + std::string(text) + "' is not a valid value";
    comparison.value = *value;
    return comparison;
}

std::string to_string(const Comparison& comparison, const ValueFormatter& format_value) {
    if (comparison.op == CompareOp::Between) {
        return "in " + format_value(comparison.value) + ".." + format_value(comparison.upper);
    }
    return std::string(operator_text(comparison.op)) + " " + format_value(comparison.value);
}

}  // namespace smbreaper::rules
