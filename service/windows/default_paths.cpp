#include "service/default_paths.h"

#include "service/windows/data_folder.h"

namespace smbreaper {

std::filesystem::path default_policy_path() { return smbreaper_data_folder() / L"policy.yaml"; }

}  // namespace smbreaper
