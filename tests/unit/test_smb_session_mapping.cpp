#include <catch2/catch.hpp>

#include <string_view>

#include "sessions/session_identity.h"
#include "sessions/wmi/smb_session_mapping.h"

using smbreaper::sessions::Dialect;
using smbreaper::sessions::kSmbSessionProperties;
using smbreaper::sessions::same_session;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::smb_session_from_properties;
using smbreaper::sessions::smb_session_query_by_id;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::WmiProperties;
using smbreaper::sessions::WmiValueError;

using namespace smbreaper;

namespace {

// The property values of one MSFT_SmbSession instance as IWbemClassObject::Get hands them over
// (the CIM uint64s come as strings): SessionId and NumOpens as VT_BSTR, the uint32s as VT_I4, the rest VT_BSTR.
WmiProperties recorded_session() {
    return {
        {"SessionId", std::string("1099511627777")},
        {"ClientComputerName", std::string("[fe80::8d1c:2c0b:7f1e:1a2b]")},
        {"ClientUserName", std::string("CORP\\alice")},
        {"ScopeName", std::string("*")},
        {"ClusterNodeName", std::string("FS1")},
        {"SmbInstance", std::int64_t{0}},
        {"NumOpens", std::string("2")},
        {"SecondsIdle", std::int64_t{9000}},
        {"SecondsExists", std::int64_t{30000}},
        {"Dialect", std::string("3.1.1")},
        {"TransportName", std::string("TCP")},
    };
}

}  // namespace

TEST_CASE("an MSFT_SmbSession instance becomes the session record", "[wmi][mapping]") {
    const SessionRecord record = smb_session_from_properties(recorded_session());
    CHECK(record.session_id == 1099511627777ULL);
    CHECK(record.client_computer_name == "[fe80::8d1c:2c0b:7f1e:1a2b]");
    CHECK(record.client_user_name == "CORP\\alice");
    CHECK(record.scope_name == "*");
    CHECK(record.cluster_node_name == "FS1");
    CHECK(record.smb_instance == SmbInstance::Default);
    CHECK(record.num_opens == 2u);
    CHECK(record.seconds_idle == 9000u);
    CHECK(record.seconds_exists == 30000u);
    CHECK(record.dialect == "3.1.1");
    CHECK(record.dialect_revision == Dialect::Smb3_1_1);
    CHECK(record.transport_name == "TCP");
    // MSFT_SmbSession has no share list, encryption or signing: left unknown, never guessed.
    CHECK_FALSE(record.shares.has_value());
    CHECK_FALSE(record.encrypted.has_value());
}

TEST_CASE("SmbInstance 0..3 are Default, CSV, SBL and SR; anything else is refused", "[wmi][mapping]") {
    WmiProperties properties = recorded_session();
    const std::pair<std::int64_t, SmbInstance> known[] = {
        {0, SmbInstance::Default}, {1, SmbInstance::CSV}, {2, SmbInstance::SBL}, {3, SmbInstance::SR}};
    for (const auto& [number, instance] : known) {
        properties["SmbInstance"] = number;
        CHECK(smb_session_from_properties(properties).smb_instance == instance);
    }
    properties["SmbInstance"] = std::int64_t{4};
    CHECK_THROWS_WITH(smb_session_from_properties(properties), Catch::Contains("MSFT_SmbSession.SmbInstance"));
}

TEST_CASE("a null or missing property is unknown; a session without a key is refused", "[wmi][mapping][unknown]") {
    // VT_NULL and VT_EMPTY both arrive as monostate; a property the class lacks on this Windows
    // version (SmbInstance on Windows Server 2012) is not in the map at all.
    for (const bool erase : {false, true}) {
        WmiProperties properties = recorded_session();
        for (const std::string_view name : kSmbSessionProperties) {
            if (name == "SessionId") continue;
            if (erase)
                properties.erase(std::string(name));
            else
                properties[std::string(name)] = std::monostate{};
        }
        const SessionRecord record = smb_session_from_properties(properties);
        CHECK(record.session_id == 1099511627777ULL);
        CHECK_FALSE(record.client_computer_name.has_value());
        CHECK_FALSE(record.client_user_name.has_value());
        CHECK_FALSE(record.scope_name.has_value());
        CHECK_FALSE(record.cluster_node_name.has_value());
        CHECK_FALSE(record.smb_instance.has_value());
        CHECK_FALSE(record.num_opens.has_value());
        CHECK_FALSE(record.seconds_idle.has_value());
        CHECK_FALSE(record.seconds_exists.has_value());
        CHECK_FALSE(record.dialect.has_value());
        CHECK_FALSE(record.transport_name.has_value());
    }

    WmiProperties properties = recorded_session();

    properties["SessionId"] = std::monostate{};
    CHECK_THROWS_WITH(smb_session_from_properties(properties), Catch::Contains("SessionId: the key is null"));
}

TEST_CASE("a value of the wrong type names the property", "[wmi][mapping]") {
    WmiProperties properties = recorded_session();
    properties["SecondsIdle"] = std::string("soon");
    CHECK_THROWS_WITH(smb_session_from_properties(properties),
                      Catch::Contains("MSFT_SmbSession.SecondsIdle") && Catch::Contains("\"soon\""));
    properties = recorded_session();
    properties["SessionId"] = std::string("0x10");
    CHECK_THROWS_AS(smb_session_from_properties(properties), WmiValueError);
}

TEST_CASE("a session is re-read by its key and must still be the same one", "[wmi][mapping]") {
    CHECK(smb_session_query_by_id(1099511627777ULL) == "SELECT * FROM MSFT_SmbSession WHERE SessionId = 1099511627777");
    const SessionRecord before = smb_session_from_properties(recorded_session());
    SessionRecord now = before;
    now.seconds_idle = 10;
    CHECK(same_session(before, now));
    now.client_user_name = "CORP\\bob";
    CHECK_FALSE(same_session(before, now));
}
