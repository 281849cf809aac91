#include "service/windows/event_source.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <string>

#include "common/windows/wide_text.h"
#include "common/windows/win32_error.h"

namespace smbreaper::daemon {
using smbreaper::common::to_wide;
using smbreaper::common::Win32Error;

namespace {

std::wstring source_key() {
    return L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + to_wide(kEventSourceName);
}

}  // namespace

void register_event_source(const std::filesystem::path& message_file) {
    HKEY key = nullptr;
    LSTATUS status =
        RegCreateKeyExW(HKEY_LOCAL_MACHINE, source_key().c_str(), 0, nullptr, 0, KEY_SET_VALUE, nullptr, &key, nullptr);
    if (status != ERROR_SUCCESS)
        throw Win32Error("RegCreateKeyEx(EventLog source)", static_cast<std::uint32_t>(status));
    const std::wstring file = message_file.wstring();
    const DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
    status = RegSetValueExW(key, L"EventMessageFile", 0, REG_EXPAND_SZ, reinterpret_cast<const BYTE*>(file.c_str()),
                            static_cast<DWORD>((file.size() + 1) * sizeof(wchar_t)));
    if (status == ERROR_SUCCESS)
        status =
            RegSetValueExW(key, L"TypesSupported", 0, REG_DWORD, reinterpret_cast<const BYTE*>(&types), sizeof types);
    RegCloseKey(key);
    if (status != ERROR_SUCCESS) throw Win32Error("RegSetValueEx(EventLog source)", static_cast<std::uint32_t>(status));
}

void unregister_event_source() { RegDeleteKeyW(HKEY_LOCAL_MACHINE, source_key().c_str()); }

}  // namespace smbreaper::daemon
