#include <unistd.h>

#include "service/cli/terminal.h"

namespace smbreaper::cli {

bool standard_input_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }

}  // namespace smbreaper::cli
