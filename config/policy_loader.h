#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "config/diagnostics.h"
#include "rules/policy.h"

namespace smbreaper::config {

struct PolicyLoadResult {
    std::optional<rules::Policy> policy;  // present only when the file has no errors
    Diagnostics diagnostics;              // every error and warning, located
};

// The largest policy file read.
inline constexpr std::uint64_t kMaxPolicyBytes = std::uint64_t{4} * 1024 * 1024;

// Reads, validates and compiles a policy file: a regular file (a FIFO, a device or a folder is
// refused without blocking) of at most kMaxPolicyBytes. Never throws for anything in the file.
PolicyLoadResult load_policy_file(const std::filesystem::path& file);

// The same for text already in memory; `file` names it in messages and anchors relative paths.
PolicyLoadResult load_policy_text(std::string_view text, const std::filesystem::path& file);

}  // namespace smbreaper::config
