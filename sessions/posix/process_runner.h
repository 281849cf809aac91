#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace smbreaper::sessions {

// One program to run: no shell, so arguments are passed exactly as given.
struct ProcessRequest {
    // A path, or a bare name looked up in the clean PATH below (never the caller's PATH).
    std::string program;
    std::vector<std::string> arguments;  // argv[1..]
    std::chrono::milliseconds timeout{10'000};
    // Output beyond this many bytes per stream is read and dropped (so the program never blocks
    // on a full pipe); the result says it was truncated.
    std::size_t max_output_bytes = std::size_t{64} * 1024 * 1024;
};

struct ProcessResult {
    enum class Ending {
        Exited,     // exit_code holds the status
        Signalled,  // killed by signal `signal` (not by us)
        TimedOut,   // ran past the timeout; its whole process group was killed
        Failed,     // could not be started, or its status was lost: `error` says why
    };

    Ending ending = Ending::Failed;
    int exit_code = -1;
    int signal = 0;
    std::string error;
    std::string standard_output;
    std::string standard_error;
    bool output_truncated = false;
    std::chrono::milliseconds duration{0};

    // Exited with status 0 and nothing was dropped.
    bool succeeded() const;
    // "exited with status 1: <first line of stderr>", "timed out after 10000 ms", ... for messages.
    std::string describe() const;
};

// The environment every program runs with.
inline constexpr const char* clean_path = "/usr/sbin:/usr/bin:/sbin:/bin";

// The file run_process() would run for `program`: itself when it contains a '/', else the first
// executable file of that name in clean_path. Empty when there is none.
std::string find_program(const std::string& program);

// Runs the program in its own process group with stdin from /dev/null, the environment
// PATH=clean_path and LC_ALL=C only, and no file descriptors of ours beyond its stdout and stderr.
// Reads both outputs as they come (poll), so a chatty stderr cannot deadlock it. On timeout the
// whole process group gets SIGKILL, so helpers it started die too. Always reaps the child: no
// zombie is left, and no thread is used. Safe when signals interrupt it (EINTR).
ProcessResult run_process(const ProcessRequest& request);

}  // namespace smbreaper::sessions
