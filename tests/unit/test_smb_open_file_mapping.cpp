#include <catch2/catch.hpp>

#include "sessions/wmi/smb_open_file_mapping.h"

using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::smb_open_file_from_properties;
using smbreaper::sessions::smb_open_file_query_by_id;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::WmiProperties;
using smbreaper::sessions::WmiValueError;

using namespace smbreaper;
using Catch::Matchers::Contains;

namespace {

// One MSFT_SmbOpenFile instance as IWbemClassObject::Get hands it over: the uint64s FileId and
// SessionId as VT_BSTR, the uint32s as VT_I4 (values above 2^31-1 negative), booleans as VT_BOOL.
WmiProperties recorded_open() {
    return {
        {"FileId", std::string("13194139534117")},
        {"SessionId", std::string("13194139533381")},
        {"Path", std::string("C:\\Shares\\Finance\\Q3\\budget.xlsx")},
        {"ShareRelativePath", std::string("Q3\\budget.xlsx")},
        {"ClientComputerName", std::string("10.20.1.15")},
        {"ClientUserName", std::string("CONTOSO\\alice")},
        {"Permissions", std::int64_t{1180063}},
        {"Locks", std::int64_t{0}},
        {"ContinuouslyAvailable", false},
        {"ScopeName", std::string("*")},
        {"ClusterNodeName", std::string("")},
        {"SmbInstance", std::int64_t{0}},
        {"Encrypted", false},
        {"Signed", true},
    };
}

}  // namespace

TEST_CASE("an MSFT_SmbOpenFile instance becomes the open-file record", "[wmi][open-files]") {
    const OpenFileRecord open = smb_open_file_from_properties(recorded_open());
    CHECK(open.file_id == "13194139534117");
    CHECK(open.session_id == 13194139533381u);
    CHECK(open.path == "C:\\Shares\\Finance\\Q3\\budget.xlsx");
    CHECK(open.share_relative_path == "Q3\\budget.xlsx");
    CHECK(open.client_user_name == "CONTOSO\\alice");
    CHECK(open.permissions == 1180063u);
    CHECK(open.locks == 0u);
    CHECK(open.continuously_available == false);
    CHECK(open.smb_instance == SmbInstance::Default);
    CHECK_FALSE(open.opened_at);
    CHECK_FALSE(open.first_seen);  // the table sets it when it lists the open
}

TEST_CASE("GENERIC_ALL arrives as a negative VT_I4 and is read back as the access mask", "[wmi][open-files]") {
    WmiProperties properties = recorded_open();
    properties["Permissions"] = std::int64_t{0x10000000};
    CHECK(smb_open_file_from_properties(properties).permissions == 0x10000000u);
    properties["Permissions"] = std::int64_t{-2147483648LL};  // GENERIC_READ, 0x80000000
    CHECK(smb_open_file_from_properties(properties).permissions == 0x80000000u);
}

TEST_CASE("an open-file property that is null or missing is unknown; no FileId is refused", "[wmi][open-files]") {
    WmiProperties properties = recorded_open();
    properties["Permissions"] = std::monostate{};
    properties.erase("SessionId");
    const OpenFileRecord open = smb_open_file_from_properties(properties);
    CHECK_FALSE(open.permissions);
    CHECK_FALSE(open.session_id);
    properties["FileId"] = std::monostate{};
    CHECK_THROWS_WITH(smb_open_file_from_properties(properties), Contains("MSFT_SmbOpenFile.FileId"));
}

TEST_CASE("an open-file value of the wrong type names the property", "[wmi][open-files]") {
    WmiProperties properties = recorded_open();
    properties["Locks"] = std::string("many");
    CHECK_THROWS_WITH(smb_open_file_from_properties(properties), Contains("MSFT_SmbOpenFile.Locks"));
    properties = recorded_open();
    properties["SmbInstance"] = std::int64_t{7};
    CHECK_THROWS_WITH(smb_open_file_from_properties(properties), Contains("SmbInstance"));
}

TEST_CASE("an open file is read again by its FileId", "[wmi][open-files]") {
    CHECK(smb_open_file_query_by_id(13194139534117u) == "SELECT * FROM MSFT_SmbOpenFile WHERE FileId = 13194139534117");
}
