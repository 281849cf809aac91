#include "config/condition_loader.h"

#include <array>
#include <charconv>

#include "config/suggestion.h"
#include "rules/duration.h"

namespace smbreaper::config {
using smbreaper::rules::all_fields;
using smbreaper::rules::Comparison;
using smbreaper::rules::Condition;
using smbreaper::rules::Field;
using smbreaper::rules::FieldDescriptor;
using smbreaper::rules::FieldKind;
using smbreaper::rules::FieldTest;
using smbreaper::rules::find_field;
using smbreaper::rules::InstanceSet;
using smbreaper::rules::IpNetwork;
using smbreaper::rules::looks_like_ip_network;
using smbreaper::rules::parse_comparison;
using smbreaper::rules::parse_duration;
using smbreaper::rules::Regex;
using smbreaper::rules::RegexProblem;
using smbreaper::rules::SourceLocation;
using smbreaper::rules::TextMatcher;
using smbreaper::rules::ValueParser;
using smbreaper::sessions::parse_dialect;
using smbreaper::sessions::parse_smb_instance;

namespace {

std::vector<std::string_view> condition_keys() {
    std::vector<std::string_view> keys = {"all", "any", "not"};
    for (const FieldDescriptor& field : all_fields()) keys.push_back(field.name);
    return keys;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
    std::uint64_t value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::uint64_t> parse_dialect_value(std::string_view text) {
    const auto dialect = parse_dialect(text);
    if (!dialect) return std::nullopt;
    return static_cast<std::uint64_t>(*dialect);
}

// What to write instead, per kind of value.
std::string value_hint(FieldKind kind) {
    switch (kind) {
        case FieldKind::Duration:
            return "write a comparison such as '>= 2h', '< 15m', a duration (90s, 15m, 2h, 1d, 1h30m) or a range "
                   "'1h..2h'";
        case FieldKind::Dialect:
            return "write a dialect (2.0.2, 2.1, 3.0, 3.0.2, 3.1.1) or a comparison such as '< 3.0'";
        default: return "write a whole number, a comparison such as '> 0' or '<= 10', or a range '1..5'";
    }
}

}  // namespace

std::optional<Condition> ConditionLoader::load(const YAML::Node& node, const std::string& what) {
    if (!reader_.expect_mapping(node, what)) return std::nullopt;
    static const std::vector<std::string_view> keys = condition_keys();
    reader_.check_keys(node, keys, what);

    Condition all;  // the keys of one mapping must all hold
    bool all_good = true;
    for (const auto& entry : node) {
        if (!entry.first.IsScalar()) continue;  // reported by check_keys
        const std::string key = entry.first.Scalar();
        const std::string inner_what = what + "." + key;
        std::optional<Condition> child;
        if (key == "all") {
            child = load_group(Condition::Kind::All, entry.second, inner_what);
        } else if (key == "any") {
            child = load_group(Condition::Kind::Any, entry.second, inner_what);
        } else if (key == "not") {
            if (auto inner = load(entry.second, inner_what)) {
                child = Condition{Condition::Kind::Not, {std::move(*inner)}, std::nullopt};
            }
        } else if (const auto field = find_field(key)) {
            child = load_field(*field, entry.second, inner_what);
        } else {
            continue;  // reported by check_keys
        }
        if (child) {
            all.children.push_back(std::move(*child));
        } else {
            all_good = false;
        }
    }
    if (!all_good) return std::nullopt;
    if (all.children.size() == 1) return std::move(all.children.front());
    return all;
}

std::optional<Condition> ConditionLoader::load_group(Condition::Kind kind, const YAML::Node& node,
                                                     const std::string& what) {
    if (!reader_.expect_sequence(node, what)) return std::nullopt;
    Condition group{kind, {}, std::nullopt};
    bool all_good = true;
    std::size_t index = 0;
    for (const YAML::Node& item : node) {
        auto child = load(item, what + "[" + std::to_string(index++) + "]");
        if (child) {
            group.children.push_back(std::move(*child));
        } else {
            all_good = false;
        }
    }
    if (all_good && group.children.empty()) {
        reader_.diagnostics().error(YamlReader::location(node), "empty-list",
                                    what + " is an empty list: give at least one condition");
        return std::nullopt;
    }
    if (!all_good) return std::nullopt;
    return group;
}

std::optional<Condition> ConditionLoader::load_field(const FieldDescriptor& field, const YAML::Node& node,
                                                     const std::string& what) {
    FieldTest test;
    test.field = field.field;
    switch (field.kind) {
        case FieldKind::Text: {
            auto matcher = load_text_matcher(field.field, node, what);
            if (!matcher) return std::nullopt;
            test.matcher = std::move(*matcher);
            break;
        }
        case FieldKind::Number:
        case FieldKind::Duration:
        case FieldKind::Dialect: {
            auto comparisons = load_comparisons(field, node, what);
            if (!comparisons) return std::nullopt;
            test.matcher = std::move(*comparisons);
            break;
        }
        case FieldKind::Instance: {
            const auto instances = load_instances(node, what);
            if (!instances) return std::nullopt;
            test.matcher = *instances;
            break;
        }
        case FieldKind::Boolean: {
            const auto flag = reader_.boolean(node, what);
            if (!flag) return std::nullopt;
            test.matcher = *flag;
            break;
        }
    }
    return Condition{Condition::Kind::Test, {}, std::move(test)};
}

std::optional<TextMatcher> ConditionLoader::load_text_matcher(Field field, const YAML::Node& node,
                                                              const std::string& what) {
    TextMatcher matcher;
    if (node.IsMap()) {
        constexpr std::array<std::string_view, 2> keys = {"in", "regex"};
        if (!reader_.check_keys(node, keys, what)) return std::nullopt;
        if (node.size() != 1) {
            reader_.diagnostics().error(YamlReader::location(node), "bad-matcher",
                                        what + " takes one of {in: LIST} or {regex: '...'}; to combine them use any:");
            return std::nullopt;
        }
        if (const YAML::Node list = node["in"]; list) {
            if (list.IsScalar()) {
                const std::string& name = list.Scalar();
                const auto found = lists_.find(name);
                if (found == lists_.end()) {
                    std::vector<std::string_view> names;
                    for (const auto& [list_name, items] : lists_) names.push_back(list_name);
                    reader_.diagnostics().error(YamlReader::location(list), "unknown-list",
                                                what + ": no list named '" + name + "'" + did_you_mean(name, names) +
                                                    "; define it under 'lists:'");
                    return std::nullopt;
                }
                used_lists_.push_back(name);
                matcher.set_list_name(name);
                bool all_good = true;
                for (const std::string& pattern : found->second) {
                    all_good =
                        add_text_pattern(matcher, field, pattern, list, what + " (list '" + name + "')") && all_good;
                }
                return all_good ? std::optional<TextMatcher>(std::move(matcher)) : std::nullopt;
            }
            return load_text_matcher(field, list, what + ".in");
        }
        const YAML::Node regex = node["regex"];
        const auto expression = reader_.text(regex, what + ".regex");
        if (!expression) return std::nullopt;
        auto compiled = Regex::compile(*expression);
        if (const auto* problem = std::get_if<RegexProblem>(&compiled)) {
            const SourceLocation at =
                reader_.diagnostics().within_scalar(YamlReader::location(regex), *expression, problem->offset);
            reader_.diagnostics().error(at, "bad-regex",
                                        what + ": '" + *expression + "' is not a valid regular expression (" +
                                            problem->message + "); " + problem->instead);
            return std::nullopt;
        }
        matcher.add_regex(std::get<Regex>(std::move(compiled)));
        return matcher;
    }

    const auto items = reader_.text_list(node, what);
    if (!items) return std::nullopt;
    bool all_good = true;
    for (const auto& [pattern, at] : *items) all_good = add_text_pattern(matcher, field, pattern, at, what) && all_good;
    if (!all_good) return std::nullopt;
    return matcher;
}

bool ConditionLoader::add_text_pattern(TextMatcher& matcher, Field field, const std::string& pattern,
                                       const YAML::Node& at, const std::string& what) {
    if (field == Field::Client && looks_like_ip_network(pattern)) {
        const auto network = IpNetwork::parse(pattern);
        if (!network) {
            reader_.diagnostics().error(
                YamlReader::location(at), "bad-cidr",
                what + ": '" + pattern + "' is not an address block; write one like 10.20.0.0/16 or fd00::/8");
            return false;
        }
        matcher.add_network(*network, pattern);
        client_networks_used_ = true;
        return true;
    }
    matcher.add_glob(pattern);
    return true;
}

std::optional<std::vector<Comparison>> ConditionLoader::load_comparisons(const FieldDescriptor& field,
                                                                         const YAML::Node& node,
                                                                         const std::string& what) {
    ValueParser parse_value;
    switch (field.kind) {
        case FieldKind::Duration: parse_value = [](std::string_view text) { return parse_duration(text); }; break;
        case FieldKind::Dialect: parse_value = parse_dialect_value; break;
        default: parse_value = parse_count; break;
    }
    const auto items = reader_.text_list(node, what);
    if (!items) return std::nullopt;
    std::vector<Comparison> comparisons;
    bool all_good = true;
    for (const auto& [text, at] : *items) {
        auto parsed = parse_comparison(text, parse_value);
        if (auto* comparison = std::get_if<Comparison>(&parsed)) {
            comparisons.push_back(*comparison);
        } else {
            reader_.diagnostics().error(YamlReader::location(at),
                                        field.kind == FieldKind::Duration ? "bad-duration" : "bad-comparison",
                                        what + ": " + std::get<std::string>(parsed) + "; " + value_hint(field.kind));
            all_good = false;
        }
    }
    if (!all_good) return std::nullopt;
    return comparisons;
}

std::optional<InstanceSet> ConditionLoader::load_instances(const YAML::Node& node, const std::string& what) {
    const auto items = reader_.text_list(node, what);
    if (!items) return std::nullopt;
    InstanceSet set;
    bool all_good = true;
    for (const auto& [text, at] : *items) {
        const auto instance = parse_smb_instance(text);
        if (!instance) {
            constexpr std::array<std::string_view, 4> names = {"Default", "CSV", "SBL", "SR"};
            reader_.diagnostics().error(YamlReader::location(at), "bad-value",
                                        what + ": '" + text + "' is not an SMB instance" + did_you_mean(text, names) +
                                            "; write Default, CSV, SBL or SR");
            all_good = false;
            continue;
        }
        set.mask |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(*instance));
    }
    if (!all_good) return std::nullopt;
    return set;
}

}  // namespace smbreaper::config
