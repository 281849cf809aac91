#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sessions/phase_timing.h"
#include "sessions/session_table.h"
#include "storage/audit_entry.h"

namespace smbreaper {

// One connection a caller has decided to close: every session on it, each with the pending entry
// already committed to the audit trail for it. Closing the connection ends all of them (see
// sessions/connection_key.h); a Windows session is a connection of its own.
struct PendingConnection {
    std::vector<const SessionRecord*> sessions;  // as they were selected
    std::vector<AuditEntry> pending;             // the stored pending entry of each, same order
};

struct ConnectionCloseOptions {
    // Asked about each selected session still in the table when it is re-read: an empty answer
    // lets it be closed, anything else refuses its whole connection with that reason. Unset:
    // every session still there may be closed.
    std::function<std::string(const SessionRecord& current)> recheck;
    // Asked before each close, from the thread about to close; once it answers true, the
    // connections not yet closed are refused with `stop_reason`. Unset: never.
    std::function<bool()> stop_requested;
    std::string stop_reason = "stopping; not closed";
    // How many close() calls may run at once, on worker threads (1: on the caller's thread).
    std::size_t max_concurrent = 1;
    // When set, the time spent re-reading the table ("recheck") and closing ("close") is added here.
    PhaseTimings* phases = nullptr;
};

// Steps 2 and 3 of the audit write protocol (docs/AUDIT.md, section 2), shared by the service and
// `smbreaper close`: re-reads the table just before acting; closes each connection whose selected
// sessions are still there (the same identity, sessions/session_identity.h), pass `recheck`, and are still
// the only sessions on it; and returns one outcome entry (closed, vanished, failed or refused) per
// pending entry, in order, for the caller to append. The caller's thread does the re-read and
// builds the entries; worker threads only call table.close(), which is why a SessionTable's
// close() must be safe to call from several threads at once.
std::vector<AuditEntry> close_pending_connections(SessionTable& table, const std::vector<PendingConnection>& connections,
                                                  const ConnectionCloseOptions& options);

}  // namespace smbreaper
