#include "rules/simulation.h"

namespace smbreaper::rules {
using smbreaper::sessions::SessionRecord;

Simulation simulate(const Policy& policy, const std::vector<SessionRecord>& sessions, LocalTime now) {
    const Evaluator evaluator(policy, now);
    Simulation result;
    result.verdicts.reserve(sessions.size());
    for (const SessionRecord& session : sessions) {
        const Verdict verdict = evaluator.evaluate(session);
        switch (verdict.kind) {
            case VerdictKind::Close: ++result.closes; break;
            case VerdictKind::Audit: ++result.audits; break;
            case VerdictKind::Keep:
                ++result.keeps;
                if (verdict.guard != Guard::None) ++result.guarded;
                break;
        }
        result.verdicts.push_back(verdict);
    }
    result.refused = exceeds_close_fraction(policy.settings.limits, result.closes, sessions.size());
    return result;
}

}  // namespace smbreaper::rules
