#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

// Runs the smbreaper binary with `arguments` (a shell-quoted string) and returns its exit code
// and standard output. Standard error is folded into the output when `with_stderr`.
struct CommandResult {
    int exit_code = -1;
    std::string output;
};

inline CommandResult run_smbreaper(const std::string& arguments, bool with_stderr = false) {
    const std::string command = std::string("'") + SMBREAPER_BINARY + "' " + arguments + (with_stderr ? " 2>&1" : " 2>/dev/null");
    CommandResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string source_path(const std::string& relative) { return std::string(SMBREAPER_SOURCE_DIR) + "/" + relative; }
