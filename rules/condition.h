#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "rules/comparison.h"
#include "rules/field.h"
#include "rules/text_matcher.h"
#include "sessions/session_record.h"

namespace smbreaper::rules {

// Three-valued logic: a test on a value the source did not provide is Unknown, never guessed.
// all/any/not combine as Kleene logic, so "not (unknown)" stays unknown.
enum class Truth : std::uint8_t { False, True, Unknown };

// A test's result kept for one session: Untried, or the Truth plus one (FlatConditions::test_result).
enum class KeptTruth : std::uint8_t { Untried = 0 };

// A session plus what the evaluator derives from it once, before trying the rules.
struct SessionView {
    const sessions::SessionRecord& record;
    std::optional<IpAddress> client_address;  // filled only when some rule tests client by CIDR
    // The results of the tests tried so far on this session, by the evaluator's test index, so
    // that a test several rules share is evaluated once. Null: none are kept.
    KeptTruth* test_results = nullptr;
};

// Bit i set: SmbInstance value i is accepted.
struct InstanceSet {
    std::uint8_t mask = 0;
};

// One field tested by one matcher; comparisons in the list are alternatives (any holds).
struct FieldTest {
    static constexpr std::uint32_t kUnnumbered = 0xFFFFFFFFu;

    Field field = Field::User;
    std::variant<std::vector<Comparison>, TextMatcher, InstanceSet, bool> matcher;
    // The same number for every test of a policy with the same identity(), set by
    // Condition::number_tests; kUnnumbered for a test built outside a policy.
    std::uint32_t id = kUnnumbered;

    Truth evaluate(const SessionView& session) const;
    std::string describe() const;  // "idle >= 7200s"
    // Equal for two tests exactly when they give the same answer on every session: the field and
    // what the matcher accepts (describe() is for people: a list named like a CIDR block, or
    // quotes inside a glob, can make two different tests read the same).
    std::string identity() const;
};

struct Condition {
    enum class Kind { All, Any, Not, Test };

    Kind kind = Kind::All;  // an All with no children holds for every session
    std::vector<Condition> children;
    std::optional<FieldTest> test;

    std::string describe() const;  // the canonical one-line form used by `check --explain`

    // True when every session this condition holds for has passed a test on one of `fields`
    // (tests under `not` do not count: they hold when the test fails).
    bool requires_one_of(std::initializer_list<Field> fields) const;
    // Every field tested anywhere in the condition.
    void collect_fields(std::vector<Field>& fields) const;
    // Gives each test the number of its identity (FieldTest::identity()) in `numbers`, adding the
    // identities not there yet, so that tests that are the same get the same number.
    void number_tests(std::map<std::string, std::uint32_t>& numbers);
};

}  // namespace smbreaper::rules
