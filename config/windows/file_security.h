#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "config/acl_check.h"

namespace smbreaper::config {

// The owner and DACL of a file or folder (GetNamedSecurityInfo). Throws std::runtime_error when
// they cannot be read.
ObjectSecurity read_object_security(const std::filesystem::path& path);

// The SID of the account this process runs as (LocalSystem for the service).
std::string process_account_sid();

// Gives an existing file or folder the owner and DACL of `sddl` (a security descriptor in SDDL,
// "O:BAD:P(A;;FA;;;SY)..."), the DACL protected from inheritance. Throws std::runtime_error.
void apply_security_descriptor(const std::filesystem::path& path, const wchar_t* sddl);

// Gives an existing file or folder Administrators as owner and a protected DACL: SYSTEM and
// Administrators full control, Users read (for a folder: inherited by what is created inside).
// Throws std::runtime_error when it cannot.
void restrict_to_administrators(const std::filesystem::path& path);

}  // namespace smbreaper::config
