// The generic WMI layer against Wine's ROOT\CIMV2, which has Win32_Service and its methods: the
// same connect, query, read and ExecMethod calls the MSFT_SmbSession source makes.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <variant>

#include "audit_test_support.h"
#include "service/session_source_factory.h"
#include "sessions/wmi/smb_session_mapping.h"
#include "sessions/wmi/wmi_connection.h"
#include "sessions/wmi/wmi_error_text.h"
#include "sessions/wmi/wmi_session_table.h"
#include "windows_test_support.h"

using smbreaper::rules::Settings;
using smbreaper::service::make_session_table;
using smbreaper::sessions::is_null;
using smbreaper::sessions::is_unanswered;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::wmi_bool;
using smbreaper::sessions::wmi_string;
using smbreaper::sessions::wmi_uint32;
using smbreaper::sessions::wmi_uint64;
using smbreaper::sessions::WmiConnection;
using smbreaper::sessions::WmiError;
using smbreaper::sessions::WmiObject;
using smbreaper::sessions::WmiSessionTable;
using smbreaper::sessions::WmiTimeouts;
using smbreaper::sessions::WmiValue;

using namespace smbreaper;

namespace {

constexpr const char* kCimv2 = "ROOT\\CIMV2";

std::string service_state(const WmiConnection& wmi, const std::string& name) {
    const auto found = wmi.query("SELECT * FROM Win32_Service WHERE Name = '" + name + "'");
    if (found.size() != 1) return "missing";
    return wmi_string(found.front().get("State")).value_or("null");
}

}  // namespace

TEST_CASE("Win32_Service is listed and its properties are read as typed values", "[wmi][wine]") {
    const WmiConnection wmi(kCimv2);
    const auto all = wmi.query("SELECT * FROM Win32_Service");
    REQUIRE(all.size() > 5);

    const auto rpc = wmi.query("SELECT * FROM Win32_Service WHERE Name = 'RpcSs'");
    REQUIRE(rpc.size() == 1);
    CHECK(wmi_string(rpc.front().get("Name")) == "RpcSs");
    CHECK(wmi_string(rpc.front().get("StartMode")).has_value());
    // ProcessId is a uint32, which WMI marshals as VT_I4.
    CHECK_NOTHROW(wmi_uint32(rpc.front().get("ProcessId")));
    CHECK(wmi_bool(rpc.front().get("AcceptStop")).has_value());
    CHECK_THAT(rpc.front().path(), Catch::EndsWith("Win32_Service.Name=\"RpcSs\""));  // no NUL counted in
}

TEST_CASE("a real service is started and stopped through ExecMethod", "[wmi][wine]") {
    test::TempDir folder;
    test::write_file(folder / "sessions.json", "[]");
    test::write_file(
        folder / "policy.yaml",
        "version: 1\nsettings: {mode: audit, poll_interval: 1s, source: 'snapshot:sessions.json'}\nrules: []\n");
    const std::string name = "smbreaper-wmi-test";
    const test::TestService service(std::wstring(name.begin(), name.end()), folder / "policy.yaml");

    const WmiConnection wmi(kCimv2);
    REQUIRE(service_state(wmi, name) == "Stopped");
    const std::string path = wmi.query("SELECT * FROM Win32_Service WHERE Name = '" + name + "'").front().path();

    // Semisynchronously: Windows hands over an IWbemCallResult with the output parameters; Wine
    // runs the method synchronously and hands over none, so there the state shows that it ran.
    const std::optional<WmiObject> started = wmi.exec_method(path, "StartService");
    if (started) CHECK(wmi_uint32(started->get("ReturnValue")) == 0u);
    CHECK(test::wait_until([&] { return service_state(wmi, name) == "Running"; }, std::chrono::seconds(30)));

    const std::optional<WmiObject> stopped = wmi.exec_method(path, "StopService");
    if (stopped) CHECK(wmi_uint32(stopped->get("ReturnValue")) == 0u);
    CHECK(test::wait_until([&] { return service_state(wmi, name) == "Stopped"; }, std::chrono::seconds(30)));

    // The service ran the reaper: its audit trail has the start and stop entries.
    CHECK(std::filesystem::exists(folder / "audit.db"));
}

TEST_CASE("a method that blocks is given up at its timeout, and at a stop, without waiting for the provider",
          "[wmi][wine][bounded]") {
    // StartService on a service whose program never reports to the Service Control Manager
    // blocks until the manager gives up on it (30 s and more): a WMI provider that hangs.
    test::TempDir folder;
    test::write_file(folder / "sessions.json", "[]");
    test::write_file(
        folder / "policy.yaml",
        "version: 1\nsettings: {mode: audit, poll_interval: 1h, source: 'snapshot:sessions.json'}\nrules: []\n");
    // Two such services: a second StartService on the first, already starting, would return at once.
    const std::string name = "smbreaper-wmi-hang";
    const auto service =
        test::TestService::never_reporting(std::wstring(name.begin(), name.end()), folder / "policy.yaml");
    // In a folder of its own: two `run` on one audit trail would not both run (the service lock).
    test::TempDir other_folder;
    test::write_file(other_folder / "sessions.json", "[]");
    test::write_file(
        other_folder / "policy.yaml",
        "version: 1\nsettings: {mode: audit, poll_interval: 1h, source: 'snapshot:sessions.json'}\nrules: []\n");
    const std::string other_name = "smbreaper-wmi-hang-2";
    const auto other = test::TestService::never_reporting(std::wstring(other_name.begin(), other_name.end()),
                                                          other_folder / "policy.yaml");

    WmiTimeouts short_timeouts;
    short_timeouts.method = std::chrono::seconds(2);
    const WmiConnection wmi(kCimv2, short_timeouts);
    const std::string path = wmi.query("SELECT * FROM Win32_Service WHERE Name = '" + name + "'").front().path();
    const std::string other_path =
        wmi.query("SELECT * FROM Win32_Service WHERE Name = '" + other_name + "'").front().path();
    try {
        wmi.exec_method(path, "StartService");
        FAIL("StartService on a service that never reports running answered");
    } catch (const WmiError& error) {
        INFO(error.what());
        CHECK(is_unanswered(error));
        CHECK_THAT(error.what(), Catch::Contains("no answer within 2 s; given up"));
    }

    // A stop gives up the call in progress after its grace, long before its own timeout.
    auto stop = std::make_shared<std::atomic<bool>>(false);
    WmiTimeouts long_timeouts;
    long_timeouts.method = std::chrono::seconds(600);
    long_timeouts.stop_grace = std::chrono::milliseconds(300);
    const WmiConnection stoppable(kCimv2, long_timeouts, stop);
    const std::jthread stopper([stop] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stop->store(true);
    });
    try {
        stoppable.exec_method(other_path, "StartService");
        FAIL("StartService on a service that never reports running answered");
    } catch (const WmiError& error) {
        INFO(error.what());
        CHECK(is_unanswered(error));
        CHECK_THAT(error.what(), Catch::Contains("given up because the service is stopping"));
    }
}

TEST_CASE("uint64 values, WHERE on them, NULL and missing properties read as WMI hands them over", "[wmi][wine]") {
    // WMI sends uint64 as a decimal VT_BSTR, on Windows and under Wine: the same conversion that
    // reads MSFT_SmbSession's SessionId and NumOpens.
    const WmiConnection wmi(kCimv2);
    const auto systems = wmi.query("SELECT * FROM Win32_ComputerSystem");
    REQUIRE(systems.size() == 1);
    const WmiValue memory = systems.front().get("TotalPhysicalMemory");
    REQUIRE(std::holds_alternative<std::string>(memory));
    const std::optional<std::uint64_t> bytes = wmi_uint64(memory);
    REQUIRE(bytes.has_value());
    CHECK(*bytes > 0u);
    // Wine's WQL compares a uint64 with a quoted literal only; Windows takes both forms.
    CHECK(wmi.query("SELECT * FROM Win32_ComputerSystem WHERE TotalPhysicalMemory = '" + std::to_string(*bytes) + "'")
              .size() == 1);
    CHECK(
        wmi.query("SELECT * FROM Win32_ComputerSystem WHERE TotalPhysicalMemory = '" + std::to_string(*bytes + 1) + "'")
            .empty());

    // A property the class does not have (SmbInstance on Windows Server 2012) reads as null.
    const WmiValue missing = systems.front().get("SmbInstanceOnServer2012");
    CHECK(is_null(missing));
    // A NULL value (VT_NULL) too, and the session mapping then leaves the field unknown.
    const auto services = wmi.query("SELECT * FROM Win32_Service");
    bool saw_null = false;
    for (const WmiObject& service : services) saw_null = saw_null || is_null(service.get("Description"));
    CHECK(saw_null);
}

TEST_CASE("a method on an instance that does not exist fails with WMI's reason", "[wmi][wine]") {
    const WmiConnection wmi(kCimv2);
    CHECK_THROWS_AS(wmi.exec_method("Win32_Service.Name=\"no-such-service-smbreaper\"", "StartService"), WmiError);
}

TEST_CASE("under Wine the SMB namespace is missing: the WMI source says so and lists nothing", "[wmi][wine]") {
    try {
        WmiSessionTable table;
        FAIL("connecting to ROOT\\Microsoft\\Windows\\SMB should fail under Wine");
    } catch (const SourceError& error) {
        CHECK_THAT(error.what(), Catch::Contains("namespace ROOT\\Microsoft\\Windows\\SMB not found: this is not a "
                                                 "Windows Server with the SMB server role") &&
                                     Catch::Contains("0x8004100E WBEM_E_INVALID_NAMESPACE"));
    }
    Settings settings;
    settings.source.name = "wmi";
    CHECK_THROWS_AS(make_session_table(settings), SourceError);
}

TEST_CASE("the samba source is refused on Windows", "[wmi][wine]") {
    Settings settings;
    settings.source.name = "samba";
    CHECK_THROWS_WITH(make_session_table(settings),
                      Catch::Contains("the samba source runs on Linux only; on Windows use snapshot:PATH or wmi"));
}
