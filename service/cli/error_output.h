#pragma once

#include <string_view>

namespace smbreaper::cli {

// A message for the person at the terminal, on standard error: "smbreaper: MESSAGE". Messages
// carry names that clients chose and text that programs printed (smbstatus' complaints), so they
// are escaped as the logs are (common/display_text.h): no control sequence reaches the terminal.
void print_error(std::string_view message);

// The same without the "smbreaper: " prefix, for progress lines ("closed session 12 ...").
void print_note(std::string_view message);

}  // namespace smbreaper::cli
