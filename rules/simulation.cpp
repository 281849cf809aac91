#include "rules/simulation.h"

namespace smbreaper::rules {
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionRecord;

Simulation simulate(const Policy& policy, const std::vector<SessionRecord>& sessions, LocalTime now,
                    const std::optional<std::vector<OpenFileRecord>>& opens,
                    std::chrono::system_clock::time_point taken_at) {
    const Evaluator evaluator(policy, now);
    Simulation result;
    result.verdicts.reserve(sessions.size());
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const Verdict verdict = evaluator.evaluate(sessions[i]);
        switch (verdict.kind) {
            case VerdictKind::Close: ++result.closes; break;
            case VerdictKind::CloseFiles:
                ++result.close_files;
                if (opens) {
                    FileSelection selection{i, select_opens(*verdict.rule->files, sessions[i], *opens, taken_at)};
                    result.files += selection.opens.size();
                    if (!selection.opens.empty()) result.file_closes.push_back(std::move(selection));
                }
                break;
            case VerdictKind::Audit: ++result.audits; break;
            case VerdictKind::Keep:
                ++result.keeps;
                if (verdict.guard != Guard::None) ++result.guarded;
                break;
        }
        result.verdicts.push_back(verdict);
    }
    result.refused = exceeds_close_fraction(policy.settings.limits, result.closes, sessions.size());
    result.files_refused = opens && exceeds_close_fraction(policy.settings.limits, result.files, opens->size());
    return result;
}

}  // namespace smbreaper::rules
