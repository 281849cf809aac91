#include "sessions/wmi/wmi_connection.h"

#include <wbemidl.h>

#include "sessions/wmi/com_runtime.h"
#include "sessions/wmi/wide_text.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper {
namespace {

void check(HRESULT result, const std::string& action, std::string_view wmi_namespace) {
    if (FAILED(result)) throw WmiError(static_cast<std::uint32_t>(result), action, wmi_namespace);
}

}  // namespace

WmiConnection::WmiConnection(std::string wmi_namespace, std::chrono::seconds timeout)
    : namespace_(std::move(wmi_namespace)), timeout_(timeout) {
    ensure_com_on_this_thread();
    const std::string action = "connecting to WMI namespace " + namespace_;
    ComPtr<IWbemLocator> locator;
    check(CoCreateInstance(CLSID_WbemLocator, nullptr, CLSCTX_INPROC_SERVER, IID_IWbemLocator, locator.put_void()),
          action, namespace_);
    const Bstr resource(to_wide(namespace_));
    check(locator->ConnectServer(resource.get(), nullptr, nullptr, nullptr, 0, nullptr, nullptr, services_.put()),
          action, namespace_);
    check(CoSetProxyBlanket(services_.get(), RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, nullptr, RPC_C_AUTHN_LEVEL_CALL,
                            RPC_C_IMP_LEVEL_IMPERSONATE, nullptr, EOAC_NONE),
          action + " (setting the proxy's security)", namespace_);
}

std::vector<WmiObject> WmiConnection::query(std::string_view wql) const {
    ensure_com_on_this_thread();
    const std::string action = "WMI query \"" + std::string(wql) + "\" in " + namespace_;
    const Bstr language(L"WQL");
    const Bstr text(to_wide(wql));
    ComPtr<IEnumWbemClassObject> enumerator;
    check(services_->ExecQuery(language.get(), text.get(), WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY,
                               nullptr, enumerator.put()),
          action, namespace_);

    std::vector<WmiObject> objects;
    const auto timeout_ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(timeout_).count());
    for (;;) {
        ComPtr<IWbemClassObject> object;
        ULONG returned = 0;
        const HRESULT result = enumerator->Next(timeout_ms, 1, object.put(), &returned);
        if (result == WBEM_S_TIMEDOUT)
            throw WmiError(static_cast<std::uint32_t>(WBEM_E_CALL_CANCELLED),
                           action + ": no answer within " + std::to_string(timeout_.count()) + " s", namespace_);
        check(result, action, namespace_);
        if (returned == 0) break;  // WBEM_S_FALSE: the end
        objects.emplace_back(std::move(object));
    }
    return objects;
}

WmiObject WmiConnection::exec_method(std::string_view object_path, std::string_view method) const {
    ensure_com_on_this_thread();
    const std::string action = "calling " + std::string(method) + " on " + std::string(object_path);
    const Bstr path(to_wide(object_path));
    const Bstr name(to_wide(method));
    ComPtr<IWbemClassObject> output;
    check(services_->ExecMethod(path.get(), name.get(), 0, nullptr, nullptr, output.put(), nullptr), action,
          namespace_);
    if (!output) throw WmiError(static_cast<std::uint32_t>(WBEM_E_FAILED), action + ": no output parameters", namespace_);
    return WmiObject(std::move(output));
}

}  // namespace smbreaper
