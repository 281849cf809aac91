#pragma once

#include <filesystem>
#include <string>

namespace smbreaper::daemon {

struct LoggingOptions {
    bool console = true;         // standard error, when running in the foreground
    bool system_log = false;     // syslog/journald on Linux, the Event Log on Windows
    std::filesystem::path file;  // a rotating file (10 MiB, five kept); empty: none
    std::string level = "info";
};

// Replaces the default logger with one writing to the chosen places. Safe to call again (on a
// policy reload); a file that cannot be opened is reported on the other sinks, not fatal.
void configure_logging(const LoggingOptions& options);

}  // namespace smbreaper::daemon
