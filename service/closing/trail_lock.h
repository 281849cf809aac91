#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

namespace boost::interprocess {
class file_lock;
}

namespace smbreaper::closing {

// A lock on a file beside an audit trail, which the operating system releases when the process
// ends, however it ends; created when missing. One per purpose:
// - ManualClose (AUDIT_DB.close-lock): one `smbreaper close` or `close-file` at a time runs the
//   write protocol, from resolving the manual closures a dead process left pending to writing its
//   own outcome entries; without it, a second one would take the first one's pending entries for
//   the leftovers of a dead process.
// - Blocks (AUDIT_DB.blocks-lock): one process at a time changes the blocks in force and puts
//   them in force on the server, so that the server's mechanism always ends up matching the trail.
class TrailLock {
public:
    enum class Purpose { ManualClose, Blocks };

    // Takes the lock, waiting up to `limit` for its holder to finish; `on_wait` is called once if
    // it has to wait. Throws std::runtime_error when the lock file cannot be created or the limit
    // passes.
    TrailLock(const std::filesystem::path& audit_db, Purpose purpose, std::chrono::milliseconds limit,
              const std::function<void()>& on_wait = {});
    ~TrailLock();
    TrailLock(const TrailLock&) = delete;
    TrailLock& operator=(const TrailLock&) = delete;

    static std::filesystem::path lock_file_of(const std::filesystem::path& audit_db, Purpose purpose);

private:
    std::unique_ptr<boost::interprocess::file_lock> lock_;
};

}  // namespace smbreaper::closing
