#include <unistd.h>

#include "service/cli/terminal.h"

namespace smbreaper {

bool standard_input_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }

}  // namespace smbreaper
