#include "service/closing/connection_closer.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "common/parallel_for.h"
#include "sessions/connection_key.h"
#include "sessions/session_identity.h"

namespace smbreaper::closing {
using smbreaper::common::parallel_for;
using smbreaper::sessions::CloseOutcome;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::connection_key;
using smbreaper::sessions::identity_of;
using smbreaper::sessions::SessionIdentity;
using smbreaper::sessions::SessionIdentityHash;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::Outcome;
using smbreaper::storage::outcome_entry;

namespace {

// The table as re-read just before closing.
struct CurrentTable {
    SessionSnapshot snapshot;
    std::unordered_map<SessionIdentity, const SessionRecord*, SessionIdentityHash> by_identity;
    std::unordered_map<std::string, std::size_t> sessions_per_connection;

    const SessionRecord* find(const SessionRecord& selected) const {
        const auto found = by_identity.find(identity_of(selected));
        return found == by_identity.end() ? nullptr : found->second;
    }
};

// What becomes of one connection.
struct Plan {
    ConnectionClosure* connection = nullptr;
    std::vector<const SessionRecord*> current;    // per selected session: its record now, or null when gone
    const SessionRecord* close_target = nullptr;  // the first session still there: closing it ends the connection
    std::string refusal;                          // set: not closed, for this reason
    std::optional<CloseResult> result;            // set once close() ran, or the stop refused it
};

Outcome outcome_of(const CloseResult& result) {
    switch (result.outcome) {
        case CloseOutcome::Closed: return Outcome::Closed;
        case CloseOutcome::Vanished: return Outcome::Vanished;
        case CloseOutcome::Failed: return Outcome::Failed;
    }
    return Outcome::Failed;
}

Plan plan_connection(ConnectionClosure& connection, const CurrentTable& table, const ConnectionCloseOptions& options) {
    Plan plan;
    plan.connection = &connection;
    std::size_t present = 0;
    for (const SessionClosure& closure : connection.sessions) {
        const SessionRecord* current = table.find(*closure.session);
        plan.current.push_back(current);
        if (!current) continue;
        ++present;
        if (!plan.close_target) plan.close_target = current;
        if (plan.refusal.empty() && options.recheck) plan.refusal = options.recheck(*current);
    }
    if (plan.close_target && plan.refusal.empty() &&
        table.sessions_per_connection.at(connection_key(*plan.close_target)) != present) {
        plan.refusal = "the connection now carries another session, which was not selected";
    }
    return plan;
}

// Calls close() for the connections that are to be closed, at most `max_concurrent` at a time.
void run_closes(SessionTable& table, std::vector<Plan>& plans, const ConnectionCloseOptions& options) {
    std::vector<Plan*> to_close;
    for (Plan& plan : plans) {
        if (plan.close_target && plan.refusal.empty()) to_close.push_back(&plan);
    }
    parallel_for(to_close.size(), options.max_concurrent, [&](std::size_t i) {
        Plan& plan = *to_close[i];
        if (options.stop_requested && options.stop_requested()) {
            plan.refusal = options.stop_reason;
            return;
        }
        try {
            plan.result = table.close(*plan.close_target);
        } catch (const std::exception& error) {
            plan.result = CloseResult{CloseOutcome::Failed, error.what()};
        }
    });
}

}  // namespace

void close_pending_connections(SessionTable& table, std::vector<ConnectionClosure>& connections,
                               const ConnectionCloseOptions& options) {
    for (const SessionClosure* closure : each_session(connections)) {
        if (!closure->pending) throw std::logic_error("a session is about to be closed without its pending entry");
    }
    CurrentTable current;
    try {
        const auto started = std::chrono::steady_clock::now();
        current.snapshot = table.list();
        if (options.phases) options.phases->add("recheck", std::chrono::steady_clock::now() - started);
    } catch (const std::exception& error) {  // SourceError, or anything else the source throws
        const std::string reason = std::string("could not re-read the session table before closing: ") + error.what();
        for (SessionClosure* closure : each_session(connections)) {
            closure->outcome = outcome_entry(*closure->pending, Outcome::Failed, reason);
        }
        return;
    }
    for (const SessionRecord& session : current.snapshot.sessions) {
        current.by_identity[identity_of(session)] = &session;
        ++current.sessions_per_connection[connection_key(session)];
    }

    std::vector<Plan> plans;
    plans.reserve(connections.size());
    for (ConnectionClosure& connection : connections) plans.push_back(plan_connection(connection, current, options));
    const auto closes_started = std::chrono::steady_clock::now();
    run_closes(table, plans, options);
    if (options.phases) options.phases->add("close", std::chrono::steady_clock::now() - closes_started);

    for (const Plan& plan : plans) {
        for (std::size_t s = 0; s < plan.connection->sessions.size(); ++s) {
            SessionClosure& closure = plan.connection->sessions[s];
            const AuditEntry& pending = *closure.pending;
            if (!plan.current[s]) {
                closure.outcome = outcome_entry(pending, Outcome::Vanished, "gone before it was closed");
            } else if (!plan.refusal.empty()) {
                closure.outcome = outcome_entry(pending, Outcome::Refused, plan.refusal);
            } else {
                const CloseResult& result = *plan.result;
                closure.outcome = outcome_entry(pending, outcome_of(result),
                                                result.outcome == CloseOutcome::Closed ? "" : result.detail);
            }
        }
    }
}

}  // namespace smbreaper::closing
