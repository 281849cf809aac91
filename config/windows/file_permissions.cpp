#include "config/file_permissions.h"

#include "common/utf8.h"
#include "config/acl_check.h"
#include "config/windows/file_security.h"

namespace smbreaper::config {
using smbreaper::common::OpenedFile;
using smbreaper::common::utf8_of;

namespace {

const TrustedFileRole& role_of(TrustedFile kind) {
    switch (kind) {
        case TrustedFile::Policy: return kPolicyFileRole;
        case TrustedFile::AuditTrail: return kAuditTrailRole;
        case TrustedFile::Program: return kProgramRole;
    }
    return kPolicyFileRole;
}

}  // namespace

std::string_view name_of(TrustedFile kind) { return role_of(kind).what; }

std::optional<std::string> unsafe_permissions(const std::filesystem::path& file, TrustedFile kind) {
    const TrustedFileRole& role = role_of(kind);
    std::error_code ignored;
    const std::filesystem::path absolute = std::filesystem::absolute(file, ignored);
    const std::filesystem::path folder = absolute.parent_path();
    if (!std::filesystem::exists(folder, ignored)) return std::nullopt;  // for whoever opens the file to report
    try {
        const bool exists = std::filesystem::exists(absolute, ignored);
        const std::optional<ObjectSecurity> file_security =
            exists ? std::optional<ObjectSecurity>(read_object_security(absolute)) : std::nullopt;
        return trusted_file_refusal(role, utf8_of(absolute), file_security ? &*file_security : nullptr, utf8_of(folder),
                                    read_object_security(folder), process_account_sid());
    } catch (const std::exception& error) {
        return "refusing " + std::string(role.what) + ": its permissions cannot be read: " + error.what();
    }
}

// Windows' owners and ACLs are judged by path, above; the opened file adds nothing to judge.
std::optional<std::string> unsafe_opened_file(const OpenedFile&, const std::filesystem::path&, TrustedFile) {
    return std::nullopt;
}

}  // namespace smbreaper::config
