#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/diagnostics.h"
#include "rules/policy.h"

namespace smbreaper {

// The source `settings.source: auto` means on this platform (samba on Linux, wmi on Windows).
SourceSetting::Kind platform_default_source();

// Whether `source` provides `field` (rules/field.h); a test on a field it does not provide is
// unknown for every session. A snapshot provides what its writer knew: any field.
bool source_provides(SourceSetting::Kind source, Field field);

// Warnings about a policy that loads but may not do what its author meant: rules that can never
// fire because an earlier rule matches everything they match (in the plain cases: conjunctions of
// single-field tests), close rules with no idle or age condition, fields the configured source
// cannot provide, lists nobody uses, a policy with no rules.
void lint_policy(const Policy& policy, const YAML::Node& root, const std::vector<std::string>& used_lists,
                 Diagnostics& diagnostics);

}  // namespace smbreaper
