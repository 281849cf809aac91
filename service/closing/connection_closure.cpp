#include "service/closing/connection_closure.h"

#include <algorithm>
#include <stdexcept>

namespace smbreaper::closing {
using smbreaper::storage::AuditEntry;

std::uint32_t ConnectionClosure::most_idle() const {
    std::uint32_t idle = 0;
    for (const SessionClosure& closure : sessions) idle = std::max(idle, closure.session->seconds_idle.value_or(0));
    return idle;
}

std::vector<SessionClosure*> each_session(std::vector<ConnectionClosure>& connections) {
    std::vector<SessionClosure*> all;
    for (ConnectionClosure& connection : connections) {
        for (SessionClosure& closure : connection.sessions) all.push_back(&closure);
    }
    return all;
}

std::vector<const SessionClosure*> each_session(const std::vector<ConnectionClosure>& connections) {
    std::vector<const SessionClosure*> all;
    for (const ConnectionClosure& connection : connections) {
        for (const SessionClosure& closure : connection.sessions) all.push_back(&closure);
    }
    return all;
}

void take_stored_pending(std::vector<ConnectionClosure>& connections, std::span<const AuditEntry> stored) {
    const std::vector<SessionClosure*> closures = each_session(connections);
    if (closures.size() != stored.size()) {
        throw std::logic_error("the trail returned " + std::to_string(stored.size()) + " pending entries for " +
                               std::to_string(closures.size()) + " closures");
    }
    for (std::size_t i = 0; i < closures.size(); ++i) closures[i]->pending = stored[i];
}

std::vector<AuditEntry> outcomes_of(const std::vector<ConnectionClosure>& connections) {
    std::vector<AuditEntry> outcomes;
    for (const SessionClosure* closure : each_session(connections)) {
        if (closure->outcome) outcomes.push_back(*closure->outcome);
    }
    return outcomes;
}

}  // namespace smbreaper::closing
