#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smbreaper::config {

// Who may change a file the service trusts, on Windows: a file's or folder's owner and access
// control list as the Windows API reports them (read by config/windows/file_security.cpp), in
// plain values so that the decision below is tested on every platform.
struct AccessControlEntry {
    enum class Kind { Allow, Deny, Other };
    Kind kind = Kind::Allow;
    std::string sid;   // "S-1-5-32-545"
    std::string name;  // "BUILTIN\Users"; empty when the SID has no name
    std::uint32_t mask = 0;
    bool inherit_only = false;  // only handed down to children: grants nothing on the object itself
};

struct ObjectSecurity {
    std::string owner_sid;
    std::string owner_name;
    bool has_dacl = true;  // false: a NULL DACL, which lets everyone do everything
    std::vector<AccessControlEntry> dacl;
};

// The access rights that let a trustee change what a file says: write or append data, delete it,
// change its permissions or its owner (and the generic rights that imply them).
inline constexpr std::uint32_t kFileChangeRights =
    0x0002 | 0x0004 | 0x00010000 | 0x00040000 | 0x00080000 | 0x10000000 | 0x40000000;
// The rights on its folder that let a trustee replace a file: delete any child, change the
// folder's permissions or owner (and the generic rights that imply them). Creating new files
// there is harmless: an existing file cannot be overwritten that way.
inline constexpr std::uint32_t kFolderReplaceRights = 0x0040 | 0x00040000 | 0x00080000 | 0x10000000 | 0x40000000;

// Who, besides Administrators, SYSTEM, TrustedInstaller and `service_account` (the SID the
// service runs as: LocalSystem normally; whoever controls that account controls the service
// anyway), can exercise `rights` on the object: one line per trustee ("BUILTIN\Users
// (S-1-5-32-545) may change it"), empty when nobody. The owner counts, since an owner can always
// rewrite the permissions. Deny entries are not subtracted: the check errs on the side of refusing.
std::vector<std::string> untrusted_writers(const ObjectSecurity& security, std::uint32_t rights,
                                           const std::string& service_account = {});

// The rights on the audit trail's folder that let a trustee tamper with the trail: those that
// replace a file, and creating files or folders there, for SQLite takes an `audit.db-journal` or
// `audit.db-wal` it finds beside the trail for its own and replays it into the trail.
inline constexpr std::uint32_t kTrailFolderRights = kFolderReplaceRights | 0x0002 | 0x0004;

// What a trusted file is, for the refusal's words and the folder rights that matter.
struct TrustedFileRole {
    std::string_view what;        // "the policy file"
    std::string_view why;         // "it decides which sessions are disconnected"
    std::uint32_t folder_rights;  // kFolderReplaceRights or kTrailFolderRights
};
inline constexpr TrustedFileRole kPolicyFileRole{"the policy file", "it decides which sessions are disconnected",
                                                 kFolderReplaceRights};
inline constexpr TrustedFileRole kAuditTrailRole{"the audit trail", "it is the record of every closure",
                                                 kTrailFolderRights};
inline constexpr TrustedFileRole kProgramRole{"the program", "the service runs it", kFolderReplaceRights};

// The refusal for a trusted file whose file or folder others can change, or nullopt when only
// trusted principals can. `file_security` is null for a file that does not exist yet (its
// folder is judged alone). `file` and `folder` name them in the message.
std::optional<std::string> trusted_file_refusal(const TrustedFileRole& role, const std::string& file,
                                                const ObjectSecurity* file_security, const std::string& folder,
                                                const ObjectSecurity& folder_security,
                                                const std::string& service_account = {});

}  // namespace smbreaper::config
