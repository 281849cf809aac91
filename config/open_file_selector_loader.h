#pragma once

#include <optional>
#include <string>

#include "config/condition_loader.h"
#include "config/yaml_reader.h"
#include "rules/open_file_selector.h"

namespace smbreaper::config {

// Loads the `files:` of a close_files rule: a mapping of path (text, like open_paths), open_for
// (a duration comparison, like oldest_open) and writes (true or false), at least one of them.
std::optional<rules::OpenFileSelector> load_open_file_selector(const YAML::Node& node, const std::string& what,
                                                               YamlReader& reader, ConditionLoader& conditions);

}  // namespace smbreaper::config
