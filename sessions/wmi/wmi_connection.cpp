#include "sessions/wmi/wmi_connection.h"

#include <wbemidl.h>

#include "common/windows/wide_text.h"
#include "sessions/wmi/com_runtime.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper::sessions {
using smbreaper::common::to_wide;

namespace {

void check(HRESULT result, const std::string& action, std::string_view wmi_namespace) {
    if (FAILED(result)) throw WmiError(static_cast<std::uint32_t>(result), action, wmi_namespace);
}

}  // namespace

bool is_unanswered(const WmiError& error) {
    return error.hresult() == static_cast<std::uint32_t>(WBEM_E_TIMED_OUT) ||
           error.hresult() == static_cast<std::uint32_t>(WBEM_E_CALL_CANCELLED);
}

WmiConnection::WmiConnection(std::string wmi_namespace, WmiTimeouts timeouts, WmiStopFlag stop)
    : namespace_(std::move(wmi_namespace)), timeouts_(timeouts), stop_(std::move(stop)) {
    ensure_com_on_this_thread();
    const std::string action = "connecting to WMI namespace " + namespace_;
    const std::wstring resource = to_wide(namespace_);
    const std::string ns = namespace_;
    // WBEM_FLAG_CONNECT_USE_MAX_WAIT bounds the connection itself to two minutes; the wait here
    // gives up sooner, or when the service stops.
    services_ = run_bounded<ComPtr<IWbemServices>>(
        [resource, action, ns]() {
            ComPtr<IWbemLocator> locator;
            check(CoCreateInstance(CLSID_WbemLocator, nullptr, CLSCTX_INPROC_SERVER, IID_IWbemLocator,
                                   locator.put_void()),
                  action, ns);
            const Bstr name(resource);
            ComPtr<IWbemServices> services;
            check(locator->ConnectServer(name.get(), nullptr, nullptr, nullptr, WBEM_FLAG_CONNECT_USE_MAX_WAIT, nullptr,
                                         nullptr, services.put()),
                  action, ns);
            check(CoSetProxyBlanket(services.get(), RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, nullptr,
                                    RPC_C_AUTHN_LEVEL_CALL, RPC_C_IMP_LEVEL_IMPERSONATE, nullptr, EOAC_NONE),
                  action + " (setting the proxy's security)", ns);
            return services;
        },
        limits(timeouts_.connect), action, namespace_);
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
    for (bool end = false; !end;) {
        ComPtr<IWbemClassObject> object;
        wait_in_slices(
            [&](std::chrono::milliseconds slice) {
                ULONG returned = 0;
                const HRESULT result = enumerator->Next(static_cast<long>(slice.count()), 1, object.put(), &returned);
                if (result == WBEM_S_TIMEDOUT) return false;
                check(result, action, namespace_);
                end = returned == 0;  // WBEM_S_FALSE: the end
                return true;
            },
            limits(timeouts_.query), action, namespace_);
        if (!end) objects.emplace_back(std::move(object));
    }
    return objects;
}

std::optional<WmiObject> WmiConnection::exec_method(std::string_view object_path, std::string_view method) const {
    ensure_com_on_this_thread();
    const std::string action = "calling " + std::string(method) + " on " + std::string(object_path);
    const std::wstring path = to_wide(object_path);
    const std::wstring name = to_wide(method);
    // Semisynchronous: Windows returns at once with a call result to wait on. The call itself
    // still runs on a thread of its own, bounded, for implementations that block in it anyway.
    auto shared_services = std::make_shared<ComPtr<IWbemServices>>(services_.share());
    ComPtr<IWbemCallResult> call_result = run_bounded<ComPtr<IWbemCallResult>>(
        [shared_services, path, name, action, ns = namespace_]() {
            const Bstr path_text(path);
            const Bstr name_text(name);
            ComPtr<IWbemCallResult> result;
            check((*shared_services)
                      ->ExecMethod(path_text.get(), name_text.get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, nullptr,
                                   nullptr, result.put()),
                  action, ns);
            return result;
        },
        limits(timeouts_.method), action, namespace_);
    if (!call_result) return std::nullopt;

    ComPtr<IWbemClassObject> output;
    wait_in_slices(
        [&](std::chrono::milliseconds slice) {
            const HRESULT result = call_result->GetResultObject(static_cast<long>(slice.count()), output.put());
            if (result == WBEM_S_TIMEDOUT) return false;
            check(result, action, namespace_);
            return true;
        },
        limits(timeouts_.method), action, namespace_);
    if (!output)
        throw WmiError(static_cast<std::uint32_t>(WBEM_E_FAILED), action + ": no output parameters", namespace_);
    return WmiObject(std::move(output));
}

}  // namespace smbreaper::sessions
