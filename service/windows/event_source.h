#pragma once

#include <cstdint>
#include <filesystem>

namespace smbreaper::daemon {

// The Event Log source the service writes to (Application log).
inline constexpr const char* kEventSourceName = "smbreaper";
// The one message of event_messages.mc: "%1", so Event Viewer shows each log line as it is.
inline constexpr std::uint16_t kEventIdMessage = 1;

// Registers kEventSourceName in the Application log with `message_file` (this exe, which carries
// the message table) so Event Viewer can render the events. Throws Win32Error.
void register_event_source(const std::filesystem::path& message_file);
// Removes the registration; nothing happens when there is none.
void unregister_event_source();

}  // namespace smbreaper::daemon
