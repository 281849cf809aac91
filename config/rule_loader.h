#pragma once

#include <vector>

#include "config/condition_loader.h"
#include "rules/policy.h"

namespace smbreaper::config {

// Reads the `rules:` list. Every problem is reported; only rules that read cleanly are returned.
std::vector<rules::Rule> load_rules(const YAML::Node& node, YamlReader& reader, ConditionLoader& conditions);

}  // namespace smbreaper::config
