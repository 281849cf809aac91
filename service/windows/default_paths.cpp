#include "service/default_paths.h"

#include "service/windows/data_folder.h"

namespace smbreaper::service {
using smbreaper::daemon::smbreaper_data_folder;

std::filesystem::path default_policy_path() { return smbreaper_data_folder() / L"policy.yaml"; }

}  // namespace smbreaper::service
