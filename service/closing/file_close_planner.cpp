#include "service/closing/file_close_planner.h"

#include <algorithm>

#include "rules/evaluator.h"

namespace smbreaper::closing {

FileClosePlan plan_file_closes(std::vector<FileCloseCandidate> candidates, std::size_t opens_listed,
                               const rules::Limits& limits) {
    FileClosePlan plan;
    if (rules::exceeds_close_fraction(limits, candidates.size(), opens_listed)) {
        plan.refused = true;
        return plan;
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const FileCloseCandidate& a, const FileCloseCandidate& b) {
                         const auto a_since = sessions::open_since(*a.open);
                         const auto b_since = sessions::open_since(*b.open);
                         if (a_since.has_value() != b_since.has_value()) return a_since.has_value();
                         return a_since && *a_since < *b_since;
                     });
    const std::size_t taken = std::min<std::size_t>(candidates.size(), limits.max_closes_per_cycle);
    plan.deferred = candidates.size() - taken;
    candidates.resize(taken);
    plan.closes = std::move(candidates);
    return plan;
}

}  // namespace smbreaper::closing
