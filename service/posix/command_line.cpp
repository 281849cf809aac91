#include "service/cli/command_line.h"

namespace smbreaper {

std::vector<std::string> utf8_arguments(int argc, char** argv) { return {argv, argv + argc}; }

}  // namespace smbreaper
