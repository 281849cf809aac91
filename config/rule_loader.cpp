#include "config/rule_loader.h"

#include <array>
#include <set>

#include "config/open_file_selector_loader.h"
#include "config/suggestion.h"

namespace smbreaper::config {
using smbreaper::rules::HourSpan;
using smbreaper::rules::parse_day_range;
using smbreaper::rules::parse_hour_span;
using smbreaper::rules::Rule;
using smbreaper::rules::RuleAction;
using smbreaper::rules::TimeWindow;

namespace {

constexpr std::array<std::string_view, 9> kRuleKeys = {"name",   "description",      "enabled", "action", "match",
                                                       "except", "allow_open_files", "files",   "when"};
constexpr std::array<std::string_view, 2> kWhenKeys = {"days", "hours"};
constexpr std::array<std::string_view, 4> kActions = {"close", "close_files", "keep", "audit"};

std::optional<RuleAction> parse_action(std::string_view text) {
    if (text == "close") return RuleAction::Close;
    if (text == "close_files") return RuleAction::CloseFiles;
    if (text == "keep") return RuleAction::Keep;
    if (text == "audit") return RuleAction::Audit;
    return std::nullopt;
}

std::optional<TimeWindow> load_when(const YAML::Node& node, YamlReader& reader, const std::string& what) {
    if (!reader.expect_mapping(node, what)) return std::nullopt;
    if (!reader.check_keys(node, kWhenKeys, what)) return std::nullopt;
    TimeWindow window;
    bool all_good = true;
    if (const YAML::Node days = node["days"]; days) {
        window.days = 0;
        const auto items = reader.text_list(days, what + ".days");
        if (!items) return std::nullopt;
        for (const auto& [text, at] : *items) {
            auto parsed = parse_day_range(text);
            if (const auto* mask = std::get_if<std::uint8_t>(&parsed)) {
                window.days |= *mask;
            } else {
                reader.diagnostics().error(YamlReader::location(at), "bad-day",
                                           what + ".days: " + std::get<std::string>(parsed) +
                                               "; write mon, tue, wed, thu, fri, sat, sun or a range like mon-fri");
                all_good = false;
            }
        }
    }
    if (const YAML::Node hours = node["hours"]; hours) {
        const auto items = reader.text_list(hours, what + ".hours");
        if (!items) return std::nullopt;
        for (const auto& [text, at] : *items) {
            auto parsed = parse_hour_span(text);
            if (const auto* span = std::get_if<HourSpan>(&parsed)) {
                window.hours.push_back(*span);
            } else {
                reader.diagnostics().error(YamlReader::location(at), "bad-time",
                                           what + ".hours: " + std::get<std::string>(parsed) +
                                               "; write a span of local time like '08:00-18:00' or '19:00-07:00'");
                all_good = false;
            }
        }
    }
    if (!all_good) return std::nullopt;
    return window;
}

// `files:`, which a close_files rule must have and no other may; false when it is wrong.
bool load_files(const YAML::Node& node, const std::string& what, Rule& rule, YamlReader& reader,
                ConditionLoader& conditions) {
    const YAML::Node files = node["files"];
    const YAML::Node action = node["action"];
    if (rule.action != RuleAction::CloseFiles) {
        if (!files) return true;
        // An action that is missing or misspelt has its own error already.
        if (action && action.IsScalar() && parse_action(action.Scalar())) {
            reader.diagnostics().error(YamlReader::location(files), "files-without-close-files",
                                       what + ": files: only goes with action: close_files (this rule's action is " +
                                           action.Scalar() + "); remove it, or write action: close_files");
            return false;
        }
        return true;
    }
    if (!files) {
        reader.diagnostics().error(YamlReader::location(action), "missing-key",
                                   what +
                                       " has action close_files but no files: add which open files it closes, e.g. "
                                       "files: {path: '*.pst', open_for: '> 8h', writes: false}");
        return false;
    }
    if (const YAML::Node allow = node["allow_open_files"]; allow) {
        reader.diagnostics().warning(YamlReader::location(allow), "allow-open-files-ignored",
                                     what +
                                         ": allow_open_files means nothing to a close_files rule, which ends no "
                                         "session; remove it");
    }
    rule.files = load_open_file_selector(files, what + ": files", reader, conditions);
    return rule.files.has_value();
}

std::optional<Rule> load_rule(const YAML::Node& node, std::size_t index, YamlReader& reader,
                              ConditionLoader& conditions) {
    const std::string position = "rule " + std::to_string(index + 1);
    if (!reader.expect_mapping(node, position)) return std::nullopt;
    reader.check_keys(node, kRuleKeys, position);

    Rule rule;
    rule.location = YamlReader::location(node);
    bool all_good = true;

    const YAML::Node name = node["name"];
    if (!name) {
        reader.diagnostics().error(rule.location, "missing-key", position + " has no name: add 'name: <unique-name>'");
        all_good = false;
    } else if (const auto text = reader.text(name, position + ": name")) {
        if (text->empty()) {
            reader.diagnostics().error(YamlReader::location(name), "bad-value", position + ": the name is empty");
            all_good = false;
        }
        rule.name = *text;
    } else {
        all_good = false;
    }
    const std::string what = rule.name.empty() ? position : "rule '" + rule.name + "'";

    if (const YAML::Node n = node["description"]; n) {
        if (const auto text = reader.text(n, what + ": description")) rule.description = *text;
    }
    if (const YAML::Node n = node["enabled"]; n) {
        const auto flag = reader.boolean(n, what + ": enabled");
        all_good = all_good && flag.has_value();
        rule.enabled = flag.value_or(false);
    }
    if (const YAML::Node n = node["action"]; !n) {
        reader.diagnostics().error(rule.location, "missing-key",
                                   what +
                                       " has no action: add 'action: close', 'action: close_files', 'action: keep' or "
                                       "'action: audit'");
        all_good = false;
    } else if (const auto text = reader.text(n, what + ": action")) {
        const auto action = parse_action(*text);
        if (action) {
            rule.action = *action;
        } else {
            reader.diagnostics().error(YamlReader::location(n), "bad-value",
                                       what + ": action must be close, close_files, keep or audit, not '" + *text +
                                           "'" + did_you_mean(*text, kActions));
            all_good = false;
        }
    } else {
        all_good = false;
    }
    if (const YAML::Node n = node["allow_open_files"]; n) {
        const auto flag = reader.boolean(n, what + ": allow_open_files");
        all_good = all_good && flag.has_value();
        rule.allow_open_files = flag.value_or(false);
    }
    if (const YAML::Node n = node["match"]; !n) {
        reader.diagnostics().error(rule.location, "missing-key",
                                   what +
                                       " has no match: add 'match:' with its conditions ('match: {}' matches every "
                                       "session)");
        all_good = false;
    } else if (auto condition = conditions.load(n, what + ": match")) {
        rule.match = std::move(*condition);
    } else {
        all_good = false;
    }
    if (const YAML::Node n = node["except"]; n) {
        if (n.IsMap()) {
            if (auto condition = conditions.load(n, what + ": except")) {
                rule.exceptions.push_back(std::move(*condition));
            } else {
                all_good = false;
            }
        } else if (reader.expect_sequence(n, what + ": except")) {
            std::size_t i = 0;
            for (const YAML::Node& item : n) {
                if (auto condition = conditions.load(item, what + ": except[" + std::to_string(i++) + "]")) {
                    rule.exceptions.push_back(std::move(*condition));
                } else {
                    all_good = false;
                }
            }
        } else {
            all_good = false;
        }
    }
    all_good = load_files(node, what, rule, reader, conditions) && all_good;
    if (const YAML::Node n = node["when"]; n) {
        rule.when = load_when(n, reader, what + ": when");
        all_good = all_good && rule.when.has_value();
    }
    if (!all_good) return std::nullopt;
    return rule;
}

}  // namespace

std::vector<Rule> load_rules(const YAML::Node& node, YamlReader& reader, ConditionLoader& conditions) {
    std::vector<Rule> rules;
    if (node.IsNull()) return rules;
    if (!reader.expect_sequence(node, "rules")) return rules;

    std::set<std::string> names;
    std::size_t index = 0;
    for (const YAML::Node& item : node) {
        bool duplicate = false;
        if (item.IsMap()) {
            if (const YAML::Node name = item["name"]; name && name.IsScalar() && !names.insert(name.Scalar()).second) {
                reader.diagnostics().error(YamlReader::location(name), "duplicate-rule",
                                           "two rules are named '" + name.Scalar() + "': rule names must be unique");
                duplicate = true;
            }
        }
        auto rule = load_rule(item, index++, reader, conditions);
        if (rule && !duplicate) rules.push_back(std::move(*rule));
    }
    return rules;
}

}  // namespace smbreaper::config
