#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace smbreaper::storage {

// An operating-system lock on a file, held by one process at a time and released when the process
// ends, however it ends (flock on POSIX, LockFileEx on Windows). The file also says who holds
// it: the holder writes a line there that others can read while it holds the lock.
class ExclusiveFileLock {
public:
    // Opens `file` (creating it) and locks it without waiting. Returns null when another process
    // holds it; throws std::system_error when the file cannot be opened or locked for another reason.
    static std::unique_ptr<ExclusiveFileLock> try_lock(const std::filesystem::path& file);

    // Replaces what the file says about its holder with "pid N " (this process' id) and `text`.
    void describe_holder(std::string_view text);

    // What the file says about its holder, or "" when it cannot be read.
    static std::string holder_of(const std::filesystem::path& file);

    ~ExclusiveFileLock();
    ExclusiveFileLock(const ExclusiveFileLock&) = delete;
    ExclusiveFileLock& operator=(const ExclusiveFileLock&) = delete;

private:
    struct Handle;
    explicit ExclusiveFileLock(std::unique_ptr<Handle> handle);
    std::unique_ptr<Handle> handle_;
};

}  // namespace smbreaper::storage
