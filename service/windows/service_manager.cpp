// `smbreaper service install|uninstall|start|stop|status|reload`: the Service Control Manager side.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "common/windows/wide_text.h"
#include "common/windows/win32_error.h"
#include "config/windows/file_security.h"
#include "service/daemon/service_host.h"
#include "service/default_paths.h"
#include "service/windows/event_source.h"
#include "service/windows/service_handle.h"

namespace smbreaper::daemon {
using smbreaper::common::throw_last_error;
using smbreaper::common::to_utf8;
using smbreaper::common::to_wide;
using smbreaper::common::win32_error_text;
using smbreaper::config::restrict_to_administrators;
using smbreaper::service::default_policy_path;

namespace {

constexpr const wchar_t* kDescription =
    L"Closes SMB sessions selected by the policy in %ProgramData%\\smbreaper\\policy.yaml and records every "
    L"closure in a tamper-evident audit trail.";
constexpr std::chrono::seconds kStateTimeout{60};
// Started after what it reads from: WMI (Winmgmt) and the SMB server whose sessions it reads
// (LanmanServer, which serves MSFT_SmbSession's provider). A double NUL ends the list.
constexpr wchar_t kDependencies[] = L"Winmgmt\0LanmanServer\0";

ServiceHandle open_manager(DWORD access) {
    ServiceHandle manager(OpenSCManagerW(nullptr, nullptr, access));
    if (!manager) throw_last_error("OpenSCManager (run as a local administrator)");
    return manager;
}

ServiceHandle open_service(const std::string& name, DWORD access) {
    const ServiceHandle manager = open_manager(SC_MANAGER_CONNECT);
    ServiceHandle service(OpenServiceW(manager.get(), to_wide(name).c_str(), access));
    if (!service) throw_last_error("OpenService(" + name + ")");
    return service;
}

SERVICE_STATUS_PROCESS query_status(const ServiceHandle& service) {
    SERVICE_STATUS_PROCESS status{};
    DWORD needed = 0;
    if (!QueryServiceStatusEx(service.get(), SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof status,
                              &needed))
        throw_last_error("QueryServiceStatusEx");
    return status;
}

const char* state_name(DWORD state) {
    switch (state) {
        case SERVICE_STOPPED: return "stopped";
        case SERVICE_START_PENDING: return "starting";
        case SERVICE_STOP_PENDING: return "stopping";
        case SERVICE_RUNNING: return "running";
        case SERVICE_CONTINUE_PENDING: return "continuing";
        case SERVICE_PAUSE_PENDING: return "pausing";
        case SERVICE_PAUSED: return "paused";
        default: return "in an unknown state";
    }
}

// Polls until the service leaves the pending states (or the timeout passes) and returns its status.
SERVICE_STATUS_PROCESS wait_while_pending(const ServiceHandle& service) {
    const auto deadline = std::chrono::steady_clock::now() + kStateTimeout;
    SERVICE_STATUS_PROCESS status = query_status(service);
    while ((status.dwCurrentState == SERVICE_START_PENDING || status.dwCurrentState == SERVICE_STOP_PENDING) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        status = query_status(service);
    }
    return status;
}

std::string exit_code_text(const SERVICE_STATUS_PROCESS& status) {
    if (status.dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR)
        return "smbreaper exit code " + std::to_string(status.dwServiceSpecificExitCode) +
               " (the Event Log and the service log say why)";
    return win32_error_text(status.dwWin32ExitCode);
}

// The service's configuration, in a buffer QUERY_SERVICE_CONFIGW's strings point into.
std::vector<BYTE> query_config(const ServiceHandle& service) {
    DWORD needed = 0;
    QueryServiceConfigW(service.get(), nullptr, 0, &needed);
    std::vector<BYTE> buffer(needed);
    if (!QueryServiceConfigW(service.get(), reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data()), needed, &needed))
        throw_last_error("QueryServiceConfig");
    return buffer;
}

// "automatic (delayed)", "manual", "disabled".
std::string start_type_text(const ServiceHandle& service) {
    const std::vector<BYTE> buffer = query_config(service);
    const auto* config = reinterpret_cast<const QUERY_SERVICE_CONFIGW*>(buffer.data());
    switch (config->dwStartType) {
        case SERVICE_AUTO_START: {
            SERVICE_DELAYED_AUTO_START_INFO delayed{};
            DWORD size = 0;
            const bool is_delayed = QueryServiceConfig2W(service.get(), SERVICE_CONFIG_DELAYED_AUTO_START_INFO,
                                                         reinterpret_cast<BYTE*>(&delayed), sizeof delayed, &size) &&
                                    delayed.fDelayedAutostart;
            return is_delayed ? "automatic (delayed)" : "automatic";
        }
        case SERVICE_DEMAND_START: return "manual";
        case SERVICE_DISABLED: return "disabled";
        default: return "at boot";
    }
}

// The services it starts after, "Winmgmt, LanmanServer"; "nothing" when none.
std::string dependencies_text(const ServiceHandle& service) {
    const std::vector<BYTE> buffer = query_config(service);
    const auto* config = reinterpret_cast<const QUERY_SERVICE_CONFIGW*>(buffer.data());
    std::string text;
    for (const wchar_t* name = config->lpDependencies; name != nullptr && *name != L'\0'; name += wcslen(name) + 1) {
        text += (text.empty() ? "" : ", ") + to_utf8(name);
    }
    return text.empty() ? "nothing" : text;
}

std::filesystem::path this_executable() {
    std::vector<wchar_t> buffer(MAX_PATH);
    for (;;) {
        const DWORD length = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
        if (length == 0) throw_last_error("GetModuleFileName");
        if (length < buffer.size()) return std::filesystem::path(std::wstring(buffer.data(), length));
        buffer.resize(buffer.size() * 2);
    }
}

std::wstring quoted(const std::wstring& text) { return L"\"" + text + L"\""; }

// Restart after 10 s, then 1 min, then every 5 min; the count resets after a day without failure.
// Applies to a crash and to a stop with an error (for instance WMI not yet reachable at boot).
void configure_recovery(const ServiceHandle& service) {
    SC_ACTION actions[] = {{SC_ACTION_RESTART, 10'000}, {SC_ACTION_RESTART, 60'000}, {SC_ACTION_RESTART, 300'000}};
    SERVICE_FAILURE_ACTIONSW failure{};
    failure.dwResetPeriod = 24 * 60 * 60;
    failure.cActions = 3;
    failure.lpsaActions = actions;
    if (!ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, &failure))
        throw_last_error("ChangeServiceConfig2(failure actions)");
    SERVICE_FAILURE_ACTIONS_FLAG on_error_exit{TRUE};
    if (!ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &on_error_exit)) {
        // Wine does not know this setting (Windows has it since Vista): say so and go on.
        if (GetLastError() != ERROR_INVALID_LEVEL) throw_last_error("ChangeServiceConfig2(failure actions flag)");
        std::printf("note: this system cannot restart the service after it stops with an error, only after a crash\n");
    }
}

void describe(const ServiceHandle& service) {
    std::wstring text = kDescription;
    SERVICE_DESCRIPTIONW description{text.data()};
    if (!ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_DESCRIPTION, &description))
        throw_last_error("ChangeServiceConfig2(description)");
    // Time to finish the close in progress and write the stop entry when Windows shuts down.
    SERVICE_PRESHUTDOWN_INFO preshutdown{30'000};
    ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_PRESHUTDOWN_INFO, &preshutdown);
    // Delayed automatic start: after the boot's own services have settled, so that WMI and the SMB
    // server answer when the first cycle reads the table (a failure at boot is still retried by
    // the recovery actions).
    SERVICE_DELAYED_AUTO_START_INFO delayed{TRUE};
    if (!ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &delayed)) {
        if (GetLastError() != ERROR_INVALID_LEVEL) throw_last_error("ChangeServiceConfig2(delayed automatic start)");
        std::printf("note: this system cannot delay the service's automatic start\n");
    }
}

// A folder for the policy that does not exist yet is created so that only Administrators and
// SYSTEM can change what is put in it. An existing folder is the administrator's: left as it is.
void prepare_policy_folder(const std::filesystem::path& policy) {
    const std::filesystem::path folder = policy.parent_path();
    if (std::filesystem::exists(folder)) return;
    std::filesystem::create_directories(folder);
    restrict_to_administrators(folder);
    std::printf("created %s (Administrators and SYSTEM may change it, Users may read it)\n", folder.string().c_str());
}

template <typename Action>
int reporting_errors(const char* what, Action action) {
    try {
        return action();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "smbreaper service %s: %s\n", what, error.what());
        return 1;
    }
}

}  // namespace

int install_service(const ServiceInstallOptions& options) {
    return reporting_errors("install", [&] {
        const std::filesystem::path exe = this_executable();
        const std::filesystem::path policy =
            options.policy.empty() ? default_policy_path() : std::filesystem::absolute(options.policy);
        std::wstring command = quoted(exe.wstring()) + L" service host --name " + quoted(to_wide(options.name));
        if (!options.policy.empty()) command += L" --policy " + quoted(policy.wstring());
        const std::wstring display = options.name == kDefaultServiceName
                                         ? std::wstring(L"smbreaper SMB session reaper")
                                         : L"smbreaper SMB session reaper (" + to_wide(options.name) + L")";

        prepare_policy_folder(policy);
        const ServiceHandle manager = open_manager(SC_MANAGER_CREATE_SERVICE);
        const ServiceHandle service(CreateServiceW(manager.get(), to_wide(options.name).c_str(), display.c_str(),
                                                   SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
                                                   SERVICE_ERROR_NORMAL, command.c_str(), nullptr, nullptr,
                                                   kDependencies, nullptr, nullptr));
        if (!service) {
            if (GetLastError() == ERROR_SERVICE_EXISTS)
                throw std::runtime_error("a service named " + options.name + " is installed already");
            throw_last_error("CreateService(" + options.name + ")");
        }
        try {
            describe(service);
            configure_recovery(service);
            register_event_source(exe);
        } catch (...) {
            DeleteService(service.get());  // no half-configured service left behind
            throw;
        }
        std::printf(
            "installed service %s: automatic start (delayed, after Winmgmt and LanmanServer), restarted on "
            "failure, policy %s\n",
            options.name.c_str(), policy.string().c_str());
        return 0;
    });
}

int uninstall_service(const std::string& name) {
    return reporting_errors("uninstall", [&] {
        const ServiceHandle service = open_service(name, DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS);
        SERVICE_STATUS_PROCESS status = query_status(service);
        if (status.dwCurrentState != SERVICE_STOPPED) {
            SERVICE_STATUS ignored{};
            ControlService(service.get(), SERVICE_CONTROL_STOP, &ignored);
            status = wait_while_pending(service);
        }
        if (!DeleteService(service.get())) throw_last_error("DeleteService(" + name + ")");
        if (name == kDefaultServiceName) unregister_event_source();
        std::printf("removed service %s; its policy, audit trail and logs are kept\n", name.c_str());
        return 0;
    });
}

int start_service(const std::string& name) {
    return reporting_errors("start", [&] {
        const ServiceHandle service = open_service(name, SERVICE_START | SERVICE_QUERY_STATUS);
        if (!StartServiceW(service.get(), 0, nullptr) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING)
            throw_last_error("StartService(" + name + ")");
        const SERVICE_STATUS_PROCESS status = wait_while_pending(service);
        if (status.dwCurrentState != SERVICE_RUNNING)
            throw std::runtime_error(name + " did not start: it is " + state_name(status.dwCurrentState) + ", " +
                                     exit_code_text(status));
        std::printf("%s is running (pid %lu)\n", name.c_str(), static_cast<unsigned long>(status.dwProcessId));
        return 0;
    });
}

int stop_service(const std::string& name) {
    return reporting_errors("stop", [&] {
        const ServiceHandle service = open_service(name, SERVICE_STOP | SERVICE_QUERY_STATUS);
        SERVICE_STATUS ignored{};
        if (!ControlService(service.get(), SERVICE_CONTROL_STOP, &ignored) &&
            GetLastError() != ERROR_SERVICE_NOT_ACTIVE)
            throw_last_error("ControlService(" + name + ", stop)");
        const SERVICE_STATUS_PROCESS status = wait_while_pending(service);
        if (status.dwCurrentState != SERVICE_STOPPED)
            throw std::runtime_error(name + " did not stop within " + std::to_string(kStateTimeout.count()) + " s");
        std::printf("%s is stopped\n", name.c_str());
        return 0;
    });
}

int print_service_status(const std::string& name) {
    return reporting_errors("status", [&] {
        const ServiceHandle service = open_service(name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
        const SERVICE_STATUS_PROCESS status = query_status(service);
        const bool running = status.dwCurrentState == SERVICE_RUNNING;
        if (running) {
            std::printf("%s: running (pid %lu)\n", name.c_str(), static_cast<unsigned long>(status.dwProcessId));
        } else {
            std::printf("%s: %s", name.c_str(), state_name(status.dwCurrentState));
            if (status.dwCurrentState == SERVICE_STOPPED && status.dwWin32ExitCode != NO_ERROR &&
                status.dwWin32ExitCode != ERROR_SERVICE_NEVER_STARTED)
                std::printf(" (last exit: %s)", exit_code_text(status).c_str());
            std::printf("\n");
        }
        std::printf("start: %s\nstarts after: %s\n", start_type_text(service).c_str(),
                    dependencies_text(service).c_str());
        return running ? 0 : 1;
    });
}

int reload_service(const std::string& name) {
    return reporting_errors("reload", [&] {
        const ServiceHandle service = open_service(name, SERVICE_USER_DEFINED_CONTROL);
        SERVICE_STATUS ignored{};
        if (!ControlService(service.get(), kReloadServiceControl, &ignored))
            throw_last_error("ControlService(" + name + ", reload)");
        std::printf("%s: asked to re-read its policy\n", name.c_str());
        return 0;
    });
}

}  // namespace smbreaper::daemon
