#include "sessions/samba/pid_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>

#include "sessions/samba/proc_process.h"

namespace smbreaper::sessions {
namespace {

std::optional<pid_t> pid_written_in(int fd) {
    char text[32] = {};
    const ssize_t length = ::pread(fd, text, sizeof text - 1, 0);
    if (length <= 0) return std::nullopt;
    const char* end = text + length;
    while (end > text && (end[-1] == '\n' || end[-1] == ' ')) --end;
    pid_t pid = 0;
    const auto [parsed_end, error] = std::from_chars(text, end, pid);
    if (error != std::errc{} || parsed_end != end || pid <= 0) return std::nullopt;
    return pid;
}

// The pid of the process holding a lock on the file that a read lock would conflict with.
std::optional<pid_t> lock_holder(int fd) {
    struct flock probe {};
    probe.l_type = F_RDLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 0;
    probe.l_len = 0;  // the whole file
    if (::fcntl(fd, F_GETLK, &probe) != 0 || probe.l_type == F_UNLCK) return std::nullopt;
    return probe.l_pid;
}

}  // namespace

std::optional<pid_t> running_pid_file_owner(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    const std::optional<pid_t> written = pid_written_in(fd);
    const std::optional<pid_t> holder = lock_holder(fd);
    ::close(fd);
    if (!written || holder != written || !process_is_running(*written)) return std::nullopt;
    return written;
}

}  // namespace smbreaper::sessions
