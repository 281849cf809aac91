#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "config/yaml_reader.h"
#include "rules/policy.h"

namespace smbreaper::config {

// Reads the `settings:` mapping (an absent or empty one gives the defaults); paths resolve against
// `policy_folder`. Problems go to the reader's diagnostics; what could not be read keeps its default.
rules::Settings load_settings(const YAML::Node& node, YamlReader& reader, const std::filesystem::path& policy_folder);

}  // namespace smbreaper::config
