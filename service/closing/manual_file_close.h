#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "service/closing/file_closer.h"
#include "service/closing/manual_close.h"
#include "sessions/session_table.h"
#include "storage/audit_store.h"

namespace smbreaper::closing {

// A person's close of chosen open files (`smbreaper close-file`), under the audit write protocol
// of `smbreaper close` (docs/AUDIT.md, section 2), mode `manual`: each open's pending entry is
// committed before any is touched, the open files are read again just before closing (an open
// no longer there, or now another session's or file's, is vanished), and every pending entry gets
// its outcome. Shares the trail's TrailLock (ManualClose) with `close`.
class ManualFileClose {
public:
    ManualFileClose(sessions::SessionTable& table, storage::AuditStore& audit, ManualCloseContext context);

    // A `what-if` entry for each open. Throws AuditError, and then records none.
    void record_what_if(const std::vector<const sessions::OpenFileRecord*>& opens);

    struct Result {
        std::size_t interrupted_resolved = 0;
        std::vector<FileClosure> closures;  // in the order given
        std::string outcome_write_error;    // set when the outcome entries could not be written
    };

    // Throws, having closed nothing, when the lock cannot be had (std::runtime_error) or the
    // pending entries cannot be committed (AuditError).
    Result close(const std::vector<const sessions::OpenFileRecord*>& opens, const FileCloseOptions& options,
                 std::chrono::milliseconds lock_wait, const std::function<void()>& on_lock_wait = {});

private:
    storage::AuditEntry entry_for(const sessions::OpenFileRecord& open, storage::Outcome outcome) const;

    sessions::SessionTable& table_;
    storage::AuditStore& audit_;
    ManualCloseContext context_;
};

}  // namespace smbreaper::closing
