#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace smbreaper::sessions {

// What went wrong in a COM or WMI call, in words an administrator can act on, followed by the
// HRESULT and its symbolic name: "connecting to WMI namespace ROOT\Microsoft\Windows\SMB: the
// namespace does not exist: this is not a Windows Server with the SMB server role ... (HRESULT
// 0x8004100E WBEM_E_INVALID_NAMESPACE)". `action` says what was being done; `wmi_namespace` the
// namespace involved, if any (it makes the missing-namespace message specific).
std::string describe_wmi_failure(std::uint32_t hresult, std::string_view action, std::string_view wmi_namespace = {});

}  // namespace smbreaper::sessions

namespace smbreaper::sessions {

// A failed COM or WMI call; what() is describe_wmi_failure()'s text.
class WmiError : public std::runtime_error {
public:
    WmiError(std::uint32_t hresult, std::string_view action, std::string_view wmi_namespace = {})
        : std::runtime_error(describe_wmi_failure(hresult, action, wmi_namespace)), hresult_(hresult) {}
    std::uint32_t hresult() const { return hresult_; }

private:
    std::uint32_t hresult_;
};

}  // namespace smbreaper::sessions
