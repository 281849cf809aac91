#include "config/yaml_reader.h"

#include <charconv>
#include <set>

#include "config/suggestion.h"
#include "rules/duration.h"

namespace smbreaper::config {
using smbreaper::rules::format_duration;
using smbreaper::rules::parse_duration;
using smbreaper::rules::SourceLocation;

std::string_view node_kind_name(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Scalar: return "a value";
        case YAML::NodeType::Null: return "nothing";
        case YAML::NodeType::Undefined: return "nothing";
    }
    return "nothing";
}

SourceLocation YamlReader::location(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0) return {};
    return {mark.line + 1, mark.column + 1};
}

bool YamlReader::expect_mapping(const YAML::Node& node, std::string_view what) {
    if (node.IsMap()) return true;
    diagnostics_.error(
        location(node), "wrong-type",
        std::string(what) + " must be a mapping of 'key: value' lines, not " + std::string(node_kind_name(node)));
    return false;
}

bool YamlReader::expect_sequence(const YAML::Node& node, std::string_view what) {
    if (node.IsSequence()) return true;
    diagnostics_.error(
        location(node), "wrong-type",
        std::string(what) + " must be a list ('- item' lines or [a, b]), not " + std::string(node_kind_name(node)));
    return false;
}

bool YamlReader::check_keys(const YAML::Node& mapping, std::span<const std::string_view> allowed,
                            std::string_view what) {
    bool all_good = true;
    std::set<std::string> seen;
    for (const auto& entry : mapping) {
        const YAML::Node& key = entry.first;
        if (!key.IsScalar()) {
            diagnostics_.error(location(key), "bad-key", "keys in " + std::string(what) + " must be plain words");
            all_good = false;
            continue;
        }
        const std::string& name = key.Scalar();
        if (!seen.insert(name).second) {
            diagnostics_.error(location(key), "duplicate-key",
                               "'" + name + "' is given twice in " + std::string(what) + ": keep one");
            all_good = false;
            continue;
        }
        bool known = false;
        for (std::string_view candidate : allowed) known = known || candidate == name;
        if (!known) {
            std::string expected;
            for (std::string_view candidate : allowed)
                expected += (expected.empty() ? "" : ", ") + std::string(candidate);
            diagnostics_.error(location(key), "unknown-key",
                               "unknown key '" + name + "' in " + std::string(what) + did_you_mean(name, allowed) +
                                   "; expected one of: " + expected);
            all_good = false;
        }
    }
    return all_good;
}

std::optional<std::string> YamlReader::text(const YAML::Node& node, std::string_view what) {
    // YAML's "\0" escape can put a NUL byte in a value; a path or program name holding one would be
    // cut short there by the operating system, silently naming another file.
    if (node.IsScalar() && node.Scalar().find('\0') != std::string::npos) {
        diagnostics_.error(location(node), "binary",
                           std::string(what) + " holds a NUL byte (\\0): no name or path can");
        return std::nullopt;
    }
    if (node.IsScalar()) return node.Scalar();
    diagnostics_.error(location(node), "wrong-type",
                       std::string(what) + " must be a single value, not " + std::string(node_kind_name(node)));
    return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, std::string_view what) {
    const auto value = text(node, what);
    if (!value) return std::nullopt;
    if (*value == "true" || *value == "True" || *value == "TRUE") return true;
    if (*value == "false" || *value == "False" || *value == "FALSE") return false;
    diagnostics_.error(location(node), "wrong-type",
                       std::string(what) + " must be true or false, not '" + *value + "'");
    return std::nullopt;
}

std::optional<std::uint64_t> YamlReader::whole_number(const YAML::Node& node, std::string_view what, std::uint64_t min,
                                                      std::uint64_t max) {
    const auto value = text(node, what);
    if (!value) return std::nullopt;
    std::uint64_t number = 0;
    const auto result = std::from_chars(value->data(), value->data() + value->size(), number);
    if (value->empty() || result.ec != std::errc() || result.ptr != value->data() + value->size()) {
        diagnostics_.error(location(node), "wrong-type",
                           std::string(what) + " must be a whole number, not '" + *value + "'");
        return std::nullopt;
    }
    if (number < min || number > max) {
        diagnostics_.error(location(node), "out-of-range",
                           std::string(what) + " must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + ", not " + *value);
        return std::nullopt;
    }
    return number;
}

std::optional<double> YamlReader::fraction(const YAML::Node& node, std::string_view what) {
    const auto value = text(node, what);
    if (!value) return std::nullopt;
    double number = 0;
    const auto result = std::from_chars(value->data(), value->data() + value->size(), number);
    if (value->empty() || result.ec != std::errc() || result.ptr != value->data() + value->size()) {
        diagnostics_.error(location(node), "wrong-type",
                           std::string(what) + " must be a number such as 0.5, not '" + *value + "'");
        return std::nullopt;
    }
    if (!(number > 0.0 && number <= 1.0)) {
        diagnostics_.error(
            location(node), "out-of-range",
            std::string(what) + " must be above 0 and at most 1 (0.5 means half of all sessions), not " + *value);
        return std::nullopt;
    }
    return number;
}

std::optional<std::uint64_t> YamlReader::duration(const YAML::Node& node, std::string_view what,
                                                  std::uint64_t min_seconds, std::uint64_t max_seconds) {
    const auto value = text(node, what);
    if (!value) return std::nullopt;
    const auto seconds = parse_duration(*value);
    if (!seconds) {
        diagnostics_.error(location(node), "bad-duration",
                           std::string(what) + ": '" + *value +
                               "' is not a duration; write a number and a unit, like 90s, 15m, 2h, 1d or 1h30m");
        return std::nullopt;
    }
    if (*seconds < min_seconds || *seconds > max_seconds) {
        diagnostics_.error(location(node), "out-of-range",
                           std::string(what) + " must be between " + format_duration(min_seconds) + " and " +
                               format_duration(max_seconds) + ", not " + *value);
        return std::nullopt;
    }
    return seconds;
}

std::optional<std::vector<std::pair<std::string, YAML::Node>>> YamlReader::text_list(const YAML::Node& node,
                                                                                     std::string_view what) {
    std::vector<std::pair<std::string, YAML::Node>> items;
    if (node.IsScalar()) {
        auto value = text(node, what);
        if (!value) return std::nullopt;
        items.emplace_back(std::move(*value), node);
        return items;
    }
    if (!node.IsSequence()) {
        diagnostics_.error(
            location(node), "wrong-type",
            std::string(what) + " must be a value or a list of values, not " + std::string(node_kind_name(node)));
        return std::nullopt;
    }
    bool all_good = true;
    for (const YAML::Node& item : node) {
        if (!item.IsScalar()) {
            diagnostics_.error(
                location(item), "wrong-type",
                "items of " + std::string(what) + " must be single values, not " + std::string(node_kind_name(item)));
            all_good = false;
            continue;
        }
        auto value = text(item, "an item of " + std::string(what));
        if (!value) {
            all_good = false;
            continue;
        }
        items.emplace_back(std::move(*value), item);
    }
    if (items.empty() && all_good) {
        diagnostics_.error(location(node), "empty-list",
                           std::string(what) + " is an empty list: it would match nothing");
        return std::nullopt;
    }
    if (!all_good) return std::nullopt;
    return items;
}

}  // namespace smbreaper::config
