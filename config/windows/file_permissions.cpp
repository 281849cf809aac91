#include "config/file_permissions.h"

namespace smbreaper {

// Windows has no owner-and-mode bits to judge: who may write a file is in its ACL. The Windows
// service judges the policy file's ACL itself (service/windows/policy_file_security.h) and keeps
// its data folder to Administrators (service/windows/data_folder.h); here every file passes.
std::optional<std::string> unsafe_permissions(const std::filesystem::path&, std::string_view) { return std::nullopt; }

std::optional<std::string> unsafe_opened_file(const OpenedFile&, const std::filesystem::path&, std::string_view) {
    return std::nullopt;
}

}  // namespace smbreaper
