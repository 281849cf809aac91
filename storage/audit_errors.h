#pragma once

#include <stdexcept>
#include <string>

namespace smbreaper::storage {

// Every failure of the audit store derives from AuditError, so a caller that only needs to know
// "the audit trail is not usable" catches this one type.
class AuditError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The trail could not take an entry: the file or its folder is read-only, the disk is full, the
// database stayed locked past the busy timeout, it is corrupt, or its head record is missing.
// Nothing of the failed call was committed. A caller about to close a session must not close it.
class AuditWriteError : public AuditError {
public:
    AuditWriteError(const std::string& message, int sqlite_code = 0) : AuditError(message), sqlite_code_(sqlite_code) {}

    // SQLite's (extended) result code when SQLite reported the failure, otherwise 0.
    int sqlite_code() const noexcept { return sqlite_code_; }

private:
    int sqlite_code_;
};

// Another service already writes this trail (storage/service_lock.h). At most one may: two would
// take each other's closures in progress for the leftovers of a crash.
class AuditTrailInUse : public AuditError {
public:
    using AuditError::AuditError;
};

// An entry broke a rule of the trail (a closure without an outcome, an outcome resolving an entry
// that is not pending...): nothing of the call was written.
class AuditEntryRejected : public AuditError {
public:
    using AuditError::AuditError;
};

// The trail could not be read: the file is missing, unreadable, or not an SQLite database.
class AuditReadError : public AuditError {
public:
    using AuditError::AuditError;
};

// The file is an SQLite database this binary must not use: it was written by a newer smbreaper,
// it belongs to another program, or (when opened read-only) its schema still needs an upgrade.
class AuditSchemaError : public AuditError {
public:
    using AuditError::AuditError;
};

}  // namespace smbreaper::storage
