#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/diagnostics.h"
#include "rules/policy.h"

namespace smbreaper {

// The source `settings.source: auto` means on this platform (samba on Linux, wmi on Windows).
SourceSetting::Kind platform_default_source();

// Which fields a source can provide; a rule on any other field never matches there.
std::vector<Field> fields_not_provided_by(SourceSetting::Kind source);

// Warnings about a policy that loads but may not do what its author meant: rules that can never
// fire because an earlier rule matches everything they match (in the plain cases: conjunctions of
// single-field tests), close rules with no idle or age condition, fields the configured source
// cannot provide, lists nobody uses, a policy with no rules.
void lint_policy(const Policy& policy, const YAML::Node& root, const std::vector<std::string>& used_lists,
                 Diagnostics& diagnostics);

}  // namespace smbreaper
