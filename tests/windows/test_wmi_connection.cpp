// The generic WMI layer against Wine's ROOT\CIMV2, which has Win32_Service and its methods: the
// same connect, query, read and ExecMethod calls the MSFT_SmbSession source makes.
#include <catch2/catch.hpp>

#include "audit_test_support.h"
#include "sessions/wmi/smb_session_mapping.h"
#include "sessions/wmi/wmi_connection.h"
#include "sessions/wmi/wmi_error_text.h"
#include "sessions/wmi/wmi_session_table.h"
#include "service/session_source_factory.h"
#include "windows_test_support.h"

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
    CHECK_THAT(rpc.front().path(), Catch::Contains("Win32_Service.Name=\"RpcSs\""));
}

TEST_CASE("a real service is started and stopped through ExecMethod", "[wmi][wine]") {
    test::TempDir folder;
    test::write_file(folder / "sessions.json", "[]");
    test::write_file(folder / "policy.yaml",
                     "version: 1\nsettings: {mode: audit, poll_interval: 1s, source: 'snapshot:sessions.json'}\nrules: []\n");
    const std::string name = "smbreaper-wmi-test";
    const test::TestService service(std::wstring(name.begin(), name.end()), folder / "policy.yaml");

    const WmiConnection wmi(kCimv2);
    REQUIRE(service_state(wmi, name) == "Stopped");
    const std::string path = wmi.query("SELECT * FROM Win32_Service WHERE Name = '" + name + "'").front().path();

    CHECK(wmi_uint32(wmi.exec_method(path, "StartService").get("ReturnValue")) == 0u);
    CHECK(test::wait_until([&] { return service_state(wmi, name) == "Running"; }, std::chrono::seconds(30)));

    CHECK(wmi_uint32(wmi.exec_method(path, "StopService").get("ReturnValue")) == 0u);
    CHECK(test::wait_until([&] { return service_state(wmi, name) == "Stopped"; }, std::chrono::seconds(30)));

    // The service ran the reaper: its audit trail has the start and stop entries.
    CHECK(std::filesystem::exists(folder / "audit.db"));
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
    settings.source.kind = SourceSetting::Kind::Wmi;
    CHECK_THROWS_AS(make_session_table(settings), SourceError);
}

TEST_CASE("the samba source is refused on Windows", "[wmi][wine]") {
    Settings settings;
    settings.source.kind = SourceSetting::Kind::Samba;
    CHECK_THROWS_WITH(make_session_table(settings), Catch::Contains("samba source is Linux only"));
}
