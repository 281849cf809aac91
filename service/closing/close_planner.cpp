#include "service/closing/close_planner.h"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "sessions/connection_key.h"

namespace smbreaper::closing {
using smbreaper::rules::exceeds_close_fraction;
using smbreaper::rules::Limits;
using smbreaper::sessions::connection_key;
using smbreaper::sessions::SessionRecord;

namespace {

ConnectionClosure closure_of(const std::vector<CloseCandidate>& group) {
    ConnectionClosure connection;
    for (const CloseCandidate& candidate : group) connection.sessions.push_back({candidate.session, candidate.rule});
    return connection;
}

}  // namespace

ConnectionGroups group_by_connection(const std::vector<CloseCandidate>& candidates,
                                     const std::vector<SessionRecord>& table) {
    ConnectionGroups groups;

    // How many sessions of the table each connection carries.
    std::unordered_map<std::string, std::size_t> sessions_per_connection;
    for (const SessionRecord& session : table) ++sessions_per_connection[connection_key(session)];

    std::map<std::string, std::vector<CloseCandidate>> by_connection;
    for (const CloseCandidate& candidate : candidates)
        by_connection[connection_key(*candidate.session)].push_back(candidate);
    for (auto& [connection, group] : by_connection) {
        if (group.size() == sessions_per_connection[connection]) {
            groups.complete.push_back(closure_of(group));
        } else {
            groups.incomplete.insert(groups.incomplete.end(), group.begin(), group.end());
        }
    }
    return groups;
}

ClosePlan plan_closes(const std::vector<CloseCandidate>& confirmed, const std::vector<SessionRecord>& table,
                      const Limits& limits) {
    ClosePlan plan;
    ConnectionGroups groups = group_by_connection(confirmed, table);
    std::vector<ConnectionClosure>& eligible = groups.complete;
    plan.waiting_for_companions = std::move(groups.incomplete);

    for (const ConnectionClosure& connection : eligible) plan.would_close += connection.sessions.size();
    if (exceeds_close_fraction(limits, plan.would_close, table.size())) {
        plan.refused = true;
        return plan;
    }

    std::stable_sort(eligible.begin(), eligible.end(), [](const ConnectionClosure& a, const ConnectionClosure& b) {
        return a.most_idle() > b.most_idle();
    });
    std::size_t taken = 0;
    for (ConnectionClosure& connection : eligible) {
        const std::size_t size = connection.sessions.size();
        if (taken + size <= limits.max_closes_per_cycle || taken == 0) {
            taken += size;
            plan.connections.push_back(std::move(connection));
        } else {
            for (const SessionClosure& closure : connection.sessions)
                plan.deferred.push_back({closure.session, closure.rule});
        }
    }
    return plan;
}

}  // namespace smbreaper::closing
