#pragma once

#include <cstdint>
#include <vector>

#include "rules/evaluator.h"
#include "service/closing/connection_closure.h"

namespace smbreaper::closing {

// A session selected for closing: by a policy rule (confirmed over enough polls), or by a person
// running `smbreaper close` (no rule).
struct CloseCandidate {
    const sessions::SessionRecord* session = nullptr;
    const rules::Rule* rule = nullptr;  // null for `smbreaper close`
};

// What one cycle will close, after the safety limits.
struct ClosePlan {
    // The connections to close: closing one ends every session in it.
    std::vector<ConnectionClosure> connections;
    // Confirmed, but their connection also carries a session that is not selected: kept for now.
    std::vector<CloseCandidate> waiting_for_companions;
    // Confirmed, but over max_closes_per_cycle: they wait for the next cycle.
    std::vector<CloseCandidate> deferred;
    // Closing everything confirmed would exceed max_close_fraction: the cycle closes nothing.
    bool refused = false;
    std::size_t would_close = 0;  // sessions that would have ended without the limits
};

// Candidates grouped by the connection they share (sessions/connection_key.h).
struct ConnectionGroups {
    // Connections all of whose sessions in the table are candidates, in connection-key order.
    std::vector<ConnectionClosure> complete;
    // Candidates whose connection also carries a session that is not a candidate: closing them
    // would end that one too.
    std::vector<CloseCandidate> incomplete;
};

ConnectionGroups group_by_connection(const std::vector<CloseCandidate>& candidates,
                                     const std::vector<sessions::SessionRecord>& table);

// Groups the confirmed candidates by connection, keeps only connections whose every session is a
// candidate, refuses the whole cycle over max_close_fraction of `table`, then takes the most idle
// connections first up to max_closes_per_cycle sessions (a single connection larger than the
// limit is taken alone rather than never).
// Connections are told apart by connection_key() (sessions/connection_key.h).
ClosePlan plan_closes(const std::vector<CloseCandidate>& confirmed, const std::vector<sessions::SessionRecord>& table,
                      const rules::Limits& limits);

}  // namespace smbreaper::closing
