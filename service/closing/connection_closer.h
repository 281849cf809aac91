#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "common/phase_timing.h"
#include "service/closing/connection_closure.h"
#include "sessions/session_table.h"
#include "storage/audit_entry.h"

namespace smbreaper::closing {

struct ConnectionCloseOptions {
    // Asked about each selected session still in the table when it is re-read: an empty answer
    // lets it be closed, anything else refuses its whole connection with that reason. Unset:
    // every session still there may be closed.
    std::function<std::string(const sessions::SessionRecord& current)> recheck;
    // Asked before each close, from the thread about to close; once it answers true, the
    // connections not yet closed are refused with `stop_reason`. Unset: never.
    std::function<bool()> stop_requested;
    std::string stop_reason = "stopping; not closed";
    // How many close() calls may run at once, on worker threads (1: on the caller's thread).
    std::size_t max_concurrent = 1;
    // When set, the time spent re-reading the table ("recheck") and closing ("close") is added here.
    common::PhaseTimings* phases = nullptr;
};

// Steps 2 and 3 of the audit write protocol (docs/AUDIT.md, section 2), shared by the service and
// `smbreaper close`, for connections whose every session has its pending entry stored: re-reads
// the table just before acting; closes each connection whose selected sessions are still there
// (the same identity, sessions/session_identity.h), pass `recheck`, and are still the only
// sessions on it; and gives every session closure its outcome entry (closed, vanished, failed or
// refused) for the caller to append (outcomes_of). The caller's thread does the re-read and
// builds the entries; worker threads only call table.close(), which is why a SessionTable's
// close() must be safe to call from several threads at once.
void close_pending_connections(sessions::SessionTable& table, std::vector<ConnectionClosure>& connections,
                               const ConnectionCloseOptions& options);

}  // namespace smbreaper::closing
