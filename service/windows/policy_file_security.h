#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "service/windows/policy_acl_check.h"

namespace smbreaper {

// The owner and DACL of a file or folder (GetNamedSecurityInfo). Throws std::runtime_error when
// they cannot be read.
ObjectSecurity read_object_security(const std::filesystem::path& path);

// The refusal message when others than Administrators, SYSTEM and the account this process runs
// as can change the policy file or replace it through its folder; nullopt when the file is safe
// to obey. A file whose permissions
// cannot be read is refused too. A missing file is left to the policy loader to report.
std::optional<std::string> check_policy_file_security(const std::filesystem::path& policy_file);

// Gives an existing file or folder the owner and DACL of `sddl` (a security descriptor in SDDL,
// "O:BAD:P(A;;FA;;;SY)..."), the DACL protected from inheritance. Throws std::runtime_error.
void apply_security_descriptor(const std::filesystem::path& path, const wchar_t* sddl);

// Gives an existing file or folder Administrators as owner and a protected DACL: SYSTEM and
// Administrators full control, Users read (for a folder: inherited by what is created inside).
// Throws std::runtime_error when it cannot.
void restrict_to_administrators(const std::filesystem::path& path);

}  // namespace smbreaper
