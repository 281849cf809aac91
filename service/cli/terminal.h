#pragma once

namespace smbreaper::cli {

// True when standard input is a terminal (a console on Windows), so that a person can answer a
// prompt. Implemented in service/posix/ and service/windows/.
bool standard_input_is_terminal();

}  // namespace smbreaper::cli
