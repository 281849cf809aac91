#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace smbreaper::common {

// "Access is denied. (Win32 error 5)": FormatMessage's text for a Win32 error code.
std::string win32_error_text(std::uint32_t code);

// A failed Win32 call: "OpenSCManager: Access is denied. (Win32 error 5)".
class Win32Error : public std::runtime_error {
public:
    Win32Error(const std::string& call, std::uint32_t code)
        : std::runtime_error(call + ": " + win32_error_text(code)), code_(code) {}
    std::uint32_t code() const { return code_; }

private:
    std::uint32_t code_;
};

// Throws Win32Error for GetLastError() after `call` failed.
[[noreturn]] void throw_last_error(const std::string& call);

}  // namespace smbreaper::common
