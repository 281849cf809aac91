#include "config/file_permissions.h"

namespace smbreaper {

// Windows has no owner-and-mode-bits to judge: who may write a file is in its ACL, and judging
// ACLs is not done yet (docs/SECURITY.md lists it as not defended on Windows). Every file passes.
std::optional<std::string> unsafe_permissions(const std::filesystem::path&, std::string_view) { return std::nullopt; }

}  // namespace smbreaper
