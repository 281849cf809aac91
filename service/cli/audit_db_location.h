#pragma once

#include <filesystem>

namespace smbreaper::cli {

// The audit database a policy file names: its settings.audit_db, resolved against the policy
// file's folder (audit.db there by default). Throws std::runtime_error with every located
// problem when the policy is not valid.
std::filesystem::path audit_db_from_policy(const std::filesystem::path& policy_file);

}  // namespace smbreaper::cli
