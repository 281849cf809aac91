#include "config/policy_lint.h"

#include <algorithm>
#include <limits>

#include "config/yaml_reader.h"
#include "rules/field_coverage.h"

namespace smbreaper::config {
using smbreaper::rules::CompareOp;
using smbreaper::rules::Comparison;
using smbreaper::rules::Condition;
using smbreaper::rules::Field;
using smbreaper::rules::field_descriptor;
using smbreaper::rules::FieldKind;
using smbreaper::rules::FieldTest;
using smbreaper::rules::InstanceSet;
using smbreaper::rules::Policy;
using smbreaper::rules::Rule;
using smbreaper::rules::RuleAction;
using smbreaper::rules::source_provides;
using smbreaper::rules::TextMatcher;
using smbreaper::sessions::all_sources;
using smbreaper::sessions::find_source;
using smbreaper::sessions::SourceDescriptor;

namespace {

struct Interval {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
};

// The values a comparison accepts as one interval; nothing for `!=` or an empty set.
std::optional<Interval> as_interval(const Comparison& c) {
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    switch (c.op) {
        case CompareOp::Less: return c.value == 0 ? std::nullopt : std::optional<Interval>({0, c.value - 1});
        case CompareOp::LessEqual: return Interval{0, c.value};
        case CompareOp::Greater: return c.value == max ? std::nullopt : std::optional<Interval>({c.value + 1, max});
        case CompareOp::GreaterEqual: return Interval{c.value, max};
        case CompareOp::Equal: return Interval{c.value, c.value};
        case CompareOp::Between: return Interval{c.value, c.upper};
        case CompareOp::NotEqual: return std::nullopt;
    }
    return std::nullopt;
}

// True when every value `narrow` accepts, `wide` accepts too (plain cases only; false when unsure).
bool test_implies(const FieldTest& narrow, const FieldTest& wide) {
    if (narrow.field != wide.field) return false;
    if (const auto* wide_text = std::get_if<TextMatcher>(&wide.matcher)) {
        if (wide_text->matches_everything()) return true;
        const auto* narrow_text = std::get_if<TextMatcher>(&narrow.matcher);
        return narrow_text != nullptr && narrow_text->patterns() == wide_text->patterns();
    }
    if (const auto* wide_comparisons = std::get_if<std::vector<Comparison>>(&wide.matcher)) {
        const auto* narrow_comparisons = std::get_if<std::vector<Comparison>>(&narrow.matcher);
        if (narrow_comparisons == nullptr || narrow_comparisons->size() != 1 || wide_comparisons->size() != 1)
            return false;
        const auto inner = as_interval(narrow_comparisons->front());
        const auto outer = as_interval(wide_comparisons->front());
        return inner && outer && inner->low >= outer->low && inner->high <= outer->high;
    }
    if (const auto* wide_instances = std::get_if<InstanceSet>(&wide.matcher)) {
        const auto* narrow_instances = std::get_if<InstanceSet>(&narrow.matcher);
        return narrow_instances != nullptr && (narrow_instances->mask & ~wide_instances->mask) == 0;
    }
    const auto* narrow_flag = std::get_if<bool>(&narrow.matcher);
    return narrow_flag != nullptr && *narrow_flag == std::get<bool>(wide.matcher);
}

// The tests of a plain conjunction, or nothing when the condition has any/not in it.
std::optional<std::vector<const FieldTest*>> plain_tests(const Condition& condition) {
    std::vector<const FieldTest*> tests;
    if (condition.kind == Condition::Kind::Test) {
        tests.push_back(&*condition.test);
        return tests;
    }
    if (condition.kind != Condition::Kind::All) return std::nullopt;
    for (const Condition& child : condition.children) {
        if (child.kind != Condition::Kind::Test) return std::nullopt;
        tests.push_back(&*child.test);
    }
    return tests;
}

// Whether `earlier` matches every session `later` matches, whatever the time.
bool shadows(const Rule& earlier, const Rule& later) {
    if (!earlier.enabled || earlier.when || !earlier.exceptions.empty()) return false;
    const auto wide = plain_tests(earlier.match);
    const auto narrow = plain_tests(later.match);
    if (!wide || !narrow) return false;
    return std::all_of(wide->begin(), wide->end(), [&](const FieldTest* wide_test) {
        return std::any_of(narrow->begin(), narrow->end(),
                           [&](const FieldTest* narrow_test) { return test_implies(*narrow_test, *wide_test); });
    });
}

void warn_unprovided_fields(const Policy& policy, Diagnostics& diagnostics) {
    const SourceDescriptor* source = find_source(policy.settings.source.name);
    if (source == nullptr) return;
    for (const Rule& rule : policy.rules) {
        std::vector<Field> used;
        rule.match.collect_fields(used);
        for (const Condition& exception : rule.exceptions) exception.collect_fields(used);
        std::sort(used.begin(), used.end());
        used.erase(std::unique(used.begin(), used.end()), used.end());
        for (Field field : used) {
            if (source_provides(*source, field)) continue;
            std::string message = "rule '" + rule.name + "' tests '" + std::string(field_descriptor(field).name) +
                                  "', which the " + std::string(source->name) +
                                  " source does not provide: that test is unknown for every session there";
            if (rule.action == RuleAction::Keep)
                message += ", so this keep rule keeps every session its other tests do not rule out";
            diagnostics.warning(rule.location, "field-not-provided", message);
        }
    }
}

// A close_files rule where the source cannot close one open file (Samba) would never do what it
// says: refused, with what to do instead.
void refuse_unsupported_close_files(const Policy& policy, Diagnostics& diagnostics) {
    const SourceDescriptor* source = find_source(policy.settings.source.name);
    if (source == nullptr || source->cannot_close_files.empty()) return;
    for (const Rule& rule : policy.rules) {
        if (rule.action != RuleAction::CloseFiles) continue;
        diagnostics.error(rule.location, "close-files-unsupported",
                          "rule '" + rule.name + "' has action close_files, which the " + std::string(source->name) +
                              " source cannot carry out: " + std::string(source->cannot_close_files) +
                              ". Write action: close to end the whole session, or settings.source: wmi for a "
                              "policy meant for a Windows server");
    }
}

// settings.samba with the wmi source, say: written for a source the policy does not use. Not with
// `auto`: such a policy may run on either platform, each reading the settings of its own source.
void warn_unread_source_settings(const Policy& policy, const YAML::Node& root, Diagnostics& diagnostics) {
    if (policy.settings.source.name == "auto") return;
    const SourceDescriptor* configured = find_source(policy.settings.source.name);
    const YAML::Node settings = root["settings"];
    if (configured == nullptr || !settings || !settings.IsMap()) return;
    for (const SourceDescriptor& source : all_sources()) {
        for (const std::string_view section : source.settings) {
            const auto read_by_configured =
                std::find(configured->settings.begin(), configured->settings.end(), section);
            if (read_by_configured != configured->settings.end()) continue;
            for (const auto& entry : settings) {
                if (!entry.first.IsScalar() || entry.first.Scalar() != section) continue;
                diagnostics.warning(YamlReader::location(entry.first), "unused-setting",
                                    "settings." + std::string(section) + " is read by the " + std::string(source.name) +
                                        " source only, and this policy's source is " + std::string(configured->name) +
                                        ": it has no effect");
            }
        }
    }
}

// `idle: 2h` means exactly 7200 seconds, which a session is for one second at most.
void warn_exact_durations(const Rule& rule, const Condition& condition, Diagnostics& diagnostics) {
    if (condition.kind != Condition::Kind::Test) {
        for (const Condition& child : condition.children) warn_exact_durations(rule, child, diagnostics);
        return;
    }
    if (field_descriptor(condition.test->field).kind != FieldKind::Duration) return;
    const auto* comparisons = std::get_if<std::vector<Comparison>>(&condition.test->matcher);
    if (comparisons == nullptr) return;
    for (const Comparison& comparison : *comparisons) {
        if (comparison.op != CompareOp::Equal) continue;
        const std::string field(field_descriptor(condition.test->field).name);
        diagnostics.warning(rule.location, "exact-duration",
                            "rule '" + rule.name + "' tests " + field + " == " + std::to_string(comparison.value) +
                                "s, which holds for one second at most; for 'at least', write " + field + ": '>= ...'");
    }
}

}  // namespace

void lint_policy(const Policy& policy, const YAML::Node& root, const std::vector<std::string>& used_lists,
                 Diagnostics& diagnostics) {
    if (policy.rules.empty() && !diagnostics.has_errors()) {
        diagnostics.warning({1, 1}, "no-rules", "the policy has no rules: every session is kept");
    }
    for (std::size_t later = 0; later < policy.rules.size(); ++later) {
        const Rule& rule = policy.rules[later];
        if (!rule.enabled) continue;
        for (std::size_t earlier = 0; earlier < later; ++earlier) {
            const Rule& blocker = policy.rules[earlier];
            if (!shadows(blocker, rule)) continue;
            diagnostics.warning(rule.location, "unreachable-rule",
                                "rule '" + rule.name + "' can never fire: rule '" + blocker.name + "' (line " +
                                    std::to_string(blocker.location.line) +
                                    ") comes first and matches every session it matches; move it above '" +
                                    blocker.name + "' or narrow '" + blocker.name + "'");
            break;
        }
        warn_exact_durations(rule, rule.match, diagnostics);
        if (rule.action == RuleAction::Close && !rule.match.requires_one_of({Field::Idle, Field::Age})) {
            diagnostics.warning(rule.location, "close-without-idle",
                                "rule '" + rule.name +
                                    "' closes sessions with no idle or age condition: it can disconnect people in the "
                                    "middle of their work; add e.g. idle: '>= 2h'");
        }
        if (rule.action == RuleAction::CloseFiles && rule.files && rule.files->open_for.empty() &&
            !rule.match.requires_one_of({Field::Idle, Field::Age, Field::OldestOpen})) {
            diagnostics.warning(rule.location, "close-files-without-age",
                                "rule '" + rule.name +
                                    "' closes open files with no idle, age or open_for condition: it can close a "
                                    "file someone is editing; add e.g. open_for: '> 8h' under files:");
        }
    }
    refuse_unsupported_close_files(policy, diagnostics);
    warn_unprovided_fields(policy, diagnostics);
    warn_unread_source_settings(policy, root, diagnostics);

    if (const YAML::Node lists = root["lists"]; lists && lists.IsMap()) {
        for (const auto& entry : lists) {
            if (!entry.first.IsScalar()) continue;
            const std::string& name = entry.first.Scalar();
            if (std::find(used_lists.begin(), used_lists.end(), name) == used_lists.end()) {
                diagnostics.warning(YamlReader::location(entry.first), "unused-list",
                                    "the list '" + name + "' is not used by any rule");
            }
        }
    }
}

}  // namespace smbreaper::config
