#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "rules/condition.h"

namespace smbreaper::rules {

// The conditions of the rules an evaluator tries, flattened for evaluation: every node in one
// array in prefix order (a node's children follow it, and it knows where its subtree ends), and
// every distinct test once. Walking it reads a few kilobytes; walking the policy's own tree, whose
// nodes are 168 bytes apart, was most of the evaluation's time (docs/BENCHMARKS.md).
class FlatConditions {
public:
    static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

    // Adds a condition; returns where it starts, for evaluate().
    std::uint32_t add(const Condition& condition);
    // Adds "any of `conditions`" (which holds for none when there are none).
    std::uint32_t add_any(std::span<const Condition> conditions);

    // The condition starting at `root`, on a session whose test results are kept in
    // `session.test_results` by test_index (see SessionView), when that is not null.
    Truth evaluate(std::uint32_t root, const SessionView& session) const;

    // A test that must hold for the condition at `root` to hold: the condition itself when it is
    // a test, else a test among the children of an `all`. kNone when there is no such test.
    // Most rules fail on one test; trying it first, here, spares walking the rule.
    std::uint32_t gate_of(std::uint32_t root) const;

    // The result of test number `test` (a gate_of, say) on the session, kept as for evaluate().
    Truth test_result(std::uint32_t test, const SessionView& session) const {
        if (session.test_results == nullptr) return tests_[test]->evaluate(session);
        KeptTruth& kept = session.test_results[test];
        if (kept == KeptTruth::Untried) {
            const Truth truth = tests_[test]->evaluate(session);
            kept = static_cast<KeptTruth>(static_cast<std::uint8_t>(truth) + 1);
            return truth;
        }
        return static_cast<Truth>(static_cast<std::uint8_t>(kept) - 1);
    }

    // How many distinct tests the conditions hold: the size test_results needs.
    std::size_t test_count() const { return tests_.size(); }

private:
    struct Node {
        Condition::Kind kind;
        std::uint32_t end;   // the index after this node's subtree
        std::uint32_t test;  // Test: its index in tests_
    };

    void append(const Condition& condition);
    std::uint32_t test_index(const FieldTest& test);

    std::vector<Node> nodes_;
    std::vector<const FieldTest*> tests_;
    std::map<std::uint32_t, std::uint32_t> index_of_test_id_;  // FieldTest::id -> index in tests_
};

}  // namespace smbreaper::rules
