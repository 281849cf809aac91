#include "rules/flat_conditions.h"

namespace smbreaper::rules {

std::uint32_t FlatConditions::add(const Condition& condition) {
    const auto root = static_cast<std::uint32_t>(nodes_.size());
    append(condition);
    return root;
}

std::uint32_t FlatConditions::add_any(std::span<const Condition> conditions) {
    const auto root = static_cast<std::uint32_t>(nodes_.size());
    nodes_.push_back({Condition::Kind::Any, 0, 0});
    for (const Condition& condition : conditions) append(condition);
    nodes_[root].end = static_cast<std::uint32_t>(nodes_.size());
    return root;
}

void FlatConditions::append(const Condition& condition) {
    const auto at = nodes_.size();
    nodes_.push_back({condition.kind, 0, condition.kind == Condition::Kind::Test ? test_index(*condition.test) : 0});
    for (const Condition& child : condition.children) append(child);
    nodes_[at].end = static_cast<std::uint32_t>(nodes_.size());
}

// Tests the policy loader numbered alike (FieldTest::id) are the same test: one index. A test
// numbered outside a policy is always its own.
std::uint32_t FlatConditions::test_index(const FieldTest& test) {
    const auto next = static_cast<std::uint32_t>(tests_.size());
    if (test.id != FieldTest::kUnnumbered) {
        const auto [found, added] = index_of_test_id_.emplace(test.id, next);
        if (!added) return found->second;
    }
    tests_.push_back(&test);
    return next;
}

std::uint32_t FlatConditions::gate_of(std::uint32_t root) const {
    const Node& node = nodes_[root];
    if (node.kind == Condition::Kind::Test) return node.test;
    if (node.kind != Condition::Kind::All) return kNone;
    for (std::uint32_t child = root + 1; child < node.end; child = nodes_[child].end) {
        if (nodes_[child].kind == Condition::Kind::Test) return nodes_[child].test;
    }
    return kNone;
}

Truth FlatConditions::evaluate(std::uint32_t root, const SessionView& session) const {
    const Node& node = nodes_[root];
    switch (node.kind) {
        case Condition::Kind::Test: return test_result(node.test, session);
        case Condition::Kind::Not: {
            const Truth inner = evaluate(root + 1, session);
            if (inner == Truth::Unknown) return Truth::Unknown;
            return inner == Truth::True ? Truth::False : Truth::True;
        }
        case Condition::Kind::All:
        case Condition::Kind::Any: {
            // All stops at the first False, Any at the first True; Unknown otherwise wins over
            // the value that holds for an empty list.
            const bool all = node.kind == Condition::Kind::All;
            const Truth decisive = all ? Truth::False : Truth::True;
            Truth result = all ? Truth::True : Truth::False;
            for (std::uint32_t child = root + 1; child < node.end; child = nodes_[child].end) {
                const Node& child_node = nodes_[child];
                const Truth truth = child_node.kind == Condition::Kind::Test ? test_result(child_node.test, session)
                                                                             : evaluate(child, session);
                if (truth == decisive) return decisive;
                if (truth == Truth::Unknown) result = Truth::Unknown;
            }
            return result;
        }
    }
    return Truth::Unknown;
}

}  // namespace smbreaper::rules
