#include "common/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

// The three file operations the standard library cannot do portably.
#ifdef _WIN32
#include <io.h>
#include <stdio.h>
namespace {
std::FILE* open_for_writing(const std::filesystem::path& path) { return _wfopen(path.c_str(), L"wb"); }
bool flush_to_disk(std::FILE* file) { return _commit(_fileno(file)) == 0; }
// MoveFileEx, behind std::filesystem::rename, needs no separate flush of the folder.
void flush_folder_to_disk(const std::filesystem::path&) {}
}  // namespace
#else
#include <fcntl.h>
#include <unistd.h>
namespace {
std::FILE* open_for_writing(const std::filesystem::path& path) { return std::fopen(path.c_str(), "wb"); }
bool flush_to_disk(std::FILE* file) { return fsync(fileno(file)) == 0; }
// A rename is durable only once the folder that records it is.
void flush_folder_to_disk(const std::filesystem::path& folder) {
    const int descriptor = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor < 0) return;
    fsync(descriptor);
    close(descriptor);
}
}  // namespace
#endif

namespace smbreaper::common {
namespace {

namespace fs = std::filesystem;

// A name beside `target` that no other write of this process uses; dot-prefixed so it stays out
// of the way if a crash leaves it behind.
fs::path temporary_path_for(const fs::path& target) {
    static std::atomic<unsigned> sequence{0};
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    const std::string suffix = ".tmp-" + std::to_string(ticks) + "-" + std::to_string(sequence++);
    return target.parent_path() / ("." + target.filename().string() + suffix);
}

[[noreturn]] void fail(const fs::path& target, const std::string& reason) {
    throw std::runtime_error("cannot rewrite " + target.string() + ": " + reason);
}

}  // namespace

void replace_file_atomically(const fs::path& target, std::string_view contents) {
    replace_file_atomically(target, contents, ReplaceOptions{});
}

void replace_file_atomically(const fs::path& target, std::string_view contents, const ReplaceOptions& options) {
    const fs::path temporary = temporary_path_for(target);
    std::FILE* file = open_for_writing(temporary);
    if (file == nullptr) fail(target, "cannot create " + temporary.string() + ": " + std::strerror(errno));

    const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size() &&
                         std::fflush(file) == 0 && (!options.durable || flush_to_disk(file));
    const int write_error = errno;
    const bool closed = std::fclose(file) == 0;
    std::error_code ignored;
    if (!written || !closed) {
        fs::remove(temporary, ignored);
        fail(target, "cannot write " + temporary.string() + ": " + std::strerror(written ? errno : write_error));
    }

    std::error_code error;
    const fs::file_status old_status = fs::status(target, error);
    if (options.permissions) {
        error.clear();
        fs::permissions(temporary, *options.permissions, error);
    } else if (fs::exists(old_status)) {
        fs::permissions(temporary, old_status.permissions(), error);
    } else {
        error.clear();  // a new file: no permissions to keep
    }
    if (!error) fs::rename(temporary, target, error);
    if (error) {
        fs::remove(temporary, ignored);
        fail(target, error.message());
    }
    if (options.durable) flush_folder_to_disk(target.parent_path().empty() ? fs::path(".") : target.parent_path());
}

}  // namespace smbreaper::common
