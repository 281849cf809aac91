#include "sessions/wmi/com_runtime.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <objbase.h>

#include <mutex>

#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper::sessions {
namespace {

class ThreadApartment {
public:
    ThreadApartment() {
        const HRESULT result = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
        // S_FALSE: already in the MTA on this thread; it still needs its CoUninitialize.
        if (FAILED(result)) throw WmiError(static_cast<std::uint32_t>(result), "initialising COM");
    }
    ~ThreadApartment() { CoUninitialize(); }
    ThreadApartment(const ThreadApartment&) = delete;
    ThreadApartment& operator=(const ThreadApartment&) = delete;
};

void set_process_security() {
    const HRESULT result = CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_DEFAULT,
                                                RPC_C_IMP_LEVEL_IMPERSONATE, nullptr, EOAC_NONE, nullptr);
    // RPC_E_TOO_LATE: the process (or a library in it) set it already; WMI then uses that.
    if (FAILED(result) && result != RPC_E_TOO_LATE)
        throw WmiError(static_cast<std::uint32_t>(result), "setting COM security");
}

}  // namespace

void ensure_com_on_this_thread() {
    thread_local ThreadApartment apartment;
    static std::once_flag security_once;
    std::call_once(security_once, set_process_security);
}

}  // namespace smbreaper::sessions
