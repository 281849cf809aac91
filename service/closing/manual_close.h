#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "service/closing/connection_closer.h"
#include "sessions/session_table.h"
#include "storage/audit_store.h"

namespace smbreaper::closing {

// What `smbreaper close` writes into every entry it appends.
struct ManualCloseContext {
    std::string host;           // the file server's name
    std::string policy_sha256;  // the policy the source was configured from; empty with --source
    std::string details_json;   // who ran it and with which filters (a JSON object)
    // The open files listed with the table, when the source lists them: each closure records
    // those its session holds (storage::closure_entry).
    std::optional<std::vector<sessions::OpenFileRecord>> listed_opens;
};

// A person's close of chosen sessions (`smbreaper close`), under the audit write protocol the
// service follows (docs/AUDIT.md, section 2) with mode `manual`: no closure without its committed
// pending entry, the table re-read just before closing, an outcome entry for every pending one.
class ManualClose {
public:
    ManualClose(sessions::SessionTable& table, storage::AuditStore& audit, ManualCloseContext context);

    // Records a `what-if` entry for each session (`close --what-if`). Throws AuditError, and then
    // records none.
    void record_what_if(const std::vector<const sessions::SessionRecord*>& sessions);

    struct Result {
        std::size_t interrupted_resolved = 0;        // manual closures a dead process had left pending
        std::vector<ConnectionClosure> connections;  // as given, each session with its outcome
        std::string outcome_write_error;             // set when the outcome entries could not be written
    };

    // Closes the connections, each with every session on it (close_planner.h,
    // group_by_connection). Holds the trail's TrailLock (ManualClose) for the whole
    // protocol (waiting up to `lock_wait` for another `close`), first resolving the manual
    // closures a dead `close` left pending. Throws, having closed nothing, when the lock cannot be
    // had (std::runtime_error) or the pending entries cannot be committed (AuditError).
    // `options.recheck` and `options.stop_requested` are passed on to close_pending_connections.
    Result close(std::vector<ConnectionClosure> connections, const ConnectionCloseOptions& options,
                 std::chrono::milliseconds lock_wait, const std::function<void()>& on_lock_wait = {});

private:
    storage::AuditEntry entry_for(const sessions::SessionRecord& session, storage::Outcome outcome) const;

    sessions::SessionTable& table_;
    storage::AuditStore& audit_;
    ManualCloseContext context_;
};

}  // namespace smbreaper::closing
