#include "common/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace smbreaper::common {
namespace {

std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

std::string named(std::string_view what, const std::filesystem::path& path) {
    return std::string(what) + " " + path.string();
}

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

std::string read_regular_file(const std::filesystem::path& path, std::string_view what, std::uint64_t max_bytes,
                              const OpenedFileCheck& vet) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    const Descriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (file.get() < 0)
        throw FileReadError(FileReadError::Reason::Unreadable,
                            "cannot read " + named(what, path) + ": " + std::strerror(errno));
    struct stat info {};
    if (::fstat(file.get(), &info) != 0)
        throw FileReadError(FileReadError::Reason::Unreadable,
                            "cannot read " + named(what, path) + ": " + std::strerror(errno));
    if (!S_ISREG(info.st_mode)) {
        throw FileReadError(FileReadError::Reason::NotRegular,
                            named(what, path) + " is " + kind_of(info.st_mode) + ", not a regular file");
    }
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (size > max_bytes) {
        throw FileReadError(FileReadError::Reason::TooLarge, named(what, path) + " is larger than the " +
                                                                 std::to_string(max_bytes >> 20) +
                                                                 " MiB smbreaper reads; is it the right file?");
    }
    if (vet) {
        if (auto refusal = vet(OpenedFile{size, info.st_uid, info.st_mode & 07777}))
            throw FileReadError(FileReadError::Reason::Refused, *refusal);
    }
    std::string contents;
    contents.reserve(static_cast<std::size_t>(size));
    char buffer[1 << 16];
    for (;;) {
        const ssize_t count = ::read(file.get(), buffer, sizeof buffer);
        if (count == 0) break;
        if (count < 0) {
            if (errno == EINTR) continue;
            throw FileReadError(FileReadError::Reason::Unreadable,
                                "cannot read " + named(what, path) + ": " + std::strerror(errno));
        }
        contents.append(buffer, static_cast<std::size_t>(count));
        // The file may grow while it is read.
        if (contents.size() > max_bytes) {
            throw FileReadError(FileReadError::Reason::TooLarge, named(what, path) + " grew past the " +
                                                                     std::to_string(max_bytes >> 20) +
                                                                     " MiB smbreaper reads while it was read");
        }
    }
    return contents;
}

std::optional<std::string> not_a_regular_file(const std::filesystem::path& path, std::string_view what) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;  // missing: the opener reports it, or creates it
    if (S_ISREG(info.st_mode)) return std::nullopt;
    return named(what, path) + " is " + kind_of(info.st_mode) + ", not a regular file";
}

}  // namespace smbreaper::common
