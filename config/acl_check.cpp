#include "config/acl_check.h"

#include <algorithm>
#include <string_view>

namespace smbreaper::config {
namespace {

constexpr std::string_view kLocalSystem = "S-1-5-18";
constexpr std::string_view kAdministrators = "S-1-5-32-544";
constexpr std::string_view kTrustedInstaller = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";
// OWNER RIGHTS: an entry for it applies to whoever owns the object.
constexpr std::string_view kOwnerRights = "S-1-3-4";

bool trusted(std::string_view sid, std::string_view service_account) {
    return sid == kLocalSystem || sid == kAdministrators || sid == kTrustedInstaller ||
           (!service_account.empty() && sid == service_account);
}

std::string trustee(const std::string& name, const std::string& sid) {
    return name.empty() ? sid : name + " (" + sid + ")";
}

std::string join(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += (text.empty() ? "" : "; ") + line;
    return text;
}

}  // namespace

std::vector<std::string> untrusted_writers(const ObjectSecurity& security, std::uint32_t rights,
                                           const std::string& service_account) {
    std::vector<std::string> writers;
    const auto note = [&writers](std::string line) {
        if (std::find(writers.begin(), writers.end(), line) == writers.end()) writers.push_back(std::move(line));
    };
    if (!trusted(security.owner_sid, service_account))
        note(trustee(security.owner_name, security.owner_sid) + " owns it (an owner can change its permissions)");
    if (!security.has_dacl) note("Everyone (it has no access control list at all)");
    for (const AccessControlEntry& entry : security.dacl) {
        if (entry.kind != AccessControlEntry::Kind::Allow || entry.inherit_only || (entry.mask & rights) == 0) continue;
        const bool owner_entry = entry.sid == kOwnerRights;
        const std::string& sid = owner_entry ? security.owner_sid : entry.sid;
        if (trusted(sid, service_account)) continue;
        note(trustee(owner_entry ? security.owner_name : entry.name, sid) + " may change it");
    }
    return writers;
}

std::optional<std::string> trusted_file_refusal(const TrustedFileRole& role, const std::string& file,
                                                const ObjectSecurity* file_security, const std::string& folder,
                                                const ObjectSecurity& folder_security,
                                                const std::string& service_account) {
    const auto file_writers = file_security ? untrusted_writers(*file_security, kFileChangeRights, service_account)
                                            : std::vector<std::string>{};
    const auto folder_writers = untrusted_writers(folder_security, role.folder_rights, service_account);
    if (file_writers.empty() && folder_writers.empty()) return std::nullopt;
    std::string message = "refusing " + std::string(role.what) + ": " + std::string(role.why) +
                          ", so only Administrators and SYSTEM may be able to change it, but ";
    if (!file_writers.empty()) message += "on " + file + ": " + join(file_writers);
    if (!file_writers.empty() && !folder_writers.empty()) message += ", and ";
    const char* consequence = role.folder_rights == kTrailFolderRights
                                  ? " (which could replace it, or plant files beside it)"
                                  : " (which could replace it)";
    if (!folder_writers.empty()) message += "on its folder " + folder + consequence + ": " + join(folder_writers);
    message +=
        ". Make Administrators the owner and remove the others' write access (see docs/WINDOWS.md, "
        "\"Permissions\")";
    return message;
}

}  // namespace smbreaper::config
