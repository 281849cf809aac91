#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "config/diagnostics.h"
#include "rules/policy.h"

namespace smbreaper {

struct PolicyLoadResult {
    std::optional<Policy> policy;  // present only when the file has no errors
    Diagnostics diagnostics;       // every error and warning, located
};

// Reads, validates and compiles a policy file. Never throws for anything in the file.
PolicyLoadResult load_policy_file(const std::filesystem::path& file);

// The same for text already in memory; `file` names it in messages and anchors relative paths.
PolicyLoadResult load_policy_text(std::string_view text, const std::filesystem::path& file);

}  // namespace smbreaper
