#include <catch2/catch.hpp>

#include <array>
#include <optional>

#include "policy_test_support.h"
#include "rules/flat_conditions.h"

using smbreaper::rules::FlatConditions;
using smbreaper::rules::KeptTruth;
using smbreaper::rules::Policy;
using smbreaper::rules::SessionView;
using smbreaper::rules::Truth;
using smbreaper::sessions::SessionRecord;

using namespace smbreaper;

namespace {

// A rule set whose matches are the conditions under test, in order.
Policy policy_of(const std::string& matches) {
    auto result = load_test_policy("version: 1\nrules:\n" + matches);
    INFO(result.diagnostics.render_text());
    REQUIRE(result.policy.has_value());
    return std::move(*result.policy);
}

// idle >= 10s and age >= 10s come out True (20), False (5) or Unknown (absent).
SessionRecord session_with(std::optional<std::uint32_t> idle, std::optional<std::uint32_t> age) {
    SessionRecord s;
    s.seconds_idle = idle;
    s.seconds_exists = age;
    return s;
}

const std::optional<std::uint32_t> holds = 20, fails = 5, unknown = std::nullopt;

Truth truth_of(std::optional<std::uint32_t> value) {
    if (!value) return Truth::Unknown;
    return *value >= 10 ? Truth::True : Truth::False;
}

// Kleene logic, written out independently of the evaluator.
Truth kleene_and(Truth a, Truth b) {
    if (a == Truth::False || b == Truth::False) return Truth::False;
    if (a == Truth::Unknown || b == Truth::Unknown) return Truth::Unknown;
    return Truth::True;
}
Truth kleene_or(Truth a, Truth b) {
    if (a == Truth::True || b == Truth::True) return Truth::True;
    if (a == Truth::Unknown || b == Truth::Unknown) return Truth::Unknown;
    return Truth::False;
}
Truth kleene_not(Truth a) {
    if (a == Truth::Unknown) return Truth::Unknown;
    return a == Truth::True ? Truth::False : Truth::True;
}

}  // namespace

TEST_CASE("flattened all, any and not follow three-valued logic, with and without kept results", "[evaluator]") {
    const Policy policy = policy_of(R"(
  - {name: both, action: close, match: {idle: '>= 10s', age: '>= 10s'}}
  - {name: either, action: close, match: {any: [{idle: '>= 10s'}, {age: '>= 10s'}]}}
  - {name: neither, action: close, match: {not: {any: [{idle: '>= 10s'}, {age: '>= 10s'}]}}}
  - {name: idle-not-age, action: close, match: {all: [{not: {age: '>= 10s'}}, {idle: '>= 10s'}]}}
)");
    FlatConditions flat;
    std::array<std::uint32_t, 4> roots{};
    for (std::size_t i = 0; i < roots.size(); ++i) roots[i] = flat.add(policy.rules[i].match);
    CHECK(flat.test_count() == 2);  // idle >= 10s and age >= 10s, each kept once

    for (const auto idle : {holds, fails, unknown}) {
        for (const auto age : {holds, fails, unknown}) {
            const Truth i = truth_of(idle), a = truth_of(age);
            const SessionRecord record = session_with(idle, age);
            for (const bool keep_results : {false, true}) {
                std::array<KeptTruth, 2> kept{};
                const SessionView view{record, std::nullopt, keep_results ? kept.data() : nullptr};
                INFO("idle " << static_cast<int>(i) << ", age " << static_cast<int>(a) << ", kept " << keep_results);
                CHECK(flat.evaluate(roots[0], view) == kleene_and(i, a));
                CHECK(flat.evaluate(roots[1], view) == kleene_or(i, a));
                CHECK(flat.evaluate(roots[2], view) == kleene_not(kleene_or(i, a)));
                CHECK(flat.evaluate(roots[3], view) == kleene_and(kleene_not(a), i));
            }
        }
    }
}

TEST_CASE("a gate is a test the whole condition needs, or none", "[evaluator]") {
    const Policy policy = policy_of(R"(
  - {name: single, action: close, match: {idle: '>= 10s'}}
  - {name: after-a-not, action: close, match: {all: [{not: {user: x}}, {age: '>= 10s'}]}}
  - {name: alternatives, action: close, match: {any: [{idle: '>= 10s'}, {age: '>= 10s'}]}}
  - {name: only-groups, action: close, match: {all: [{not: {user: x}}, {any: [{user: y}, {user: z}]}]}}
)");
    FlatConditions flat;
    const std::uint32_t single = flat.add(policy.rules[0].match);
    const std::uint32_t after_a_not = flat.add(policy.rules[1].match);
    const std::uint32_t alternatives = flat.add(policy.rules[2].match);
    const std::uint32_t only_groups = flat.add(policy.rules[3].match);

    const SessionRecord record = session_with(5, 20);  // idle fails, age holds
    const SessionView view{record, std::nullopt, nullptr};
    REQUIRE(flat.gate_of(single) != FlatConditions::kNone);
    CHECK(flat.test_result(flat.gate_of(single), view) == Truth::False);
    REQUIRE(flat.gate_of(after_a_not) != FlatConditions::kNone);
    CHECK(flat.test_result(flat.gate_of(after_a_not), view) == Truth::True);  // age, not the test under not
    CHECK(flat.gate_of(alternatives) == FlatConditions::kNone);
    CHECK(flat.gate_of(only_groups) == FlatConditions::kNone);
}

TEST_CASE("any of no conditions holds for no session", "[evaluator]") {
    FlatConditions flat;
    const std::uint32_t none = flat.add_any({});
    const SessionRecord record;
    CHECK(flat.evaluate(none, SessionView{record, std::nullopt, nullptr}) == Truth::False);
}
