#include "windows_test_support.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdexcept>
#include <thread>

namespace smbreaper::test {

std::wstring smbreaper_exe_path() {
    std::wstring path = std::filesystem::path(SMBREAPER_BINARY).wstring();
    if (!path.empty() && path.front() == L'/') path = L"Z:" + path;
    for (wchar_t& c : path) {
        if (c == L'/') c = L'\\';
    }
    return path;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return condition();
}

TestService::TestService(std::wstring name, const std::filesystem::path& policy)
    : TestService(name, Command{L"service host --name \"" + name + L"\" --policy \"" + policy.wstring() + L"\""}) {}

TestService TestService::never_reporting(std::wstring name, const std::filesystem::path& policy) {
    return TestService(std::move(name), Command{L"run --no-syslog --policy \"" + policy.wstring() + L"\""});
}

TestService::TestService(std::wstring name, Command arguments) : name_(std::move(name)) {
    SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CREATE_SERVICE);
    if (manager == nullptr) throw std::runtime_error("OpenSCManager failed");
    const std::wstring command = L"\"" + smbreaper_exe_path() + L"\" " + arguments.arguments;
    SC_HANDLE service = CreateServiceW(manager, name_.c_str(), name_.c_str(), SERVICE_ALL_ACCESS,
                                       SERVICE_WIN32_OWN_PROCESS, SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
                                       command.c_str(), nullptr, nullptr, nullptr, nullptr, nullptr);
    const DWORD error = GetLastError();
    CloseServiceHandle(manager);
    if (service == nullptr) throw std::runtime_error("CreateService failed: " + std::to_string(error));
    CloseServiceHandle(service);
}

TestService::~TestService() {
    SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
    if (manager == nullptr) return;
    SC_HANDLE service = OpenServiceW(manager, name_.c_str(), SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE);
    if (service == nullptr) {  // the service's process may still run: look it up again
        service = OpenServiceW(manager, name_.c_str(), SERVICE_QUERY_STATUS | DELETE);
    }
    if (service != nullptr) {
        SERVICE_STATUS status{};
        if (ControlService(service, SERVICE_CONTROL_STOP, &status)) {
            wait_until([&] { return QueryServiceStatus(service, &status) && status.dwCurrentState == SERVICE_STOPPED; },
                       std::chrono::seconds(30));
        }
        // A program that never reported to the manager cannot be stopped through it.
        SERVICE_STATUS_PROCESS process{};
        DWORD needed = 0;
        if (QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&process), sizeof process,
                                 &needed) &&
            process.dwProcessId != 0) {
            if (HANDLE running = OpenProcess(PROCESS_TERMINATE, FALSE, process.dwProcessId)) {
                TerminateProcess(running, 1);
                CloseHandle(running);
            }
        }
        DeleteService(service);
        CloseServiceHandle(service);
    }
    CloseServiceHandle(manager);
}

}  // namespace smbreaper::test
