#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "storage/exclusive_file_lock.h"

namespace smbreaper::storage {

// Makes one service the only one writing an audit trail: `smbreaper run` (with --once and
// --what-if too) and the Windows service hold it for as long as they run. Two services on one
// trail would each take the other's closures in progress for the leftovers of a crash, and
// resolve them as failed while they were being closed. The lock is on AUDIT_DB.service-lock,
// beside the trail, and goes with the process however it ends. An admin's `smbreaper close` does
// not take it: it writes beside a running service under its own lock (service/closing/trail_lock.h).
class ServiceLock {
public:
    // Takes the lock for this process, which `holder` describes ("smbreaper run on fs01 since ...").
    // Throws AuditTrailInUse naming the process that holds it, or AuditWriteError when the lock
    // file cannot be created or locked.
    ServiceLock(const std::filesystem::path& audit_db, std::string_view holder);

    static std::filesystem::path lock_file_of(const std::filesystem::path& audit_db);

private:
    std::unique_ptr<ExclusiveFileLock> lock_;
};

}  // namespace smbreaper::storage
