#include "service/default_paths.h"

namespace smbreaper::service {

std::filesystem::path default_policy_path() { return "/etc/smbreaper/policy.yaml"; }

}  // namespace smbreaper::service
