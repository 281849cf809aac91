// `smbreaper service host`: what the Service Control Manager starts. ServiceMain runs the same
// ReaperService as `smbreaper run`; the control handler turns STOP, SHUTDOWN and PRESHUTDOWN into
// a graceful stop and the reload control into a policy re-read.
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "common/windows/wide_text.h"
#include "service/daemon/reaper_service.h"
#include "service/daemon/service_host.h"
#include "service/windows/data_folder.h"

namespace smbreaper::daemon {
using smbreaper::common::to_wide;

namespace {

// While the service starts or stops, the Service Control Manager hears every second that it is
// progressing (the checkpoint advances within the wait hint), so that a slow start (WMI not
// answering yet at boot) or a slow stop (a close finishing, a WMI call given up, the stop entry
// waiting for the audit trail) is not taken for a hung service: error 1053 for `sc stop`,
// `Stop-Service`, and an upgrade's ServiceControl.
constexpr std::chrono::seconds kProgressEvery{1};
constexpr DWORD kPendingWaitHint = 10'000;

// What ServiceMain, the control handler and the progress reporter share. The SCM calls the first
// two on threads of its own.
struct HostState {
    std::wstring name;
    std::filesystem::path policy;
    SERVICE_STATUS_HANDLE status_handle = nullptr;
    std::mutex mutex;
    std::condition_variable state_changed;
    ReaperService* service = nullptr;  // set while run() is in progress
    DWORD state = SERVICE_STOPPED;
    DWORD checkpoint = 0;
};
HostState host;

// With host.mutex held.
void report(DWORD state, DWORD exit_code = NO_ERROR, DWORD service_exit_code = 0) {
    SERVICE_STATUS status{};
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PRESHUTDOWN : 0;
    status.dwWin32ExitCode = exit_code;
    status.dwServiceSpecificExitCode = service_exit_code;
    const bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
    status.dwCheckPoint = pending ? ++host.checkpoint : 0;
    status.dwWaitHint = pending ? kPendingWaitHint : 0;
    host.state = state;
    SetServiceStatus(host.status_handle, &status);
    host.state_changed.notify_all();
}

// Reports the pending state again every kProgressEvery, each time with the next checkpoint,
// until the service is stopped.
void report_progress_until_stopped() {
    std::unique_lock lock(host.mutex);
    while (host.state != SERVICE_STOPPED) {
        if (host.state_changed.wait_for(lock, kProgressEvery, [] { return host.state == SERVICE_STOPPED; })) break;
        if (host.state == SERVICE_START_PENDING || host.state == SERVICE_STOP_PENDING) report(host.state);
    }
}

DWORD WINAPI control_handler(DWORD control, DWORD, void*, void*) {
    std::lock_guard lock(host.mutex);
    switch (control) {
        case SERVICE_CONTROL_STOP:
        case SERVICE_CONTROL_SHUTDOWN:
        case SERVICE_CONTROL_PRESHUTDOWN:
            if (host.service == nullptr) return ERROR_SERVICE_CANNOT_ACCEPT_CTRL;
            report(SERVICE_STOP_PENDING);
            host.service->request_stop();
            return NO_ERROR;
        case kReloadServiceControl:
            if (host.service == nullptr) return ERROR_SERVICE_CANNOT_ACCEPT_CTRL;
            spdlog::info("service control {}: re-reading the policy", control);
            host.service->request_reload();
            return NO_ERROR;
        case SERVICE_CONTROL_INTERROGATE: return NO_ERROR;
        default: return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI service_main(DWORD, wchar_t**) {
    host.status_handle = RegisterServiceCtrlHandlerExW(host.name.c_str(), control_handler, nullptr);
    if (host.status_handle == nullptr) return;
    {
        std::lock_guard lock(host.mutex);
        report(SERVICE_START_PENDING);
    }
    std::thread progress(report_progress_until_stopped);

    ReaperService::Options options;
    options.policy_file = host.policy;
    options.console_log = false;
    options.system_log = true;
    options.default_log_file = default_service_log_file();
    options.on_started = [] {
        std::lock_guard lock(host.mutex);
        report(SERVICE_RUNNING);
    };

    int exit_code = 1;
    try {
        ReaperService service(options);
        {
            std::lock_guard lock(host.mutex);
            host.service = &service;
        }
        exit_code = service.run();
        std::lock_guard lock(host.mutex);
        host.service = nullptr;
    } catch (const std::exception& error) {
        spdlog::critical("the service failed: {}", error.what());
        std::lock_guard lock(host.mutex);
        host.service = nullptr;
    }
    spdlog::default_logger()->flush();
    {
        std::lock_guard lock(host.mutex);
        report(SERVICE_STOPPED, exit_code == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR,
               static_cast<DWORD>(exit_code));
    }
    progress.join();
}

}  // namespace

int run_as_service(const std::string& name, const std::filesystem::path& policy) {
    host.name = to_wide(name);
    host.policy = policy;
    SERVICE_TABLE_ENTRYW table[] = {{host.name.data(), service_main}, {nullptr, nullptr}};
    if (!StartServiceCtrlDispatcherW(table)) {
        if (GetLastError() == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
            std::fprintf(stderr,
                         "smbreaper service host: this is what the Service Control Manager starts; to run the "
                         "reaper in this console use `smbreaper run`\n");
        } else {
            std::fprintf(stderr, "smbreaper service host: StartServiceCtrlDispatcher failed (Win32 error %lu)\n",
                         static_cast<unsigned long>(GetLastError()));
        }
        return 1;
    }
    return 0;
}

}  // namespace smbreaper::daemon
