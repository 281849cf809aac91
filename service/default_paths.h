#pragma once

#include <filesystem>

namespace smbreaper::service {

// Where the policy lives when no --policy is given: /etc/smbreaper/policy.yaml on Linux,
// %ProgramData%\smbreaper\policy.yaml on Windows (service/posix/, service/windows/).
std::filesystem::path default_policy_path();

}  // namespace smbreaper::service
