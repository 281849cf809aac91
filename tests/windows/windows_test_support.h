#pragma once

// Helpers for the tests that run under Wine: paths, a scratch folder only Administrators can
// change, a test service registered with the Service Control Manager.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace smbreaper::test {

// The build's smbreaper.exe as Windows sees it (Wine maps the Linux root to drive Z:).
std::wstring smbreaper_exe_path();

// Polls `condition` until it holds or `timeout` passes; returns whether it held.
bool wait_until(const std::function<bool()>& condition, std::chrono::seconds timeout);

// smbreaper.exe registered as a demand-start service `name` that obeys `policy`; deleted (stopped
// first if need be) when this goes out of scope.
class TestService {
public:
    TestService(std::wstring name, const std::filesystem::path& policy);
    // A service whose program never reports to the Service Control Manager (smbreaper.exe `run`
    // in the foreground): starting it blocks until the manager gives up on it.
    static TestService never_reporting(std::wstring name, const std::filesystem::path& policy);
    ~TestService();
    TestService(const TestService&) = delete;
    TestService& operator=(const TestService&) = delete;

private:
    struct Command {
        std::wstring arguments;
    };
    TestService(std::wstring name, Command command);
    std::wstring name_;
};

}  // namespace smbreaper::test
