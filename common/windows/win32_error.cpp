#include "common/windows/win32_error.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "common/windows/wide_text.h"

namespace smbreaper::common {

std::string win32_error_text(std::uint32_t code) {
    wchar_t* buffer = nullptr;
    const DWORD length =
        FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                       nullptr, code, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
    std::string text = length > 0 ? to_utf8({buffer, length}) : std::string("unknown error");
    LocalFree(buffer);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    return text + " (Win32 error " + std::to_string(code) + ")";
}

void throw_last_error(const std::string& call) { throw Win32Error(call, GetLastError()); }

}  // namespace smbreaper::common
