#include "service/manual_close.h"

#include "service/interrupted_closes.h"
#include "service/manual_close_lock.h"
#include "storage/audit_errors.h"

namespace smbreaper {

ManualClose::ManualClose(SessionTable& table, AuditStore& audit, ManualCloseContext context)
    : table_(table), audit_(audit), context_(std::move(context)) {}

AuditEntry ManualClose::entry_for(const SessionRecord& session, Outcome outcome) const {
    AuditEntry entry = closure_entry(session, outcome);
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
    for (const SessionRecord* session : sessions) entries.push_back(entry_for(*session, Outcome::WhatIf));
    audit_.append(std::move(entries));
}

ManualClose::Result ManualClose::close(const std::vector<std::vector<const SessionRecord*>>& connections,
                                       const ConnectionCloseOptions& options, std::chrono::milliseconds lock_wait,
                                       const std::function<void()>& on_lock_wait) {
    Result result;
    const ManualCloseLock lock(audit_.path(), lock_wait, on_lock_wait);
    result.interrupted_resolved = resolve_interrupted_closes(audit_, CloseWriter::Manual).size();

    // 1. Every closure is committed as pending before any session is touched.
    std::vector<AuditEntry> entries;
    for (const auto& connection : connections) {
        for (const SessionRecord* session : connection) entries.push_back(entry_for(*session, Outcome::Pending));
    }
    const std::vector<AuditEntry> stored = audit_.append(std::move(entries));

    // 2. and 3. Re-read, close, and an outcome for each.
    std::vector<PendingConnection> pending;
    std::size_t index = 0;
    for (const auto& connection : connections) {
        PendingConnection& group = pending.emplace_back();
        group.sessions = connection;
        for (std::size_t i = 0; i < connection.size(); ++i) group.pending.push_back(stored[index++]);
    }
    result.outcomes = close_pending_connections(table_, pending, options);

    // 4. Record how each ended.
    try {
        audit_.append_outcomes(result.outcomes);
    } catch (const AuditError& error) {
        result.outcome_write_error = error.what();
    }
    return result;
}

}  // namespace smbreaper
