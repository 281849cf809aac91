#pragma once

#include <filesystem>

namespace smbreaper::cli {

// The audit database a policy file names: `settings.audit_db`, resolved against the policy
// file's folder, or `audit.db` in that folder when the key is absent. Reads only that one key;
// throws std::runtime_error with the file (and line) when the file cannot be read or the key is
// not a string. To be replaced by the policy loader's settings once the loader exists.
std::filesystem::path audit_db_from_policy(const std::filesystem::path& policy_file);

}  // namespace smbreaper::cli
