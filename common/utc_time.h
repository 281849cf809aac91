#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace smbreaper::common {

// The form of every time the program stores and writes (audit entries, open-file times): ISO
// 8601, UTC, milliseconds, e.g. "2024-05-01T12:34:56.789Z". Fixed width, so text order is time order (and SQL can compare it).
std::string format_utc_timestamp(std::chrono::system_clock::time_point time);

// Reads the ISO 8601 forms people type: "2024-05-01", "2024-05-01T12:34", "2024-05-01 12:34:56",
// "2024-05-01T12:34:56.5Z", "2024-05-01T14:34:56+02:00". A time without a zone is UTC.
// Returns nothing for anything else (including impossible dates such as 2023-02-29).
std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(std::string_view text);

// True when `text` is exactly in the stored form (what format_utc_timestamp writes).
bool is_canonical_timestamp(std::string_view text);

}  // namespace smbreaper::common
