// The service host under Wine's Service Control Manager: a stop that takes longer than a moment
// keeps the manager informed (the checkpoint advances), so callers do not see error 1053.
#include <catch2/catch.hpp>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <sqlite3.h>

#include <chrono>
#include <set>
#include <thread>

#include "audit_test_support.h"
#include "windows_test_support.h"

using namespace smbreaper;

namespace {

SERVICE_STATUS_PROCESS status_of(SC_HANDLE service) {
    SERVICE_STATUS_PROCESS status{};
    DWORD needed = 0;
    QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof status, &needed);
    return status;
}

}  // namespace

TEST_CASE("a slow stop advances its checkpoint until the service has stopped", "[service][wine]") {
    test::TempDir folder;
    test::write_file(folder / "sessions.json", "[]");
    test::write_file(
        folder / "policy.yaml",
        "version: 1\nsettings: {mode: audit, poll_interval: 1s, source: 'snapshot:sessions.json'}\nrules: []\n");
    const std::wstring name = L"smbreaper-slow-stop";
    const test::TestService registered(name, folder / "policy.yaml");
    SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
    REQUIRE(manager != nullptr);
    SC_HANDLE service = OpenServiceW(manager, name.c_str(), SERVICE_START | SERVICE_STOP | SERVICE_QUERY_STATUS);
    REQUIRE(service != nullptr);
    REQUIRE(StartServiceW(service, 0, nullptr));
    REQUIRE(test::wait_until([&] { return status_of(service).dwCurrentState == SERVICE_RUNNING; },
                             std::chrono::seconds(30)));
    REQUIRE(test::wait_until([&] { return std::filesystem::exists(folder / "audit.db"); }, std::chrono::seconds(30)));

    // The stop entry must wait for the audit trail, which another process holds locked: the
    // stop lasts the trail's busy timeout (5 s).
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((folder / "audit.db").string().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);

    SERVICE_STATUS ignored{};
    REQUIRE(ControlService(service, SERVICE_CONTROL_STOP, &ignored));
    std::set<DWORD> checkpoints;
    const auto started = std::chrono::steady_clock::now();
    bool released = false;
    while (std::chrono::steady_clock::now() - started < std::chrono::seconds(30)) {
        const SERVICE_STATUS_PROCESS status = status_of(service);
        if (status.dwCurrentState == SERVICE_STOPPED) break;
        if (status.dwCurrentState == SERVICE_STOP_PENDING) {
            checkpoints.insert(status.dwCheckPoint);
            CHECK(status.dwWaitHint > 0);
        }
        if (!released && checkpoints.size() >= 3) {
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
            released = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!released) sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    CHECK(checkpoints.size() >= 3);  // reported again and again, each time a step further
    CHECK(status_of(service).dwCurrentState == SERVICE_STOPPED);
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
}
