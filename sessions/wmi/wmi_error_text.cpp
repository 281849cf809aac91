#include "sessions/wmi/wmi_error_text.h"

#include <cstdio>

#include "sessions/wmi/smb_session_mapping.h"

namespace smbreaper::sessions {
namespace {

struct KnownFailure {
    std::uint32_t hresult;
    const char* name;
    const char* explanation;
};

constexpr const char* kRunAsAdministrator =
    "access denied: run smbreaper as a local administrator (the service runs as LocalSystem); reading "
    "MSFT_SmbSession and calling ForceClose need administrative rights";

constexpr KnownFailure kKnownFailures[] = {
    {0x8004100E, "WBEM_E_INVALID_NAMESPACE", nullptr},  // worded below, with the namespace
    {0x80070005, "E_ACCESSDENIED", kRunAsAdministrator},
    {0x80041003, "WBEM_E_ACCESS_DENIED", kRunAsAdministrator},
    {0x80041010, "WBEM_E_INVALID_CLASS", "the class does not exist in this namespace"},
    {0x80004001, "E_NOTIMPL", "this system does not implement the call (Wine's Windows Firewall lists no rules)"},
    {0x80041017, "WBEM_E_INVALID_QUERY", "WMI rejected the query"},
    {0x80041002, "WBEM_E_NOT_FOUND", "the instance does not exist (any more)"},
    {0x8004102E, "WBEM_E_INVALID_METHOD", "the class has no such method"},
    {0x80041008, "WBEM_E_INVALID_PARAMETER", "WMI rejected a parameter"},
    {0x80041013, "WBEM_E_PROVIDER_LOAD_FAILURE", "the WMI provider for this class failed to load"},
    {0x80041014, "WBEM_E_INITIALIZATION_FAILURE", "the WMI provider failed to initialise"},
    {0x80041001, "WBEM_E_FAILED", "the WMI provider reported a failure"},
    {0x8004100C, "WBEM_E_NOT_SUPPORTED", "the WMI provider does not support this operation"},
    {0x80041032, "WBEM_E_CALL_CANCELLED", "the call was cancelled"},
    {0x80040154, "REGDB_E_CLASSNOTREG",
     "WMI is not available on this system (the WbemLocator class is not registered)"},
    {0x800706BA, "RPC_S_SERVER_UNAVAILABLE", "the WMI service (winmgmt) cannot be reached: is it running?"},
    {0x80010106, "RPC_E_CHANGED_MODE", "COM was already initialised on this thread in another threading model"},
    {0x80004005, "E_FAIL", "unspecified failure"},
    {0x8007000E, "E_OUTOFMEMORY", "out of memory"},
};

std::string hex(std::uint32_t hresult) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(hresult));
    return text;
}

}  // namespace

std::string describe_wmi_failure(std::uint32_t hresult, std::string_view action, std::string_view wmi_namespace) {
    std::string explanation = "unexpected failure";
    std::string code = "HRESULT " + hex(hresult);
    for (const KnownFailure& known : kKnownFailures) {
        if (known.hresult != hresult) continue;
        code += std::string(" ") + known.name;
        if (known.explanation != nullptr) explanation = known.explanation;
        break;
    }
    if (hresult == 0x8004100E) {
        explanation = "namespace " + std::string(wmi_namespace.empty() ? "?" : wmi_namespace) + " not found";
        if (wmi_namespace == kSmbNamespace)
            explanation +=
                ": this is not a Windows Server with the SMB server role (Windows Server 2012 or later, "
                "File and Storage Services), so MSFT_SmbSession cannot be read here; use `source: snapshot:PATH` "
                "to try a policy on a saved table";
    }
    return std::string(action) + ": " + explanation + " (" + code + ")";
}

}  // namespace smbreaper::sessions
