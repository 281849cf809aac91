#include "service/closing/manual_file_close.h"

#include <map>

#include "common/parallel_for.h"
#include "service/closing/interrupted_closes.h"
#include "service/closing/manual_close_lock.h"
#include "storage/audit_errors.h"

namespace smbreaper::closing {
using smbreaper::common::parallel_for;
using smbreaper::sessions::CloseOutcome;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditError;
using smbreaper::storage::AuditStore;
using smbreaper::storage::file_closure_entry;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;
using smbreaper::storage::outcome_entry;

namespace {

Outcome outcome_of(CloseOutcome outcome) {
    switch (outcome) {
        case CloseOutcome::Closed: return Outcome::Closed;
        case CloseOutcome::Vanished: return Outcome::Vanished;
        case CloseOutcome::Failed: return Outcome::Failed;
    }
    return Outcome::Failed;
}

// Still the same open: its FileId not reused for another session's open or another file.
bool same_open(const OpenFileRecord& selected, const OpenFileRecord& now) {
    return selected.session_id == now.session_id && selected.path == now.path;
}

}  // namespace

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
    const ManualCloseLock lock(audit_.path(), lock_wait, on_lock_wait);
    result.interrupted_resolved = resolve_interrupted_closes(audit_, CloseWriter::Manual).size();

    // 1. Every closure is committed as pending before any open is touched.
    std::vector<AuditEntry> entries;
    entries.reserve(opens.size());
    for (const OpenFileRecord* open : opens) entries.push_back(entry_for(*open, Outcome::Pending));
    entries = audit_.append(std::move(entries));
    for (std::size_t i = 0; i < opens.size(); ++i) {
        result.closures.push_back({*opens[i], std::move(entries[i]), std::nullopt, {}});
    }

    // 2. Read the open files again just before closing.
    std::map<std::string, OpenFileRecord> current;
    try {
        for (OpenFileRecord& open : table_.list_open_files()) current.emplace(open.file_id, std::move(open));
    } catch (const std::exception& error) {
        for (FileClosure& closure : result.closures) {
            closure.outcome = Outcome::Refused;
            closure.detail = std::string("the open files could not be read again: ") + error.what();
        }
    }
    std::vector<FileClosure*> to_close;
    for (FileClosure& closure : result.closures) {
        if (closure.outcome) continue;
        const auto found = current.find(closure.open.file_id);
        if (found == current.end() || !same_open(closure.open, found->second)) {
            closure.outcome = Outcome::Vanished;
            closure.detail = found == current.end() ? "no longer open" : "its FileId now belongs to another open";
            continue;
        }
        if (options.recheck) {
            if (std::string refusal = options.recheck(found->second); !refusal.empty()) {
                closure.outcome = Outcome::Refused;
                closure.detail = std::move(refusal);
                continue;
            }
        }
        to_close.push_back(&closure);
    }

    // 3. Close, at most max_concurrent at once.
    parallel_for(to_close.size(), options.max_concurrent, [&](std::size_t i) {
        FileClosure& closure = *to_close[i];
        if (options.stop_requested && options.stop_requested()) {
            closure.outcome = Outcome::Refused;
            closure.detail = options.stop_reason;
            return;
        }
        CloseResult closed;
        try {
            closed = table_.close_open_file(closure.open);
        } catch (const std::exception& error) {
            closed = {CloseOutcome::Failed, error.what()};
        }
        closure.outcome = outcome_of(closed.outcome);
        closure.detail = std::move(closed.detail);
    });

    // 4. Record how each ended.
    std::vector<AuditEntry> outcomes;
    outcomes.reserve(result.closures.size());
    for (const FileClosure& closure : result.closures) {
        const bool closed = closure.outcome == Outcome::Closed;
        outcomes.push_back(outcome_entry(closure.pending, *closure.outcome, closed ? std::string() : closure.detail));
    }
    try {
        audit_.append_outcomes(std::move(outcomes));
    } catch (const AuditError& error) {
        result.outcome_write_error = error.what();
    }
    return result;
}

}  // namespace smbreaper::closing
