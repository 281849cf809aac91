// Comparisons over durations and dialects ("'>= 2h'", "'1h..8h'", "'< 3.0'").
// Invariant: a parsed comparison, printed in the policy's notation, parses to the same test.

#include "fuzz_check.h"
#include "rules/comparison.h"
#include "rules/duration.h"
#include "sessions/dialect.h"

using smbreaper::rules::CompareOp;
using smbreaper::rules::Comparison;
using smbreaper::rules::format_duration;
using smbreaper::rules::parse_comparison;
using smbreaper::rules::parse_duration;
using smbreaper::rules::to_string;
using smbreaper::rules::ValueFormatter;
using smbreaper::rules::ValueParser;
using smbreaper::sessions::Dialect;
using smbreaper::sessions::parse_dialect;
using smbreaper::sessions::windows_spelling;

using namespace smbreaper;

namespace {

void check_round_trip(std::string_view text, const ValueParser& parse, const ValueFormatter& format) {
    const auto parsed = parse_comparison(text, parse);
    const auto* comparison = std::get_if<Comparison>(&parsed);
    if (comparison == nullptr) return;
    const std::string printed = comparison->op == CompareOp::Between
                                    ? format(comparison->value) + ".." + format(comparison->upper)
                                    : to_string(*comparison, format);
    const auto again = parse_comparison(printed, parse);
    const auto* reparsed = std::get_if<Comparison>(&again);
    fuzz::require(reparsed != nullptr, "a printed comparison parses");
    fuzz::require(
        reparsed->op == comparison->op && reparsed->value == comparison->value && reparsed->upper == comparison->upper,
        "a printed comparison parses to the same test");
    for (const std::uint64_t actual : {comparison->value, comparison->upper, comparison->value + 1, std::uint64_t{0}}) {
        fuzz::require(comparison->holds(actual) == reparsed->holds(actual), "the same test holds for the same values");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    check_round_trip(text, parse_duration, format_duration);
    check_round_trip(
        text,
        [](std::string_view value) -> std::optional<std::uint64_t> {
            const auto dialect = parse_dialect(value);
            if (!dialect) return std::nullopt;
            return static_cast<std::uint64_t>(*dialect);
        },
        [](std::uint64_t value) { return std::string(windows_spelling(static_cast<Dialect>(value))); });
    return 0;
}
