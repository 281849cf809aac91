#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "sessions/samba/smbstatus_parser.h"
#include "sessions/samba/smbstatus_time.h"
#include "sessions/session_table.h"
#include "test_support.h"

using smbreaper::sessions::Dialect;
using smbreaper::sessions::parse_smbstatus_json;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::SmbstatusDocument;
using smbreaper::sessions::SmbstatusParseOptions;
using smbreaper::sessions::SourceError;

using namespace smbreaper;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using nlohmann::json;

namespace {

const SessionRecord& session_with_id(const SmbstatusDocument& document, std::uint64_t id) {
    const auto found = std::find_if(document.sessions.begin(), document.sessions.end(),
                                    [id](const SessionRecord& s) { return s.session_id == id; });
    REQUIRE(found != document.sessions.end());
    return *found;
}

const SessionRecord& session_of_pid(const SmbstatusDocument& document, std::uint64_t pid) {
    const auto found = std::find_if(document.sessions.begin(), document.sessions.end(),
                                    [pid](const SessionRecord& s) { return s.samba_server_id->pid == pid; });
    REQUIRE(found != document.sessions.end());
    return *found;
}

json server_id(const std::string& pid, const std::string& vnn = "4294967295") {
    return {{"pid", pid}, {"task_id", "0"}, {"vnn", vnn}, {"unique_id", "77" + pid}};
}

json session(const std::string& id, const std::string& pid, int uid, const std::string& vnn = "4294967295") {
    return {{"session_id", id},
            {"server_id", server_id(pid, vnn)},
            {"uid", uid},
            {"gid", uid},
            {"username", "user" + std::to_string(uid)},
            {"groupname", "group" + std::to_string(uid)},
            {"remote_machine", "10.0.0.9"},
            {"hostname", "ipv4:10.0.0.9:50000"},
            {"session_dialect", "SMB3_11"},
            {"encryption", {{"cipher", "-"}, {"degree", "none"}}},
            {"signing", {{"cipher", "AES-128-GMAC"}, {"degree", "partial"}}}};
}

json tcon(const std::string& session_id, const std::string& service, const std::string& connected_at) {
    return {{"service", service},       {"server_id", server_id("1")}, {"tcon_id", "1"},
            {"session_id", session_id}, {"machine", "10.0.0.9"},       {"connected_at", connected_at}};
}

json open_of(const std::string& pid, int uid, const std::string& vnn = "4294967295") {
    return {{"server_id", server_id(pid, vnn)}, {"uid", uid}, {"share_file_id", "3"}};
}

// A document with the given sessions, tcons and opens (all in one file).
json document(json sessions, json tcons = json::object(), json opens = json::object()) {
    return {{"timestamp", "2026-11-23T12:00:00.000000+0000"},
            {"version", "4.17.12-Debian"},
            {"smb_conf", "/etc/samba/smb.conf"},
            {"sessions", std::move(sessions)},
            {"tcons", std::move(tcons)},
            {"open_files", {{"/srv/share/a.txt", {{"opens", std::move(opens)}}}}}};
}

SmbstatusDocument parse(const json& doc, const SmbstatusParseOptions& options = {}) {
    return parse_smbstatus_json(doc.dump(), "status.json", options);
}

std::string error_of(std::string_view text) {
    try {
        parse_smbstatus_json(text, "status.json");
    } catch (const SourceError& error) {
        return error.what();
    }
    FAIL("the document was accepted: " << text);
    return {};
}

std::string error_of_document(const json& doc) { return error_of(doc.dump()); }

}  // namespace

TEST_CASE("the 4-session capture maps to MSFT_SmbSession records", "[smbstatus]") {
    SmbstatusParseOptions options;
    options.local_node_name = "fs-linux-01";
    const SmbstatusDocument doc = parse_smbstatus_json(
        test::read_test_data("samba-4.17/smbstatus-4-sessions-2-open-files.json"), "capture.json", options);

    REQUIRE(doc.sessions.size() == 4);
    REQUIRE(doc.samba_version == "4.17.12-Debian");
    REQUIRE(doc.timestamp == test::utc(2026, 11, 23, 23, 56, 6, 193829));
    REQUIRE(std::is_sorted(doc.sessions.begin(), doc.sessions.end(),
                           [](const SessionRecord& a, const SessionRecord& b) { return a.session_id < b.session_id; }));

    const SessionRecord& alice = session_with_id(doc, 1669522539);
    CHECK(alice.client_user_name == "alice");
    CHECK(alice.group_name == "alice");
    CHECK(alice.uid == 1001u);
    CHECK(alice.gid == 1001u);
    CHECK(alice.client_computer_name == "127.0.0.1");
    CHECK(alice.peer_address == "ipv4:127.0.0.1:42744");
    CHECK(alice.dialect == "3.1.1");
    CHECK(alice.dialect_revision == Dialect::Smb3_1_1);
    CHECK(alice.scope_name == "*");
    CHECK(alice.transport_name == "tcp");
    CHECK(alice.smb_instance == SmbInstance::Default);
    CHECK(alice.cluster_node_name == "fs-linux-01");
    CHECK(alice.samba_server_id->pid == 5435u);
    CHECK(alice.samba_server_id->vnn == 0xFFFFFFFFu);
    CHECK(alice.samba_server_id->unique_id == 9313155988745157340u);
    CHECK(alice.shares == std::vector<std::string>{"share"});
    CHECK(alice.encrypted == false);  // degree "none"
    CHECK(alice.signing == false);    // degree "partial": see the parser
    CHECK_FALSE(alice.seconds_idle.has_value());
    // 23:56:06.193829 - 23:55:58.669272 = 7.5 s
    CHECK(alice.seconds_exists == 7u);
    CHECK(alice.num_opens == 0u);

    CHECK(session_of_pid(doc, 5438).num_opens == 1u);
    CHECK(session_of_pid(doc, 5438).client_user_name == "carol");
    CHECK(session_of_pid(doc, 5436).num_opens == 1u);
    CHECK(session_of_pid(doc, 5437).num_opens == 0u);
    for (const SessionRecord& s : doc.sessions) CHECK(s.seconds_exists == 7u);
}

TEST_CASE("the 5-session capture keeps IPv6 peers as printed", "[smbstatus]") {
    const SmbstatusDocument doc =
        parse_smbstatus_json(test::read_test_data("samba-4.17/smbstatus-5-sessions.json"), "capture.json");
    REQUIRE(doc.sessions.size() == 5);
    const SessionRecord& bob6 = session_with_id(doc, 2928969202);
    CHECK(bob6.client_computer_name == "::1");
    CHECK(bob6.peer_address == "ipv6:::1:35300");
    CHECK(session_of_pid(doc, 7510).num_opens == 1u);
    CHECK(session_of_pid(doc, 7512).num_opens == 1u);
    CHECK(session_of_pid(doc, 7508).num_opens == 0u);
    // 23:57:42.821829 - 23:57:37.130639 = 5.7 s
    CHECK(session_of_pid(doc, 7508).seconds_exists == 5u);
}

TEST_CASE("the 40-session capture: 20 opens of one file spread over 20 sessions", "[smbstatus]") {
    const SmbstatusDocument doc = parse_smbstatus_json(
        test::read_test_data("samba-4.17/smbstatus-40-sessions-20-open-files.json"), "capture.json");
    REQUIRE(doc.sessions.size() == 40);
    std::uint64_t total_opens = 0;
    std::size_t with_opens = 0;
    for (const SessionRecord& s : doc.sessions) {
        total_opens += *s.num_opens;
        with_opens += *s.num_opens > 0 ? 1 : 0;
        CHECK(s.shares == std::vector<std::string>{"share"});
    }
    CHECK(total_opens == 20);
    CHECK(with_opens == 20);
    CHECK(session_of_pid(doc, 18749).num_opens == 1u);
}

TEST_CASE("an empty table is a valid document with no sessions", "[smbstatus]") {
    const SmbstatusDocument doc = parse(document(json::object()));
    CHECK(doc.sessions.empty());
    CHECK(doc.timestamp == test::utc(2026, 11, 23, 12, 0, 0));
}

TEST_CASE("sessions sharing one connection share its opens by uid", "[smbstatus]") {
    // Two sessions (uids 1001 and 1002) on process 300, one session on process 301.
    const json sessions = {
        {"1", session("1", "300", 1001)}, {"2", session("2", "300", 1002)}, {"3", session("3", "301", 1001)}};

    SECTION("an open goes to the session of its uid") {
        const auto doc = parse(document(sessions, json::object(), {{"300/1", open_of("300", 1002)}}));
        CHECK(session_with_id(doc, 1).num_opens == 0u);
        CHECK(session_with_id(doc, 2).num_opens == 1u);
        CHECK(session_with_id(doc, 3).num_opens == 0u);
    }
    SECTION("an open whose uid is no session's counts for every session of the connection") {
        const auto doc = parse(document(sessions, json::object(), {{"300/1", open_of("300", 0)}}));
        CHECK(session_with_id(doc, 1).num_opens == 1u);
        CHECK(session_with_id(doc, 2).num_opens == 1u);
        CHECK(session_with_id(doc, 3).num_opens == 0u);
    }
    SECTION("two sessions of one uid on one connection cannot be told apart: both count the open") {
        const json same_user = {{"1", session("1", "300", 1001)}, {"2", session("2", "300", 1001)}};
        const auto doc = parse(document(same_user, json::object(), {{"300/1", open_of("300", 1001)}}));
        CHECK(session_with_id(doc, 1).num_opens == 1u);
        CHECK(session_with_id(doc, 2).num_opens == 1u);
    }
    SECTION("an open without a uid counts for every session of its process") {
        json open = open_of("300", 1001);
        open.erase("uid");
        const auto doc = parse(document(sessions, json::object(), {{"300/1", open}}));
        CHECK(session_with_id(doc, 1).num_opens == 1u);
        CHECK(session_with_id(doc, 2).num_opens == 1u);
    }
    SECTION("opens of processes without sessions count for nobody") {
        const auto doc = parse(document(sessions, json::object(), {{"999/1", open_of("999", 1001)}}));
        for (const SessionRecord& s : doc.sessions) CHECK(s.num_opens == 0u);
    }
}

TEST_CASE("on a CTDB cluster the node is part of the process identity", "[smbstatus]") {
    const json sessions = {{"1", session("1", "300", 1001, "0")}, {"2", session("2", "300", 1001, "1")}};
    SmbstatusParseOptions options;
    options.local_node_name = "this-host";
    const auto doc = parse(document(sessions, json::object(), {{"300/1", open_of("300", 1001, "1")}}), options);
    CHECK(session_with_id(doc, 1).num_opens == 0u);
    CHECK(session_with_id(doc, 2).num_opens == 1u);
    CHECK(session_with_id(doc, 1).cluster_node_name == "0");
    CHECK(session_with_id(doc, 2).cluster_node_name == "1");
}

TEST_CASE("shares and SecondsExists come from the session's tree connects", "[smbstatus]") {
    const json sessions = {
        {"1", session("1", "300", 1001)}, {"2", session("2", "301", 1001)}, {"3", session("3", "302", 1001)}};
    const json tcons = {
        {"a", tcon("1", "projects", "2026-11-23T11:00:00.900000+00:00")},
        {"b", tcon("1", "home", "2026-11-23T11:59:00.000000+00:00")},
        {"c", tcon("1", "projects", "2026-11-23T11:30:00.000000+00:00")},
        // One hour ahead of UTC: 12:00:30 local is 11:00:30 UTC.
        {"d", tcon("2", "IPC$", "2026-11-23T12:00:30.000000+01:00")},
    };
    const auto doc = parse(document(sessions, tcons));
    const SessionRecord& first = session_with_id(doc, 1);
    CHECK(first.shares == std::vector<std::string>{"home", "projects"});
    CHECK(first.seconds_exists == 3599u);  // from 11:00:00.9, the earliest
    CHECK(session_with_id(doc, 2).seconds_exists == 3570u);
    CHECK(session_with_id(doc, 3).shares == std::vector<std::string>{});
    CHECK_FALSE(session_with_id(doc, 3).seconds_exists.has_value());

    SECTION("a tree connect after the document's time gives 0, not a wrapped number") {
        const json late = {{"a", tcon("1", "home", "2026-11-23T12:00:05.000000+00:00")}};
        CHECK(session_with_id(parse(document(sessions, late)), 1).seconds_exists == 0u);
    }
}

TEST_CASE("without tcons or open_files the values they give are unknown, not zero", "[smbstatus]") {
    json doc = document({{"1", session("1", "300", 1001)}});
    doc.erase("tcons");
    doc.erase("open_files");
    const SessionRecord s = parse(doc).sessions.at(0);
    CHECK_FALSE(s.shares.has_value());
    CHECK_FALSE(s.seconds_exists.has_value());
    CHECK_FALSE(s.num_opens.has_value());
}

TEST_CASE("only a full degree counts as encrypted or signed", "[smbstatus]") {
    const auto with_degrees = [](const char* encryption, const char* signing) {
        json s = session("1", "300", 1001);
        s["encryption"]["degree"] = encryption;
        s["signing"]["degree"] = signing;
        return parse(document({{"1", s}})).sessions.at(0);
    };
    CHECK(with_degrees("full", "full").encrypted == true);
    CHECK(with_degrees("full", "full").signing == true);
    CHECK(with_degrees("partial", "partial").encrypted == false);
    CHECK(with_degrees("partial", "partial").signing == false);
    CHECK(with_degrees("none", "anonymous").encrypted == false);
    CHECK(with_degrees("none", "anonymous").signing == false);
    CHECK_FALSE(with_degrees("quantum", "full").encrypted.has_value());

    json without = session("1", "300", 1001);
    without.erase("encryption");
    without.erase("signing");
    const SessionRecord s = parse(document({{"1", without}})).sessions.at(0);
    CHECK_FALSE(s.encrypted.has_value());
    CHECK_FALSE(s.signing.has_value());
}

TEST_CASE("ids printed through a C int and numeric user names are understood", "[smbstatus]") {
    json s = session("1", "300", 1001);
    s["uid"] = -1294967296;  // uid 3000000000, as Samba prints it
    s["gid"] = -1;           // no gid
    s["username"] = "3000000000";
    s["groupname"] = 4000;
    const SessionRecord record = parse(document({{"1", s}})).sessions.at(0);
    CHECK(record.uid == 3000000000u);
    CHECK_FALSE(record.gid.has_value());
    CHECK(record.client_user_name == "3000000000");
    CHECK(record.group_name == "4000");
}

TEST_CASE("identifiers may be numbers as well as decimal strings", "[smbstatus]") {
    json s = session("1", "300", 1001);
    s["session_id"] = 18446744073709551615u;
    s["server_id"]["pid"] = 300;
    const SessionRecord record = parse(document({{"1", s}})).sessions.at(0);
    CHECK(record.session_id == 18446744073709551615u);
    CHECK(record.samba_server_id->pid == 300u);
}

TEST_CASE("unknown dialects are kept as printed", "[smbstatus]") {
    json s = session("1", "300", 1001);
    s["session_dialect"] = "SMB4_00";
    const SessionRecord record = parse(document({{"1", s}})).sessions.at(0);
    CHECK(record.dialect == "SMB4_00");
    CHECK_FALSE(record.dialect_revision.has_value());
    s["session_dialect"] = "SMB2_10";
    CHECK(parse(document({{"1", s}})).sessions.at(0).dialect == "2.1");
}

TEST_CASE("broken documents are refused with the file and the place", "[smbstatus]") {
    const json good = document({{"1669522539", session("1669522539", "300", 1001)}});

    CHECK_THAT(error_of(""), StartsWith("status.json:1:1: the document is empty"));
    CHECK_THAT(error_of("smbstatus only works as root!\n"), StartsWith("status.json:1:1: syntax error"));
    CHECK_THAT(error_of("{\"timestamp\": \"x\",\n \"sessions\": {]}"), StartsWith("status.json:2:15: syntax error"));
    CHECK_THAT(error_of("[1, 2]"), Contains("status.json: (the document): expected an object, got an array"));
    CHECK_THAT(error_of("{\"a\": 1e400}"), StartsWith("status.json:1:11: number overflow parsing '1e400'"));

    SECTION("the stub smbstatus prints when not run as root") {
        const std::string stub =
            R"({"timestamp": "2026-11-23T23:56:06.193829+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf"})";
        CHECK_THAT(error_of(stub), Contains("status.json: (the document): no \"sessions\" member"));
        CHECK_THAT(error_of(stub), Contains("not run as root"));
    }
    SECTION("truncated") {
        const std::string text = good.dump();
        CHECK_THAT(error_of(text.substr(0, text.size() / 2)), StartsWith("status.json:1:"));
    }
    SECTION("wrong types") {
        json doc = good;
        doc["sessions"]["1669522539"]["session_id"] = json::array();
        CHECK_THAT(error_of_document(doc),
                   Contains("status.json: sessions[\"1669522539\"].session_id: expected a whole number "
                            "from 0 to 18446744073709551615 (or its decimal string), got an array"));
        doc = good;
        doc["sessions"]["1669522539"]["username"] = true;
        CHECK_THAT(error_of_document(doc), Contains("sessions[\"1669522539\"].username: expected a string, got true"));
        doc = good;
        doc["sessions"] = json::array();
        CHECK_THAT(error_of_document(doc), Contains("status.json: sessions: expected an object, got an array"));
        doc = good;
        doc["sessions"]["1669522539"]["server_id"] = "300";
        CHECK_THAT(error_of_document(doc),
                   Contains("sessions[\"1669522539\"].server_id: expected an object, got \"300\""));
    }
    SECTION("numbers out of range") {
        json doc = good;
        doc["sessions"]["1669522539"]["server_id"]["pid"] = "18446744073709551616";
        CHECK_THAT(error_of_document(doc), Contains("sessions[\"1669522539\"].server_id.pid: expected a whole number"));
        doc = good;
        doc["sessions"]["1669522539"]["server_id"]["vnn"] = "4294967296";
        CHECK_THAT(error_of_document(doc), Contains("server_id.vnn: expected a whole number from 0 to 4294967295"));
        doc = good;
        doc["sessions"]["1669522539"]["session_id"] = "-5";
        CHECK_THAT(error_of_document(doc),
                   Contains("session_id: expected a whole number from 0 to 18446744073709551615 "
                            "(or its decimal string), got \"-5\""));
        doc = good;
        doc["sessions"]["1669522539"]["uid"] = -2147483649LL;
        CHECK_THAT(error_of_document(doc), Contains("sessions[\"1669522539\"].uid: expected a uid or gid"));
        doc = good;
        doc["sessions"]["1669522539"]["gid"] = 4294967296LL;
        CHECK_THAT(error_of_document(doc), Contains("sessions[\"1669522539\"].gid: expected a uid or gid"));
        doc = good;
        doc["sessions"]["1669522539"]["uid"] = 1.5;
        CHECK_THAT(error_of_document(doc), Contains(".uid: expected a uid or gid (a whole number from -2147483648 to "
                                                    "4294967295), got 1.5"));
    }
    SECTION("missing members") {
        json doc = good;
        doc["sessions"]["1669522539"].erase("session_id");
        CHECK_THAT(error_of_document(doc),
                   Contains("status.json: sessions[\"1669522539\"]: the member \"session_id\" is missing"));
        doc = good;
        doc["sessions"]["1669522539"]["server_id"].erase("unique_id");
        CHECK_THAT(error_of_document(doc),
                   Contains("sessions[\"1669522539\"].server_id: the member \"unique_id\" is missing"));
        doc = good;
        doc.erase("timestamp");
        CHECK_THAT(error_of_document(doc),
                   Contains("status.json: (the document): the member \"timestamp\" is missing"));
        doc = good;
        doc["sessions"]["1669522539"]["server_id"] = nullptr;
        CHECK_THAT(error_of_document(doc), Contains("the member \"server_id\" is missing"));
    }
    SECTION("a session's other members, missing or null, are unknown") {
        for (const char* member : {"username", "remote_machine", "hostname", "session_dialect", "uid", "gid",
                                   "groupname", "encryption", "signing"}) {
            INFO(member);
            for (const bool null : {false, true}) {
                json doc = good;
                if (null)
                    doc["sessions"]["1669522539"][member] = nullptr;
                else
                    doc["sessions"]["1669522539"].erase(member);
                const SessionRecord s = parse(doc).sessions.at(0);
                const std::string name(member);
                CHECK(s.client_user_name.has_value() == (name != "username"));
                CHECK(s.client_computer_name.has_value() == (name != "remote_machine"));
                CHECK(s.peer_address.has_value() == (name != "hostname"));
                CHECK(s.dialect.has_value() == (name != "session_dialect"));
                CHECK(s.dialect_revision.has_value() == (name != "session_dialect"));
                CHECK(s.uid.has_value() == (name != "uid"));
                CHECK(s.gid.has_value() == (name != "gid"));
                CHECK(s.group_name.has_value() == (name != "groupname"));
                CHECK(s.encrypted.has_value() == (name != "encryption"));
                CHECK(s.signing.has_value() == (name != "signing"));
            }
        }
    }
    SECTION("bad times") {
        json doc = good;
        doc["timestamp"] = "2026-02-30T10:00:00+0000";
        CHECK_THAT(error_of_document(doc), Contains("status.json: timestamp: expected a time such as"));
        doc = good;
        doc["tcons"] = {{"42", tcon("1669522539", "share", "yesterday")}};
        CHECK_THAT(error_of_document(doc), Contains("status.json: tcons[\"42\"].connected_at: expected a time such as "
                                                    "\"2026-11-23T23:56:06.193829+0000\", got \"yesterday\""));
    }
    SECTION("opens") {
        json doc = good;
        doc["open_files"]["/srv/share/a.txt"]["opens"] = {{"300/1", {{"uid", 1}}}};
        CHECK_THAT(error_of_document(doc),
                   Contains("status.json: open_files[\"/srv/share/a.txt\"].opens[\"300/1\"]: the member "
                            "\"server_id\" is missing"));
        doc = good;
        doc["open_files"]["/srv/share/a.txt"].erase("opens");
        CHECK_THAT(error_of_document(doc),
                   Contains("open_files[\"/srv/share/a.txt\"]: the member \"opens\" is missing"));
    }
    SECTION("a key given twice is ambiguous, not silently resolved") {
        const std::string text =
            R"({"timestamp": "2026-11-23T12:00:00+0000", "sessions": {"1": {"uid": 1, "uid": 2}}})";
        CHECK_THAT(error_of(text), Contains("status.json: sessions[\"1\"].uid: the key appears twice in one object"));
        std::string repeated = good.dump();
        const std::string pid = R"("pid":"300",)";
        repeated.replace(repeated.find(pid), pid.size(), pid + R"("pid":"301",)");
        CHECK_THAT(error_of(repeated),
                   Contains("status.json: sessions[\"1669522539\"].server_id.pid: the key appears twice"));

        const std::string one_session = good["sessions"]["1669522539"].dump();
        repeated = R"({"timestamp": "2026-11-23T12:00:00+0000", "sessions": {"7": )" + one_session + R"(, "7": )" +
                   one_session + "}}";
        CHECK_THAT(error_of(repeated), Contains("status.json: sessions[\"7\"]: the key appears twice in one object"));
    }
    SECTION("a null or an array where a session, tree connect, file or open belongs") {
        json doc = good;
        doc["sessions"]["1669522539"] = nullptr;
        CHECK_THAT(error_of_document(doc),
                   Contains("status.json: sessions[\"1669522539\"]: expected an object, got null"));
        doc = good;
        doc["tcons"]["9"] = nullptr;
        CHECK_THAT(error_of_document(doc), Contains("status.json: tcons[\"9\"]: expected an object, got null"));
        doc = good;
        doc["open_files"]["/srv/share/b.txt"] = nullptr;
        CHECK_THAT(error_of_document(doc), Contains("open_files[\"/srv/share/b.txt\"]: expected an object, got null"));
        doc = good;
        doc["open_files"]["/srv/share/a.txt"]["opens"]["300/1"] = nullptr;
        CHECK_THAT(error_of_document(doc), Contains("opens[\"300/1\"]: expected an object, got null"));
        doc = good;
        doc["open_files"] = json::array({json::object()});
        CHECK_THAT(error_of_document(doc), Contains("status.json: open_files: expected an object, got an array"));
        CHECK_THAT(error_of("null"), Contains("status.json: (the document): expected an object, got null"));
        CHECK_THAT(error_of("\"sessions\""),
                   Contains("status.json: (the document): expected an object, got \"sessions\""));
    }
    SECTION("a key given twice in the tcons, open_files or opens map") {
        const std::string tcon_text = tcon("1669522539", "share", "2026-11-23T11:00:00+00:00").dump();
        const std::string open_text = open_of("300", 1001).dump();
        const std::string head = R"({"timestamp": "2026-11-23T12:00:00+0000", "sessions": {}, )";
        CHECK_THAT(error_of(head + R"("tcons": {"5": )" + tcon_text + R"(, "5": )" + tcon_text + "}}"),
                   Contains("status.json: tcons[\"5\"]: the key appears twice in one object"));
        CHECK_THAT(error_of(head + R"("open_files": {"/f": {"opens": {}}, "/f": {"opens": {}}}})"),
                   Contains("status.json: open_files[\"/f\"]: the key appears twice in one object"));
        CHECK_THAT(error_of(head + R"("open_files": {"/f": {"opens": {"1/1": )" + open_text + R"(, "1/1": )" +
                            open_text + "}}}}"),
                   Contains("open_files[\"/f\"].opens[\"1/1\"]: the key appears twice in one object"));
    }
    SECTION("members the reader does not use are checked for syntax and nesting only") {
        json doc = good;
        std::string text = doc.dump();
        const std::string task = R"("task_id":"0",)";
        text.replace(text.find(task), task.size(), task + task);
        CHECK(parse_smbstatus_json(text, "status.json").sessions.size() == 1);
        doc["extra"] = {{"lease", {{"deep", json::array({json::array({json::object()})})}}}};
        CHECK(parse(doc).sessions.size() == 1);
        text = doc.dump();
        text.insert(text.rfind('}'), R"(, "unused": [1, })");
        CHECK_THAT(error_of(text), Contains("syntax error"));
        text = doc.dump();
        text.insert(text.rfind('}'), R"(, "unused": {"deep": )" + std::string(100, '[') + std::string(100, ']') + "}");
        CHECK_THAT(error_of(text), Contains("status.json: unused.deep[0][0]"));
        CHECK_THAT(error_of(text), Contains("nested deeper than 64 levels"));
    }
    SECTION("a syntax error anywhere outweighs a wrong value before it") {
        json doc = good;
        doc["sessions"]["1669522539"]["uid"] = "not a uid";
        std::string text = doc.dump();
        text.insert(text.size() - 1, ", ]");
        CHECK_THAT(error_of(text), StartsWith("status.json:1:"));
        CHECK_THAT(error_of(text), Contains("syntax error"));
    }
    SECTION("one session_id under two keys") {
        json doc = good;
        doc["sessions"]["other"] = session("1669522539", "301", 1002);
        CHECK_THAT(error_of_document(doc), Contains(".session_id: session_id 1669522539 appears twice"));
    }
    SECTION("deep nesting") {
        const std::string deep = "{\"timestamp\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
        CHECK_THAT(error_of(deep), Contains("status.json: timestamp[0][0]"));
        CHECK_THAT(error_of(deep), Contains("nested deeper than 64 levels"));
        CHECK_THAT(error_of(std::string(1000000, '[')), Contains("nested deeper than 64 levels"));
    }
}

TEST_CASE("any bytes read as smbstatus give records or a SourceError, never a crash", "[smbstatus][fuzz]") {
    test::check_damaged_copies(
        test::read_test_data("samba-4.17/smbstatus-4-sessions-2-open-files.json"), '}',
        [](std::string_view text, std::string_view origin) { return parse_smbstatus_json(text, origin); });
}
