#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/phase_timing.h"
#include "sessions/session_table.h"
#include "storage/audit_entry.h"

namespace smbreaper::closing {

// One open file to close, and how its closing ended.
struct FileClosure {
    sessions::OpenFileRecord open;
    storage::AuditEntry pending;  // as stored
    std::optional<storage::Outcome> outcome;
    std::string detail;  // what happened, or why it was not closed

    bool closed() const { return outcome == storage::Outcome::Closed; }
};

struct FileCloseOptions {
    // Asked about each open still there when the open files are read again: empty lets it be
    // closed, anything else refuses it with that reason.
    std::function<std::string(const sessions::OpenFileRecord& current)> recheck;
    // Asked before each close; once true, the opens not yet closed are refused with `stop_reason`.
    std::function<bool()> stop_requested;
    std::string stop_reason = "interrupted before it was closed";
    std::size_t max_concurrent = 1;  // close_open_file() calls at once
    // When set, the time spent reading the open files again ("recheck") and closing ("close").
    common::PhaseTimings* phases = nullptr;
};

// Steps 2 and 3 of the audit write protocol (docs/AUDIT.md, section 2) for open files whose
// pending entries are stored, shared by the service's close_files rules and `smbreaper
// close-file`: reads the open files again with `read_again` (when it throws, every closure is
// refused with the reason); an open no longer there, or whose FileId now names another session's
// or another file's open, is vanished; then `recheck`, then table.close_open_file(), at most
// max_concurrent at once. Every closure gets its outcome; the caller appends outcomes_of().
void close_pending_files(sessions::SessionTable& table, std::vector<FileClosure>& closures,
                         const std::function<std::vector<sessions::OpenFileRecord>()>& read_again,
                         const FileCloseOptions& options);

// The outcome entry of each closure, in order.
std::vector<storage::AuditEntry> outcomes_of(const std::vector<FileClosure>& closures);

}  // namespace smbreaper::closing
