#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/diagnostics.h"
#include "rules/policy.h"

namespace smbreaper::config {

// Warnings about a policy that loads but may not do what its author meant: rules that can never
// fire because an earlier rule matches everything they match (in the plain cases: conjunctions of
// single-field tests), close rules with no idle or age condition, fields the configured source
// cannot provide, settings sections the configured source does not read, lists nobody uses, a
// policy with no rules.
void lint_policy(const rules::Policy& policy, const YAML::Node& root, const std::vector<std::string>& used_lists,
                 Diagnostics& diagnostics);

}  // namespace smbreaper::config
