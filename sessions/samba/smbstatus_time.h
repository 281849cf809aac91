#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace smbreaper::sessions {

// Parses the timestamps smbstatus prints, with their UTC offset applied:
//   "2026-11-23T23:56:06.193829+0000"   (the document's "timestamp")
//   "2026-11-23T23:55:58.738539+00:00"  (a tcon's "connected_at")
// The fraction (1 to 9 digits) is optional; "Z" is accepted for UTC. Anything else, including
// impossible dates and times, gives nullopt. Precision is kept to the microsecond.
std::optional<std::chrono::system_clock::time_point> parse_smbstatus_time(std::string_view text);

}  // namespace smbreaper::sessions
