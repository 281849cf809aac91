#include "service/closing/manual_file_close.h"

#include "service/closing/interrupted_closes.h"
#include "service/closing/trail_lock.h"
#include "storage/audit_errors.h"

namespace smbreaper::closing {
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::file_closure_entry;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;

ManualFileClose::ManualFileClose(SessionTable& table, AuditStore& audit, ManualCloseContext context)
    : table_(table), audit_(audit), context_(std::move(context)) {}

AuditEntry ManualFileClose::entry_for(const OpenFileRecord& open, Outcome outcome) const {
    AuditEntry entry = file_closure_entry(open, outcome);
    entry.host = context_.host;
    entry.source = table_.name();
    entry.mode = Mode::Manual;
    entry.policy_sha256 = context_.policy_sha256;
    entry.details_json = context_.details_json;
    return entry;
}

void ManualFileClose::record_what_if(const std::vector<const OpenFileRecord*>& opens) {
    std::vector<AuditEntry> entries;
    entries.reserve(opens.size());
    for (const OpenFileRecord* open : opens) entries.push_back(entry_for(*open, Outcome::WhatIf));
    audit_.append(std::move(entries));
}

ManualFileClose::Result ManualFileClose::close(const std::vector<const OpenFileRecord*>& opens,
                                               const FileCloseOptions& options, std::chrono::milliseconds lock_wait,
                                               const std::function<void()>& on_lock_wait) {
    Result result;
    const TrailLock lock(audit_.path(), TrailLock::Purpose::ManualClose, lock_wait, on_lock_wait);
    result.interrupted_resolved = resolve_interrupted_closes(audit_, CloseWriter::Manual).size();

    // 1. Every closure is committed as pending before any open is touched.
    std::vector<AuditEntry> entries;
    entries.reserve(opens.size());
    for (const OpenFileRecord* open : opens) entries.push_back(entry_for(*open, Outcome::Pending));
    entries = audit_.append(std::move(entries));
    for (std::size_t i = 0; i < opens.size(); ++i) {
        result.closures.push_back({*opens[i], std::move(entries[i]), std::nullopt, {}});
    }

    // 2. and 3. Read the open files again just before closing, and close those still there.
    close_pending_files(
        table_, result.closures, [this] { return table_.list_open_files(); }, options);

    // 4. Record how each ended.
    try {
        audit_.append_outcomes(outcomes_of(result.closures));
    } catch (const AuditError& error) {
        result.outcome_write_error = error.what();
    }
    return result;
}

}  // namespace smbreaper::closing
