#pragma once

#include <optional>
#include <span>
#include <vector>

#include "rules/policy.h"
#include "sessions/session_record.h"
#include "storage/audit_entry.h"

namespace smbreaper::closing {

// One session on its way through the audit write protocol (docs/AUDIT.md, section 2): chosen (by
// a rule, or by a person), recorded as pending, then closed or not, and how that ended.
struct SessionClosure {
    const sessions::SessionRecord* session = nullptr;  // as it was chosen
    const rules::Rule* rule = nullptr;                 // null for `smbreaper close`
    std::optional<storage::AuditEntry> pending;        // the pending entry as the trail stored it
    std::optional<storage::AuditEntry> outcome;        // its outcome entry, once closing is over

    bool closed() const { return outcome && outcome->outcome == storage::Outcome::Closed; }
};

// One connection to close, carried from the plan to the outcomes: closing it ends every session
// on it (sessions/connection_key.h); a Windows session is a connection of its own.
struct ConnectionClosure {
    std::vector<SessionClosure> sessions;

    std::uint32_t most_idle() const;  // the idlest session's SecondsIdle (unknown counts as 0)
};

// Every session closure of `connections`, in order.
std::vector<SessionClosure*> each_session(std::vector<ConnectionClosure>& connections);
std::vector<const SessionClosure*> each_session(const std::vector<ConnectionClosure>& connections);

// Hands each session closure its pending entry as stored, `stored` being what the trail returned
// for the entries written in each_session() order.
void take_stored_pending(std::vector<ConnectionClosure>& connections, std::span<const storage::AuditEntry> stored);

// The outcome entries, in each_session() order, for the trail.
std::vector<storage::AuditEntry> outcomes_of(const std::vector<ConnectionClosure>& connections);

}  // namespace smbreaper::closing
