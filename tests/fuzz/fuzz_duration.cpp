// Durations as policies write them ("90s", "1h30m", "300").
// Invariants: what parses prints back as a duration that parses to the same number of seconds,
// and every number of seconds prints as a duration that parses back to it.

#include <cstring>

#include "fuzz_check.h"
#include "rules/duration.h"

using smbreaper::rules::format_duration;
using smbreaper::rules::parse_duration;

using namespace smbreaper;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (const auto seconds = parse_duration(fuzz::as_text(data, size))) {
        fuzz::require(parse_duration(format_duration(*seconds)) == seconds, "a parsed duration prints back");
    }
    if (size >= sizeof(std::uint64_t)) {
        std::uint64_t seconds = 0;
        std::memcpy(&seconds, data, sizeof seconds);
        fuzz::require(parse_duration(format_duration(seconds)) == seconds, "every duration prints and parses back");
    }
    return 0;
}
