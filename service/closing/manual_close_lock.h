#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

namespace boost::interprocess {
class file_lock;
}

namespace smbreaper::closing {

// Lets one `smbreaper close` at a time run the write protocol on an audit trail, from resolving
// the manual closures a dead process left pending to writing its own outcome entries. Without it,
// a second `close` would take the first one's pending entries for the leftovers of a dead process.
// It is a lock on a file beside the trail (AUDIT_DB.close-lock, created when missing), which the
// operating system releases when the process ends, however it ends. Only `close` takes it.
class ManualCloseLock {
public:
    // Takes the lock, waiting up to `limit` for another `close` to finish; `on_wait` is called once
    // if it has to wait. Throws std::runtime_error when the lock file cannot be created or the
    // limit passes.
    ManualCloseLock(const std::filesystem::path& audit_db, std::chrono::milliseconds limit,
                    const std::function<void()>& on_wait = {});
    ~ManualCloseLock();
    ManualCloseLock(const ManualCloseLock&) = delete;
    ManualCloseLock& operator=(const ManualCloseLock&) = delete;

    static std::filesystem::path lock_file_of(const std::filesystem::path& audit_db);

private:
    std::unique_ptr<boost::interprocess::file_lock> lock_;
};

}  // namespace smbreaper::closing
