#include "config/windows/file_security.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <aclapi.h>
#include <sddl.h>

#include <memory>

#include "common/windows/wide_text.h"
#include "common/windows/win32_error.h"

namespace smbreaper::config {
using smbreaper::common::throw_last_error;
using smbreaper::common::to_utf8;
using smbreaper::common::Win32Error;

namespace {

struct LocalFreeDeleter {
    void operator()(void* memory) const { LocalFree(memory); }
};

std::string sid_string(PSID sid) {
    wchar_t* text = nullptr;
    if (!ConvertSidToStringSidW(sid, &text)) return "S-?";
    std::unique_ptr<wchar_t, LocalFreeDeleter> owner(text);
    return to_utf8(text);
}

// DOMAIN\name for a SID; empty when it has none (a deleted account, an unknown domain).
std::string account_name(PSID sid) {
    wchar_t name[256], domain[256];
    DWORD name_length = 256, domain_length = 256;
    SID_NAME_USE use;
    if (!LookupAccountSidW(nullptr, sid, name, &name_length, domain, &domain_length, &use)) return {};
    return domain_length > 0 ? to_utf8(domain) + "\\" + to_utf8(name) : to_utf8(name);
}

AccessControlEntry read_entry(const ACE_HEADER* header) {
    AccessControlEntry entry;
    entry.inherit_only = (header->AceFlags & INHERIT_ONLY_ACE) != 0;
    PSID sid = nullptr;
    if (header->AceType == ACCESS_ALLOWED_ACE_TYPE) {
        const auto* ace = reinterpret_cast<const ACCESS_ALLOWED_ACE*>(header);
        entry.kind = AccessControlEntry::Kind::Allow;
        entry.mask = ace->Mask;
        sid = const_cast<DWORD*>(&ace->SidStart);
    } else if (header->AceType == ACCESS_DENIED_ACE_TYPE) {
        const auto* ace = reinterpret_cast<const ACCESS_DENIED_ACE*>(header);
        entry.kind = AccessControlEntry::Kind::Deny;
        entry.mask = ace->Mask;
        sid = const_cast<DWORD*>(&ace->SidStart);
    } else {
        // Object and callback entries do not occur on files; counted as "other" and ignored.
        entry.kind = AccessControlEntry::Kind::Other;
        return entry;
    }
    entry.sid = sid_string(sid);
    entry.name = account_name(sid);
    return entry;
}

}  // namespace

std::string process_account_sid() {
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) throw_last_error("OpenProcessToken");
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    std::unique_ptr<BYTE[]> buffer(new BYTE[size]);
    const BOOL read = GetTokenInformation(token, TokenUser, buffer.get(), size, &size);
    CloseHandle(token);
    if (!read) throw_last_error("GetTokenInformation(TokenUser)");
    return sid_string(reinterpret_cast<TOKEN_USER*>(buffer.get())->User.Sid);
}

ObjectSecurity read_object_security(const std::filesystem::path& path) {
    PSID owner = nullptr;
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    const DWORD error = GetNamedSecurityInfoW(path.wstring().c_str(), SE_FILE_OBJECT,
                                              OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, nullptr,
                                              &dacl, nullptr, &descriptor);
    if (error != ERROR_SUCCESS) throw Win32Error("GetNamedSecurityInfo(" + path.string() + ")", error);
    std::unique_ptr<void, LocalFreeDeleter> descriptor_owner(descriptor);

    ObjectSecurity security;
    if (owner != nullptr) {
        security.owner_sid = sid_string(owner);
        security.owner_name = account_name(owner);
    }
    security.has_dacl = dacl != nullptr;
    if (dacl != nullptr) {
        for (DWORD index = 0; index < dacl->AceCount; ++index) {
            void* ace = nullptr;
            if (!GetAce(dacl, index, &ace)) throw_last_error("GetAce");
            security.dacl.push_back(read_entry(static_cast<const ACE_HEADER*>(ace)));
        }
    }
    return security;
}

void apply_security_descriptor(const std::filesystem::path& path, const wchar_t* sddl) {
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &descriptor, nullptr))
        throw_last_error("ConvertStringSecurityDescriptorToSecurityDescriptor");
    std::unique_ptr<void, LocalFreeDeleter> descriptor_owner(descriptor);
    PSID owner = nullptr;
    PACL dacl = nullptr;
    BOOL defaulted = FALSE, present = FALSE;
    GetSecurityDescriptorOwner(descriptor, &owner, &defaulted);
    GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted);
    std::wstring name = path.wstring();
    const DWORD error = SetNamedSecurityInfoW(
        name.data(), SE_FILE_OBJECT,
        OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, owner, nullptr,
        dacl, nullptr);
    if (error != ERROR_SUCCESS) throw Win32Error("SetNamedSecurityInfo(" + path.string() + ")", error);
}

void restrict_to_administrators(const std::filesystem::path& path) {
    // Owner Administrators; SYSTEM and Administrators full control, Users read and execute; a
    // folder hands these down to files and subfolders.
    apply_security_descriptor(path, std::filesystem::is_directory(path)
                                        ? L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FRFX;;;BU)"
                                        : L"O:BAD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FRFX;;;BU)");
}

}  // namespace smbreaper::config
