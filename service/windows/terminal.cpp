#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "service/cli/terminal.h"

namespace smbreaper::cli {

// GetConsoleMode succeeds for a console only (_isatty also says yes for the NUL device).
bool standard_input_is_terminal() {
    DWORD mode = 0;
    return GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode) != 0;
}

}  // namespace smbreaper::cli
