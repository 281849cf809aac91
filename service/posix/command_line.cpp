#include "service/cli/command_line.h"

namespace smbreaper::cli {

std::vector<std::string> utf8_arguments(int argc, char** argv) { return {argv, argv + argc}; }

}  // namespace smbreaper::cli
