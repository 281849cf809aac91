#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/yaml_reader.h"
#include "rules/condition.h"

namespace smbreaper::config {

// Compiles a condition written in YAML (a mapping of field -> matcher, with all/any/not nested)
// into a Condition, resolving `{in: LIST}` against the policy's lists.
class ConditionLoader {
public:
    ConditionLoader(YamlReader& reader, const std::map<std::string, std::vector<std::string>>& lists)
        : reader_(reader), lists_(lists) {}

    // `what` names the place in messages ("rule 'idle-2h': match").
    std::optional<rules::Condition> load(const YAML::Node& node, const std::string& what);

    // One matcher of a field's kind, as written after `field:` (also for the tests of `files:`,
    // which are written like session fields of the same kind).
    std::optional<rules::TextMatcher> load_text_matcher(rules::Field field, const YAML::Node& node,
                                                        const std::string& what);
    std::optional<std::vector<rules::Comparison>> load_comparisons(const rules::FieldDescriptor& field,
                                                                   const YAML::Node& node, const std::string& what);

    // Whether any loaded condition tests `client` against an address block.
    bool client_networks_used() const { return client_networks_used_; }
    // Names of the lists that conditions referred to.
    const std::vector<std::string>& used_lists() const { return used_lists_; }

private:
    std::optional<rules::Condition> load_field(const rules::FieldDescriptor& field, const YAML::Node& node,
                                               const std::string& what);
    std::optional<rules::Condition> load_group(rules::Condition::Kind kind, const YAML::Node& node,
                                               const std::string& what);
    bool add_text_pattern(rules::TextMatcher& matcher, rules::Field field, const std::string& pattern,
                          const YAML::Node& at, const std::string& what);
    std::optional<rules::InstanceSet> load_instances(const YAML::Node& node, const std::string& what);

    YamlReader& reader_;
    const std::map<std::string, std::vector<std::string>>& lists_;
    bool client_networks_used_ = false;
    std::vector<std::string> used_lists_;
};

}  // namespace smbreaper::config
