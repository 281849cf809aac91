#include "sessions/wmi/wmi_value.h"

#include <charconv>
#include <limits>

namespace smbreaper::sessions {
namespace {

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
    std::uint64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return number;
}

[[noreturn]] void wrong(const WmiValue& value, const char* expected) {
    throw WmiValueError(std::string("expected ") + expected + ", got " + describe(value));
}

}  // namespace

bool is_null(const WmiValue& value) { return std::holds_alternative<std::monostate>(value); }

std::string describe(const WmiValue& value) {
    if (is_null(value)) return "null";
    if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "the boolean true" : "the boolean false";
    if (const auto* integer = std::get_if<std::int64_t>(&value)) return "the integer " + std::to_string(*integer);
    if (const auto* real = std::get_if<double>(&value)) return "the number " + std::to_string(*real);
    std::string text = std::get<std::string>(value);
    if (text.size() > 40) text = text.substr(0, 40) + "...";
    return "the string \"" + text + "\"";
}

std::optional<std::uint64_t> wmi_uint64(const WmiValue& value) {
    if (is_null(value)) return std::nullopt;
    if (const auto* text = std::get_if<std::string>(&value)) {
        if (auto number = parse_decimal(*text)) return number;
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        if (*integer >= 0) return static_cast<std::uint64_t>(*integer);
    }
    wrong(value, "a uint64 (decimal digits)");
}

std::optional<std::uint32_t> wmi_uint32(const WmiValue& value) {
    if (is_null(value)) return std::nullopt;
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        // A uint32 arrives in a VT_I4: values above 2^31-1 show up as negative 32-bit numbers.
        if (*integer >= std::numeric_limits<std::int32_t>::min() && *integer < 0)
            return static_cast<std::uint32_t>(static_cast<std::int32_t>(*integer));
        if (*integer >= 0 && *integer <= std::numeric_limits<std::uint32_t>::max())
            return static_cast<std::uint32_t>(*integer);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
        const auto number = parse_decimal(*text);
        if (number && *number <= std::numeric_limits<std::uint32_t>::max()) return static_cast<std::uint32_t>(*number);
    }
    wrong(value, "a uint32");
}

std::optional<std::string> wmi_string(const WmiValue& value) {
    if (is_null(value)) return std::nullopt;
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    wrong(value, "a string");
}

std::optional<bool> wmi_bool(const WmiValue& value) {
    if (is_null(value)) return std::nullopt;
    if (const auto* flag = std::get_if<bool>(&value)) return *flag;
    wrong(value, "a boolean");
}

const WmiValue& property(const WmiProperties& properties, std::string_view name) {
    static const WmiValue null_value;
    const auto found = properties.find(name);
    return found == properties.end() ? null_value : found->second;
}

}  // namespace smbreaper::sessions
