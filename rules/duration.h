#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smbreaper::rules {

// Parses a duration as policies write them: "90s", "15m", "2h", "1d", "1h30m", "1w", or a bare
// number of seconds ("300"). Units may be combined largest first. Returns seconds, or nothing
// when the text is not a duration or overflows.
std::optional<std::uint64_t> parse_duration(std::string_view text);

// The shortest exact spelling: 7200 -> "2h", 5400 -> "1h30m", 0 -> "0s".
std::string format_duration(std::uint64_t seconds);

}  // namespace smbreaper::rules
