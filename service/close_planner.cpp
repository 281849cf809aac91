#include "service/close_planner.h"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "sessions/connection_key.h"

namespace smbreaper {
namespace {

std::uint32_t idle_of(const CloseCandidate& candidate) { return candidate.session->seconds_idle.value_or(0); }

std::uint32_t most_idle(const std::vector<CloseCandidate>& group) {
    std::uint32_t idle = 0;
    for (const CloseCandidate& candidate : group) idle = std::max(idle, idle_of(candidate));
    return idle;
}

}  // namespace

ConnectionGroups group_by_connection(const std::vector<CloseCandidate>& candidates,
                                     const std::vector<SessionRecord>& table) {
    ConnectionGroups groups;

    // How many sessions of the table each connection carries.
    std::unordered_map<std::string, std::size_t> sessions_per_connection;
    for (const SessionRecord& session : table) ++sessions_per_connection[connection_key(session)];

    std::map<std::string, std::vector<CloseCandidate>> by_connection;
    for (const CloseCandidate& candidate : candidates) by_connection[connection_key(*candidate.session)].push_back(candidate);
    for (auto& [connection, group] : by_connection) {
        if (group.size() == sessions_per_connection[connection]) {
            groups.complete.push_back(std::move(group));
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
    std::vector<std::vector<CloseCandidate>>& eligible = groups.complete;
    plan.waiting_for_companions = std::move(groups.incomplete);

    for (const auto& group : eligible) plan.would_close += group.size();
    if (exceeds_close_fraction(limits, plan.would_close, table.size())) {
        plan.refused = true;
        return plan;
    }

    std::stable_sort(eligible.begin(), eligible.end(),
                     [](const auto& a, const auto& b) { return most_idle(a) > most_idle(b); });
    std::size_t taken = 0;
    for (auto& group : eligible) {
        const bool fits = taken + group.size() <= limits.max_closes_per_cycle;
        if (fits || taken == 0) {
            taken += group.size();
            plan.groups.push_back(std::move(group));
        } else {
            plan.deferred.insert(plan.deferred.end(), group.begin(), group.end());
        }
    }
    return plan;
}

}  // namespace smbreaper
