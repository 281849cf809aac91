#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <sddl.h>

#include <memory>
#include <string>
#include <vector>

#include "service/cli/os_user.h"

namespace smbreaper::cli {

namespace {

std::string to_utf8(const wchar_t* text) {
    const int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    if (size <= 1) return {};
    std::string out(static_cast<std::size_t>(size), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), size, nullptr, nullptr);
    out.resize(static_cast<std::size_t>(size - 1));
    return out;
}

}  // namespace

// The process token's user: its SID, and DOMAIN\name as LookupAccountSid gives it.
OsUser current_os_user() {
    OsUser user;
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return user;
    const std::unique_ptr<void, decltype(&CloseHandle)> token_owner(token, &CloseHandle);
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    std::vector<unsigned char> buffer(size);
    if (size == 0 || !GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) return user;
    PSID sid = reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid;

    LPWSTR sid_text = nullptr;
    if (ConvertSidToStringSidW(sid, &sid_text)) {
        user.id = to_utf8(sid_text);
        LocalFree(sid_text);
    }
    wchar_t name[256];
    wchar_t domain[256];
    DWORD name_size = 256, domain_size = 256;
    SID_NAME_USE use;
    if (LookupAccountSidW(nullptr, sid, name, &name_size, domain, &domain_size, &use)) {
        user.name = domain_size > 0 ? to_utf8(domain) + "\\" + to_utf8(name) : to_utf8(name);
    }
    return user;
}

}  // namespace smbreaper::cli
