#include "storage/service_lock.h"

#include <system_error>

#include "storage/audit_errors.h"

namespace smbreaper::storage {

std::filesystem::path ServiceLock::lock_file_of(const std::filesystem::path& audit_db) {
    std::filesystem::path file = audit_db;
    file += ".service-lock";
    return file;
}

ServiceLock::ServiceLock(const std::filesystem::path& audit_db, std::string_view holder) {
    const std::filesystem::path file = lock_file_of(audit_db);
    try {
        lock_ = ExclusiveFileLock::try_lock(file);
    } catch (const std::system_error& error) {
        throw AuditWriteError(std::string("cannot take the service lock of the audit trail: ") + error.what());
    }
    if (!lock_) {
        const std::string other = ExclusiveFileLock::holder_of(file);
        throw AuditTrailInUse("the audit trail " + audit_db.string() + " is in use by another smbreaper service (" +
                              (other.empty() ? std::string("its process is named in ") + file.string() : other) +
                              "); one service per trail: stop that one first, or give this one another audit_db");
    }
    lock_->describe_holder(holder);
}

}  // namespace smbreaper::storage
