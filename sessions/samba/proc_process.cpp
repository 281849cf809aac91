#include "sessions/samba/proc_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <ctime>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace smbreaper::sessions {
namespace {

std::string proc_path(pid_t pid, std::string_view entry) {
    return "/proc/" + std::to_string(pid) + "/" + std::string(entry);
}

// The fields of /proc/PID/stat after the command name, which is in parentheses and may itself
// contain spaces and ')': the state is field 3, the start time field 22. Read with one read():
// the service reads this for every session every cycle.
std::optional<std::string> stat_fields_after_name(pid_t pid) {
    char path[40];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    char buffer[1024];
    const ssize_t length = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (length <= 0) return std::nullopt;
    const std::string_view line(buffer, static_cast<std::size_t>(length));
    const std::size_t name_end = line.rfind(')');
    if (name_end == std::string_view::npos || name_end + 2 > line.size()) return std::nullopt;
    return std::string(line.substr(name_end + 2));
}

}  // namespace

bool process_is_running(pid_t pid) {
    if (pid <= 0) return false;
    const std::optional<std::string> fields = stat_fields_after_name(pid);
    return fields && !fields->empty() && (*fields)[0] != 'Z' && (*fields)[0] != 'X';
}

std::optional<std::set<std::uint64_t>> socket_inodes_of(pid_t pid) {
    if (pid <= 0) return std::nullopt;
    const std::string directory = proc_path(pid, "fd");
    const std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(directory.c_str()), ::closedir);
    if (!listing) return std::nullopt;
    std::set<std::uint64_t> inodes;
    constexpr std::string_view prefix = "socket:[";
    while (const dirent* entry = ::readdir(listing.get())) {
        if (entry->d_name[0] == '.') continue;
        char target[64];
        const std::string link = directory + "/" + entry->d_name;
        const ssize_t length = ::readlink(link.c_str(), target, sizeof target - 1);
        // Listing the folder may be allowed where reading its links is not (a process that is not
        // dumpable, without CAP_SYS_PTRACE): then nothing can be said about its sockets.
        if (length < 0 && (errno == EACCES || errno == EPERM)) return std::nullopt;
        if (length <= 0) continue;  // closed in the meantime
        const std::string_view text(target, static_cast<std::size_t>(length));
        if (!text.starts_with(prefix) || !text.ends_with(']')) continue;
        inodes.insert(std::strtoull(std::string(text.substr(prefix.size())).c_str(), nullptr, 10));
    }
    return inodes;
}

std::optional<std::uint64_t> process_start_ticks(pid_t pid) {
    if (pid <= 0) return std::nullopt;
    const std::optional<std::string> fields = stat_fields_after_name(pid);
    if (!fields) return std::nullopt;
    // Field 22, the 20th after the name: skip 19 separators.
    std::size_t at = 0;
    for (int skipped = 0; skipped < 19; ++skipped) {
        at = fields->find(' ', at);
        if (at == std::string::npos) return std::nullopt;
        ++at;
    }
    const unsigned long long ticks = std::strtoull(fields->c_str() + at, nullptr, 10);
    if (ticks == 0) return std::nullopt;
    return ticks;
}

std::chrono::seconds age_since(std::uint64_t start_ticks) {
    const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
    timespec since_boot{};
    if (ticks_per_second <= 0 || ::clock_gettime(CLOCK_BOOTTIME, &since_boot) != 0) return std::chrono::seconds(0);
    const auto started = std::chrono::milliseconds(start_ticks * 1000 / static_cast<std::uint64_t>(ticks_per_second));
    const auto now = std::chrono::seconds(since_boot.tv_sec) + std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                   std::chrono::nanoseconds(since_boot.tv_nsec));
    if (now < started) return std::chrono::seconds(0);
    return std::chrono::duration_cast<std::chrono::seconds>(now - started);
}

std::optional<std::chrono::seconds> process_age(pid_t pid) {
    const std::optional<std::uint64_t> start = process_start_ticks(pid);
    if (!start) return std::nullopt;
    return age_since(*start);
}

}  // namespace smbreaper::sessions
