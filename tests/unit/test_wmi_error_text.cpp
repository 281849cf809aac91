#include <catch2/catch.hpp>

#include "sessions/wmi/smb_session_mapping.h"
#include "sessions/wmi/wmi_error_text.h"

using smbreaper::sessions::describe_wmi_failure;
using smbreaper::sessions::kSmbNamespace;
using smbreaper::sessions::WmiError;

using namespace smbreaper;

TEST_CASE("a missing SMB namespace says this is not an SMB server", "[wmi][errors]") {
    const std::string text =
        describe_wmi_failure(0x8004100E, "connecting to WMI namespace ROOT\\Microsoft\\Windows\\SMB", kSmbNamespace);
    CHECK_THAT(text, Catch::StartsWith("connecting to WMI namespace ROOT\\Microsoft\\Windows\\SMB: namespace "
                                       "ROOT\\Microsoft\\Windows\\SMB not found: this is not a Windows Server with the "
                                       "SMB server role"));
    CHECK_THAT(text, Catch::EndsWith("(HRESULT 0x8004100E WBEM_E_INVALID_NAMESPACE)"));
}

TEST_CASE("another missing namespace is named without the SMB advice", "[wmi][errors]") {
    const std::string text = describe_wmi_failure(0x8004100E, "connecting", "ROOT\\Nothing");
    CHECK(text == "connecting: namespace ROOT\\Nothing not found (HRESULT 0x8004100E WBEM_E_INVALID_NAMESPACE)");
}

TEST_CASE("access denied, from COM or from WMI, asks for a local administrator", "[wmi][errors]") {
    CHECK_THAT(describe_wmi_failure(0x80070005, "x"),
               Catch::Contains("run smbreaper as a local administrator") && Catch::Contains("E_ACCESSDENIED"));
    CHECK_THAT(describe_wmi_failure(0x80041003, "x"),
               Catch::Contains("run smbreaper as a local administrator") && Catch::Contains("WBEM_E_ACCESS_DENIED"));
}

TEST_CASE("an unknown HRESULT is shown in hex", "[wmi][errors]") {
    CHECK(describe_wmi_failure(0x80001234, "calling ForceClose") ==
          "calling ForceClose: unexpected failure (HRESULT 0x80001234)");
}

TEST_CASE("WmiError carries the HRESULT and the message", "[wmi][errors]") {
    const WmiError error(0x80041010, "querying Win32_Nothing");
    CHECK(error.hresult() == 0x80041010u);
    CHECK_THAT(error.what(), Catch::Contains("the class does not exist") && Catch::Contains("WBEM_E_INVALID_CLASS"));
}
