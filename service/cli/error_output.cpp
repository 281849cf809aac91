#include "service/cli/error_output.h"

#include <cstdio>
#include <string>

#include "common/display_text.h"

namespace smbreaper::cli {
using smbreaper::common::escape_for_display;

void print_error(std::string_view message) {
    std::fprintf(stderr, "smbreaper: %s\n", escape_for_display(message).c_str());
}

void print_note(std::string_view message) { std::fprintf(stderr, "%s\n", escape_for_display(message).c_str()); }

}  // namespace smbreaper::cli
