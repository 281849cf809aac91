#include "service/closing/manual_close.h"

#include "service/closing/interrupted_closes.h"
#include "service/closing/trail_lock.h"
#include "storage/audit_errors.h"

namespace smbreaper::closing {
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::closure_entry;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;

ManualClose::ManualClose(SessionTable& table, AuditStore& audit, ManualCloseContext context)
    : table_(table), audit_(audit), context_(std::move(context)) {}

AuditEntry ManualClose::entry_for(const SessionRecord& session, Outcome outcome) const {
    AuditEntry entry = closure_entry(session, outcome, context_.listed_opens);
    entry.host = context_.host;
    entry.source = table_.name();
    entry.mode = Mode::Manual;
    entry.action = "close";
    entry.policy_sha256 = context_.policy_sha256;
    entry.details_json = context_.details_json;
    return entry;
}

void ManualClose::record_what_if(const std::vector<const SessionRecord*>& sessions) {
    std::vector<AuditEntry> entries;
    entries.reserve(sessions.size());
    for (const SessionRecord* session : sessions) entries.push_back(entry_for(*session, Outcome::WhatIf));
    audit_.append(std::move(entries));
}

ManualClose::Result ManualClose::close(std::vector<ConnectionClosure> connections,
                                       const ConnectionCloseOptions& options, std::chrono::milliseconds lock_wait,
                                       const std::function<void()>& on_lock_wait) {
    Result result;
    const TrailLock lock(audit_.path(), TrailLock::Purpose::ManualClose, lock_wait, on_lock_wait);
    result.interrupted_resolved = resolve_interrupted_closes(audit_, CloseWriter::Manual).size();

    // 1. Every closure is committed as pending before any session is touched.
    std::vector<AuditEntry> entries;
    for (const SessionClosure* closure : each_session(connections)) {
        entries.push_back(entry_for(*closure->session, Outcome::Pending));
    }
    take_stored_pending(connections, audit_.append(std::move(entries)));

    // 2. and 3. Re-read, close, and an outcome for each.
    close_pending_connections(table_, connections, options);

    // 4. Record how each ended.
    try {
        audit_.append_outcomes(outcomes_of(connections));
    } catch (const AuditError& error) {
        result.outcome_write_error = error.what();
    }
    result.connections = std::move(connections);
    return result;
}

}  // namespace smbreaper::closing
