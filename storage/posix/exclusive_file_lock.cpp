#include "storage/exclusive_file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <system_error>

namespace smbreaper::storage {

// flock, not fcntl: an fcntl lock is the process', and closing any descriptor of the file (SQLite
// or a reader in this process) would release it; a flock belongs to this open file description.
struct ExclusiveFileLock::Handle {
    int fd = -1;
    ~Handle() {
        if (fd >= 0) ::close(fd);  // releases the lock
    }
};

ExclusiveFileLock::ExclusiveFileLock(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
ExclusiveFileLock::~ExclusiveFileLock() = default;

std::unique_ptr<ExclusiveFileLock> ExclusiveFileLock::try_lock(const std::filesystem::path& file) {
    auto handle = std::make_unique<Handle>();
    handle->fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (handle->fd < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + file.string());
    while (::flock(handle->fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) return nullptr;
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "cannot lock " + file.string());
    }
    return std::unique_ptr<ExclusiveFileLock>(new ExclusiveFileLock(std::move(handle)));
}

void ExclusiveFileLock::describe_holder(std::string_view description) {
    // Best effort: the lock, not the text, is what keeps a second holder out.
    const std::string text = "pid " + std::to_string(::getpid()) + " " + std::string(description) + "\n";
    if (::ftruncate(handle_->fd, 0) != 0) return;
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n =
            ::pwrite(handle_->fd, text.data() + written, text.size() - written, static_cast<off_t>(written));
        if (n <= 0 && errno != EINTR) return;
        if (n > 0) written += static_cast<std::size_t>(n);
    }
}

std::string ExclusiveFileLock::holder_of(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string line;
    std::getline(in, line);
    return line;
}

}  // namespace smbreaper::storage
