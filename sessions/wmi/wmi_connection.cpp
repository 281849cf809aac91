#include "sessions/wmi/wmi_connection.h"

#include <wbemidl.h>

#include <new>

#include "common/windows/wide_text.h"
#include "sessions/wmi/com_runtime.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper::sessions {
using smbreaper::common::to_wide;

namespace {

void check(HRESULT result, const std::string& action, std::string_view wmi_namespace) {
    if (FAILED(result)) throw WmiError(static_cast<std::uint32_t>(result), action, wmi_namespace);
}

// An array of strings as a VARIANT (VT_ARRAY | VT_BSTR), cleared when it goes.
class StringArrayVariant {
public:
    explicit StringArrayVariant(const std::vector<std::string>& texts) {
        VariantInit(&variant_);
        SAFEARRAY* array = SafeArrayCreateVector(VT_BSTR, 0, static_cast<ULONG>(texts.size()));
        if (array == nullptr) throw std::bad_alloc();
        for (LONG i = 0; i < static_cast<LONG>(texts.size()); ++i) {
            const std::wstring wide = to_wide(texts[static_cast<std::size_t>(i)]);
            BSTR text = SysAllocStringLen(wide.data(), static_cast<UINT>(wide.size()));
            SafeArrayPutElement(array, &i, text);  // copies the string
            SysFreeString(text);
        }
        variant_.vt = VT_ARRAY | VT_BSTR;
        variant_.parray = array;
    }
    ~StringArrayVariant() { VariantClear(&variant_); }
    StringArrayVariant(const StringArrayVariant&) = delete;
    StringArrayVariant& operator=(const StringArrayVariant&) = delete;
    VARIANT* get() { return &variant_; }

private:
    VARIANT variant_;
};

// The class an object path names: `MSFT_SmbShare` of `MSFT_SmbShare.Name="x",ScopeName="*"`.
std::wstring class_of(std::wstring_view path) {
    const auto colon = path.find(L':');
    if (colon != std::wstring_view::npos) path.remove_prefix(colon + 1);
    return std::wstring(path.substr(0, path.find(L'.')));
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

std::optional<WmiObject> WmiConnection::exec_method(std::string_view object_path, std::string_view method,
                                                    const WmiArguments& arguments) const {
    ensure_com_on_this_thread();
    const std::string action = "calling " + std::string(method) + " on " + std::string(object_path);
    const std::wstring path = to_wide(object_path);
    const std::wstring name = to_wide(method);
    // Semisynchronous: Windows returns at once with a call result to wait on. The call itself
    // still runs on a thread of its own, bounded, for implementations that block in it anyway.
    auto shared_services = std::make_shared<ComPtr<IWbemServices>>(services_.share());
    ComPtr<IWbemCallResult> call_result = run_bounded<ComPtr<IWbemCallResult>>(
        [shared_services, path, name, arguments, action, ns = namespace_]() {
            const Bstr path_text(path);
            const Bstr name_text(name);
            // Input parameters: an instance of the method's signature, filled in.
            ComPtr<IWbemClassObject> input;
            if (!arguments.empty()) {
                const Bstr class_name(class_of(path));
                ComPtr<IWbemClassObject> wmi_class;
                check((*shared_services)->GetObject(class_name.get(), 0, nullptr, wmi_class.put(), nullptr),
                      action + " (reading its class)", ns);
                ComPtr<IWbemClassObject> signature;
                check(wmi_class->GetMethod(name.c_str(), 0, signature.put(), nullptr), action + " (its parameters)",
                      ns);
                check(signature->SpawnInstance(0, input.put()), action + " (its parameters)", ns);
                for (const auto& [parameter, values] : arguments) {
                    StringArrayVariant value(values);
                    check(input->Put(to_wide(parameter).c_str(), 0, value.get(), 0),
                          action + " (setting " + parameter + ")", ns);
                }
            }
            ComPtr<IWbemCallResult> result;
            check((*shared_services)
                      ->ExecMethod(path_text.get(), name_text.get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, input.get(),
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
