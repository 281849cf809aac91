#pragma once

#include <string>
#include <vector>

namespace smbreaper::cli {

// The process' arguments in UTF-8, the program's name first. On POSIX they are `argv` as given.
// On Windows `argv` is in the ANSI code page, where `политика.yaml` becomes `????????.yaml`:
// the arguments are read in UTF-16 (GetCommandLineW) and converted.
std::vector<std::string> utf8_arguments(int argc, char** argv);

}  // namespace smbreaper::cli
