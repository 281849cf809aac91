#include "service/cli/audit_db_location.h"

#include <stdexcept>

#include "config/policy_loader.h"

namespace smbreaper::cli {
using smbreaper::config::load_policy_file;
using smbreaper::config::PolicyLoadResult;

std::filesystem::path audit_db_from_policy(const std::filesystem::path& policy_file) {
    const PolicyLoadResult loaded = load_policy_file(policy_file);
    if (!loaded.policy) {
        throw std::runtime_error("the policy names the audit database, but it is not valid (or use --db FILE):\n" +
                                 loaded.diagnostics.render_text());
    }
    return loaded.policy->settings.audit_db;
}

}  // namespace smbreaper::cli
