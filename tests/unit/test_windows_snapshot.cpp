#include <catch2/catch.hpp>

#include "sessions/session_json.h"
#include "sessions/session_table.h"
#include "sessions/snapshot/windows_snapshot_reader.h"
#include "test_support.h"

using smbreaper::sessions::Dialect;
using smbreaper::sessions::parse_windows_sessions_json;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::to_passthru_json;

using namespace smbreaper;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::vector<SessionRecord> parse_snapshot(std::string_view text) {
    return parse_windows_sessions_json(text, "sessions.json");
}

std::string snapshot_error_of(std::string_view text) {
    try {
        parse_snapshot(text);
    } catch (const SourceError& error) {
        return error.what();
    }
    FAIL("the text was accepted: " << text);
    return {};
}

// A JSON array of the records as to_passthru_json writes them.
std::string passthru_array(const std::vector<SessionRecord>& sessions) {
    std::string out = "[";
    for (const SessionRecord& s : sessions) out += (out.size() > 1 ? "," : "") + to_passthru_json(s);
    return out + "]";
}

}  // namespace

TEST_CASE("Windows PowerShell 5.1's array, with BOM, CRLF and CIM properties, is read", "[windows-snapshot]") {
    const std::vector<SessionRecord> sessions =
        parse_windows_sessions_json(test::read_test_data("windows/get-smbsession-ps51.json"), "ps51.json");
    REQUIRE(sessions.size() == 3);

    const SessionRecord& alice = sessions[0];
    CHECK(alice.session_id == 13194139533381u);
    CHECK(alice.client_computer_name == "10.20.1.15");
    CHECK(alice.client_user_name == "CONTOSO\\alice");
    CHECK(alice.cluster_node_name == "");
    CHECK(alice.scope_name == "*");
    CHECK(alice.smb_instance == SmbInstance::Default);
    CHECK(alice.num_opens == 3u);
    CHECK(alice.seconds_idle == 33u);
    CHECK(alice.seconds_exists == 5412u);
    CHECK(alice.dialect == "3.1.1");
    CHECK(alice.dialect_revision == Dialect::Smb3_1_1);
    CHECK(alice.transport_name == "TCP");
    // Nothing Samba-only appears from a Windows table.
    CHECK_FALSE(alice.shares.has_value());
    CHECK_FALSE(alice.samba_server_id.has_value());
    CHECK_FALSE(alice.encrypted.has_value());
    CHECK_FALSE(alice.peer_address.has_value());

    const SessionRecord& node = sessions[1];
    CHECK(node.client_computer_name == "[fe80::8d4c:2b1a:5c3e:91f0]");
    CHECK(node.client_user_name == "CONTOSO\\HV-NODE02$");
    CHECK(node.smb_instance == SmbInstance::CSV);
    CHECK(node.scope_name == "FSCLUSTER");
    CHECK(node.cluster_node_name == "FSCLUSTER-N1");
    CHECK(node.dialect_revision == Dialect::Smb3_0_2);

    CHECK(sessions[2].dialect_revision == Dialect::Smb2_1);
    CHECK(sessions[2].seconds_idle == 7301u);
}

TEST_CASE("PowerShell 7's single object, with CIM objects in depth, is one session", "[windows-snapshot]") {
    const std::vector<SessionRecord> sessions =
        parse_windows_sessions_json(test::read_test_data("windows/get-smbsession-ps7-single.json"), "ps7.json");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].session_id == 8796093022237u);
    CHECK(sessions[0].client_user_name == "CONTOSO\\j\xC3\xBCrgen.m\xC3\xBCller");
    CHECK(sessions[0].num_opens == 12u);
    CHECK(sessions[0].seconds_idle == 0u);
    CHECK(sessions[0].client_computer_name == "192.168.40.12");
}

TEST_CASE("the spellings WMI and ConvertTo-Json use for values are all understood", "[windows-snapshot]") {
    const auto sessions = parse_snapshot(R"([
        {"SessionId": "8796093022237", "NumOpens": "18446744073709551615", "SmbInstance": "CSV"},
        {"sessionid": 1, "smbinstance": "sbl", "DIALECT": "3.02", "numopens": 0},
        {"SessionId": 2, "SmbInstance": 3, "SecondsIdle": "4294967295"},
        {"SessionId": 3, "SmbInstance": "Default", "Dialect": "SMB 9"}
    ])");
    REQUIRE(sessions.size() == 4);
    CHECK(sessions[0].session_id == 8796093022237u);
    CHECK(sessions[0].num_opens == 18446744073709551615u);
    CHECK(sessions[0].smb_instance == SmbInstance::CSV);
    CHECK(sessions[1].session_id == 1u);
    CHECK(sessions[1].smb_instance == SmbInstance::SBL);
    CHECK(sessions[1].dialect == "3.02");  // kept as written
    CHECK(sessions[1].dialect_revision == Dialect::Smb3_0_2);
    CHECK(sessions[1].num_opens == 0u);
    CHECK(sessions[2].smb_instance == SmbInstance::SR);
    CHECK(sessions[2].seconds_idle == 4294967295u);
    CHECK(sessions[3].dialect == "SMB 9");
    CHECK_FALSE(sessions[3].dialect_revision.has_value());
}

TEST_CASE("null and absent properties are unknown, never a default", "[windows-snapshot][unknown]") {
    const auto sessions = parse_snapshot(R"([
        {"SessionId": 7, "ClientComputerName": null, "ClientUserName": null, "ScopeName": null, "ClusterNodeName": null,
         "SmbInstance": null, "NumOpens": null, "SecondsIdle": null, "SecondsExists": null, "Dialect": null,
         "TransportName": null, "Shares": null, "Encrypted": null, "Signed": null, "GroupName": null, "Uid": null,
         "Gid": null, "SambaServerId": null, "PeerAddress": null},
        {"SessionId": 8}
    ])");
    REQUIRE(sessions.size() == 2);
    for (const SessionRecord& s : sessions) {
        CHECK_FALSE(s.client_computer_name.has_value());
        CHECK_FALSE(s.client_user_name.has_value());
        CHECK_FALSE(s.scope_name.has_value());
        CHECK_FALSE(s.cluster_node_name.has_value());
        CHECK_FALSE(s.smb_instance.has_value());
        CHECK_FALSE(s.num_opens.has_value());
        CHECK_FALSE(s.seconds_idle.has_value());
        CHECK_FALSE(s.seconds_exists.has_value());
        CHECK_FALSE(s.dialect.has_value());
        CHECK_FALSE(s.dialect_revision.has_value());
        CHECK_FALSE(s.transport_name.has_value());
        CHECK_FALSE(s.shares.has_value());
        CHECK_FALSE(s.encrypted.has_value());
        CHECK_FALSE(s.signing.has_value());
        CHECK_FALSE(s.group_name.has_value());
        CHECK_FALSE(s.uid.has_value());
        CHECK_FALSE(s.gid.has_value());
        CHECK_FALSE(s.samba_server_id.has_value());
        CHECK_FALSE(s.peer_address.has_value());
    }
    // Written back, unknown stays unknown: null, not "" or Default.
    const std::string json = to_passthru_json(sessions[1]);
    CHECK(json.find(R"("ClientUserName":null)") != std::string::npos);
    CHECK(json.find(R"("SmbInstance":null)") != std::string::npos);
    CHECK(json.find(R"("ScopeName":null)") != std::string::npos);
    CHECK(parse_snapshot("[" + json + "]")[0].scope_name == std::nullopt);
}

TEST_CASE("unknown properties are skipped whatever they hold", "[windows-snapshot]") {
    const auto sessions = parse_snapshot(R"([{
        "CimClass": {"a": [[[{"SessionId": 99, "x": [1, -2.5e3, true, null, "s"]}]]], "b": {}},
        "PSComputerName": "FS01",
        "SessionId": 5,
        "CimInstanceProperties": [{"Name": "SessionId", "Value": 99}, [], {}],
        "SambaServerId": {"Pid": 1, "Vnn": 2, "UniqueId": 3, "Extra": {"deep": [1]}},
        "Future": -1
    }])");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].session_id == 5u);
    CHECK(sessions[0].samba_server_id->pid == 1u);
    CHECK(sessions[0].samba_server_id->vnn == 2u);
    CHECK(sessions[0].samba_server_id->unique_id == 3u);
}

TEST_CASE("an empty array is an empty table", "[windows-snapshot]") {
    CHECK(parse_snapshot("[]").empty());
    CHECK(parse_snapshot("\xEF\xBB\xBF [ ]\r\n").empty());
}

TEST_CASE("to_passthru_json's output reads back unchanged", "[windows-snapshot]") {
    SessionRecord bare;
    bare.session_id = 0;

    SessionRecord windows;
    windows.session_id = 18446744073709551615u;
    windows.client_computer_name = "[fe80::1]";
    windows.client_user_name = "CONTOSO\\Ren\xC3\xA9 \"quoted\" \\ back\tslash\n";
    windows.scope_name = "FSCLUSTER";
    windows.cluster_node_name = "N1";
    windows.smb_instance = SmbInstance::SR;
    windows.num_opens = 18446744073709551615u;
    windows.seconds_idle = 4294967295u;
    windows.seconds_exists = 0;
    windows.dialect = "3.0.2";
    windows.dialect_revision = Dialect::Smb3_0_2;
    windows.transport_name = "TCP";

    SessionRecord samba;
    samba.session_id = 1669522539;
    samba.client_computer_name = "127.0.0.1";
    samba.client_user_name = "alice";
    samba.dialect = "weird dialect";
    samba.transport_name = "tcp";
    samba.num_opens = 2;
    samba.shares = std::vector<std::string>{"home", "IPC$", "projects"};
    samba.encrypted = true;
    samba.signing = false;
    samba.group_name = "domain users";
    samba.uid = 4294967295u;
    samba.gid = 0;
    samba.samba_server_id = SambaServerId{5435, 4294967295u, 9313155988745157340u};
    samba.peer_address = "ipv6:::1:35300";

    SessionRecord no_shares = samba;
    no_shares.session_id = 2;
    no_shares.shares = std::vector<std::string>{};

    const std::vector<SessionRecord> originals = {bare, windows, samba, no_shares};
    for (const std::string& text : {passthru_array(originals), to_passthru_json(samba)}) {
        const std::vector<SessionRecord> read = parse_snapshot(text);
        REQUIRE((read.size() == originals.size() || read.size() == 1));
        for (std::size_t i = 0; i < read.size(); ++i) {
            const SessionRecord& original = read.size() == 1 ? samba : originals[i];
            CHECK(to_passthru_json(read[i]) == to_passthru_json(original));
            CHECK(read[i].dialect_revision == original.dialect_revision);
            CHECK(read[i].shares == original.shares);
        }
    }
}

TEST_CASE("broken Windows snapshots are refused with the file and the place", "[windows-snapshot]") {
    SECTION("syntax") {
        CHECK_THAT(snapshot_error_of(""), StartsWith("sessions.json:1:1: the document is empty"));
        CHECK_THAT(snapshot_error_of("\xEF\xBB\xBF"), StartsWith("sessions.json:1:1: the document is empty"));
        CHECK_THAT(snapshot_error_of("Get-SmbSession : Access denied"), StartsWith("sessions.json:1:1: syntax error"));
        CHECK_THAT(snapshot_error_of("[\r\n  {\"SessionId\": 1},\r\n  {\"SessionId\": 2,,}\r\n]"),
                   StartsWith("sessions.json:3:19: syntax error"));
        CHECK_THAT(snapshot_error_of("[{\"SessionId\": 1}] [{\"SessionId\": 2}]"),
                   StartsWith("sessions.json:1:20: syntax error"));
        CHECK_THAT(snapshot_error_of("[{\"SessionId\": 1e400}]"), StartsWith("sessions.json:1:"));
        CHECK_THAT(snapshot_error_of("[{\"SessionId\": 1e400}]"), Contains("number overflow"));
        CHECK_THAT(snapshot_error_of("[{\"ClientUserName\": \"\xC3\x28\"}]"), StartsWith("sessions.json:1:"));
        CHECK_THAT(snapshot_error_of("\xFF\xFE[\0]\0"), Contains("sessions.json: the text is UTF-16"));
    }
    SECTION("truncated: the place is where the text ends") {
        const std::string text = test::read_test_data("windows/get-smbsession-ps51.json");
        const std::string cut = text.substr(0, 2000);
        const std::size_t lines = static_cast<std::size_t>(std::count(cut.begin(), cut.end(), '\n'));
        CHECK_THAT(snapshot_error_of(cut), StartsWith("sessions.json:" + std::to_string(lines + 1) + ":"));
    }
    SECTION("what the document is") {
        CHECK_THAT(snapshot_error_of("42"),
                   Contains("sessions.json: expected an array of session objects, or one session "
                            "object, got 42"));
        CHECK_THAT(snapshot_error_of("\"x\""), Contains("got \"x\""));
        CHECK_THAT(snapshot_error_of("[{\"SessionId\": 1}, 5]"),
                   Contains("sessions.json: session [1]: expected a session "
                            "object, got 5"));
        CHECK_THAT(snapshot_error_of("[[]]"),
                   Contains("sessions.json: session [0]: expected a session object, got an array"));
        CHECK_THAT(snapshot_error_of("[null]"), Contains("session [0]: expected a session object, got null"));
    }
    SECTION("wrong types name the session and the property") {
        CHECK(snapshot_error_of(R"([{"SessionId": 1, "ClientUserName": 5}])") ==
              "sessions.json: session [0] (SessionId 1), ClientUserName: expected a string, got 5");
        CHECK(snapshot_error_of(R"([{"SessionId": 1}, {"SessionId": 2, "NumOpens": -3}])") ==
              "sessions.json: session [1] (SessionId 2), NumOpens: expected a whole number from 0 to "
              "18446744073709551615 (or its decimal string), got -3");
        CHECK(snapshot_error_of(R"([{"NumOpens": 1.5, "SessionId": 2}])") ==
              "sessions.json: session [0], NumOpens: expected a whole number from 0 to 18446744073709551615 (or "
              "its decimal string), got 1.5");
        CHECK_THAT(snapshot_error_of(R"({"SessionId": -0})"), Contains("SessionId: expected a whole number"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": -0})"), Contains("got -0"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": true})"),
                   Contains("session [0], SessionId: expected a whole number"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": {"Value": 1}})"),
                   Contains("session [0], SessionId: expected a whole number from 0 to 18446744073709551615 (or its "
                            "decimal string), got an object"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "Dialect": ["3.1.1"]})"),
                   Contains("Dialect: expected a string, got an array"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "Encrypted": "yes"})"),
                   Contains("Encrypted: expected true or false, got \"yes\""));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "Shares": "home"})"),
                   Contains("Shares: expected a list of share names, got \"home\""));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "Shares": ["home", 1]})"),
                   Contains("(SessionId 1), Shares: expected a share name (a string), got 1"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "Shares": [["home"]]})"),
                   Contains("Shares: expected a share name (a string), got an array"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "SambaServerId": 5})"),
                   Contains("SambaServerId: expected an object {Pid, Vnn, UniqueId}, got 5"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "SambaServerId": {"Pid": "x", "Vnn": 1, "UniqueId": 1}})"),
                   Contains("(SessionId 1), SambaServerId.Pid: expected a whole number"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "SambaServerId": {"Pid": 1, "Vnn": [], "UniqueId": 1}})"),
                   Contains("SambaServerId.Vnn: expected a whole number from 0 to 4294967295 (or its decimal "
                            "string), got an array"));
        CHECK_THAT(snapshot_error_of(R"({"SessionId": 1, "SambaServerId": {"Pid": 1, "UniqueId": 1}})"),
                   Contains("(SessionId 1): SambaServerId needs Pid, Vnn and UniqueId"));
    }
    SECTION("numbers out of range") {
        CHECK_THAT(snapshot_error_of(R"([{"SessionId": 18446744073709551616}])"),
                   Contains("session [0], SessionId: expected a whole number from 0 to 18446744073709551615 (or its "
                            "decimal string), got 18446744073709551616"));
        CHECK_THAT(snapshot_error_of(R"([{"SessionId": "18446744073709551616"}])"),
                   Contains("got \"18446744073709551616\""));
        CHECK_THAT(snapshot_error_of(R"([{"SessionId": 1, "SecondsIdle": 4294967296}])"),
                   Contains("SecondsIdle: expected a whole number from 0 to 4294967295"));
        CHECK_THAT(snapshot_error_of(R"([{"SessionId": 1, "Uid": -1}])"), Contains("Uid: expected a whole number"));
    }
    SECTION("SmbInstance is one of the four") {
        CHECK(snapshot_error_of(R"([{"SessionId": 9, "SmbInstance": 7}])") ==
              "sessions.json: session [0] (SessionId 9), SmbInstance: expected Default, CSV, SBL, SR or their "
              "numbers 0 to 3, got 7");
        CHECK_THAT(snapshot_error_of(R"([{"SessionId": 9, "SmbInstance": "Cluster"}])"), Contains("got \"Cluster\""));
    }
    SECTION("SessionId is required") {
        CHECK(snapshot_error_of(R"([{"SessionId": 1}, {"SessionId": 2}, {"ClientUserName": "x"}])") ==
              "sessions.json: session [2]: it has no SessionId");
        CHECK(snapshot_error_of(R"({"SessionId": null})") == "sessions.json: session [0]: it has no SessionId");
        CHECK(snapshot_error_of("{}") == "sessions.json: session [0]: it has no SessionId");
    }
    SECTION("a property given twice") {
        CHECK(snapshot_error_of(R"([{"SessionId": 1, "sessionid": 2}])") ==
              "sessions.json: session [0] (SessionId 1), SessionId: the property appears twice in one session");
    }
    SECTION("deep nesting, even inside ignored properties") {
        const std::string deep =
            "[{\"SessionId\": 1, \"CimClass\": " + std::string(200, '[') + std::string(200, ']') + "}]";
        CHECK(snapshot_error_of(deep) ==
              "sessions.json: session [0] (SessionId 1): values nested deeper than 64 levels");
        std::string objects;
        for (int i = 0; i < 100000; ++i) objects += "{\"x\": ";
        CHECK(snapshot_error_of(objects) == "sessions.json: session [0]: values nested deeper than 64 levels");
        CHECK(snapshot_error_of(std::string(1000000, '[')) ==
              "sessions.json: session [0]: expected a session object, got an array");
        CHECK(snapshot_error_of(std::string(1000000, '{')) ==
              "sessions.json:1:2: syntax error while parsing object key - "
              "unexpected '{'; expected string literal");
    }
}

TEST_CASE("any bytes read as a Windows snapshot give records or a SourceError, never a crash",
          "[windows-snapshot][fuzz]") {
    test::check_damaged_copies(
        test::read_test_data("windows/get-smbsession-ps51.json"), ']',
        [](std::string_view text, std::string_view origin) { return parse_windows_sessions_json(text, origin); });
}

TEST_CASE("a large table reads completely", "[windows-snapshot]") {
    std::string text = "[";
    for (int i = 0; i < 20000; ++i) {
        text += (i ? ",\n" : "\n") + std::string(R"({"SessionId": )") + std::to_string(1000 + i) +
                R"(, "ClientUserName": "CORP\\user)" + std::to_string(i) + R"(", "NumOpens": )" +
                std::to_string(i % 5) +
                R"(, "CimSystemProperties": {"Namespace": "ROOT/Microsoft/Windows/SMB", "Path": null}})";
    }
    text += "\n]";
    const auto sessions = parse_snapshot(text);
    REQUIRE(sessions.size() == 20000);
    CHECK(sessions.back().session_id == 20999u);
    CHECK(sessions.back().client_user_name == "CORP\\user19999");
    CHECK(sessions.back().num_opens == 4u);
}
