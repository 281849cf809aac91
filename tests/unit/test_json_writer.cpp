#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/json_writer.h"
#include "sessions/session_json.h"

using smbreaper::common::JsonWriter;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::to_passthru_json;

using namespace smbreaper;

TEST_CASE("strings are escaped so the output always parses", "[json]") {
    std::string out;
    JsonWriter json(out);
    const std::string hostile = std::string("a\"b\\c\nd\te\x01\x7f") + "\xC3\xA9" + "\xFF" + "\xE2\x82";
    json.begin_object().key("k").value(hostile).end_object();
    const auto parsed = nlohmann::json::parse(out);
    REQUIRE(parsed["k"].get<std::string>() == "a\"b\\c\nd\te\x01\x7f\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("nested arrays and objects get their commas", "[json]") {
    std::string out;
    JsonWriter json(out);
    json.begin_array();
    json.begin_object().key("a").value(1).key("b").begin_array().value(true).null().end_array().end_object();
    json.begin_object().end_object();
    json.value(std::uint64_t{18446744073709551615u});
    json.end_array();
    REQUIRE(out == R"([{"a":1,"b":[true,null]},{},18446744073709551615])");
}

TEST_CASE("the PassThru JSON carries MSFT_SmbSession's property names", "[json]") {
    SessionRecord s;
    s.session_id = 1669522539;
    s.client_computer_name = "[fe80::1]";
    s.client_user_name = "CORP\\alice";
    s.cluster_node_name = "FS1";
    s.smb_instance = SmbInstance::Default;
    s.num_opens = 2;
    s.seconds_idle = 30;
    s.dialect = "3.1.1";
    s.transport_name = "tcp";
    s.shares = std::vector<std::string>{"share"};
    const auto parsed = nlohmann::json::parse(to_passthru_json(s));
    REQUIRE(parsed["SessionId"] == 1669522539u);
    REQUIRE(parsed["ClientUserName"] == "CORP\\alice");
    REQUIRE(parsed["SmbInstance"] == "Default");
    REQUIRE(parsed["NumOpens"] == 2);
    REQUIRE(parsed["SecondsExists"].is_null());
    REQUIRE(parsed["Shares"][0] == "share");
    REQUIRE_FALSE(parsed.contains("Encrypted"));
}
