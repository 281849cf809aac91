#include <catch2/catch.hpp>

#include <algorithm>

#include "common/utc_time.h"
#include "sessions/open_file_json.h"
#include "sessions/open_file_summary.h"
#include "sessions/samba/smbstatus_parser.h"
#include "sessions/snapshot/snapshot_file.h"
#include "sessions/snapshot/windows_open_files_reader.h"
#include "test_support.h"

using smbreaper::common::parse_utc_timestamp;
using smbreaper::sessions::access_letters;
using smbreaper::sessions::detect_snapshot_format;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::parse_smbstatus_json;
using smbreaper::sessions::parse_windows_open_files_json;
using smbreaper::sessions::read_open_files_file;
using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::SmbstatusParseOptions;
using smbreaper::sessions::SnapshotFormat;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::to_open_files_json;
using smbreaper::sessions::writes;
using smbreaper::test::read_test_data;

using namespace smbreaper;
using Catch::Matchers::Contains;

namespace {

OpenFileRecord with_access(std::uint32_t mask) {
    OpenFileRecord open;
    open.file_id = "1";
    open.permissions = mask;
    return open;
}

const OpenFileRecord& open_with_id(const std::vector<OpenFileRecord>& opens, const std::string& id) {
    const auto found =
        std::find_if(opens.begin(), opens.end(), [&id](const OpenFileRecord& open) { return open.file_id == id; });
    REQUIRE(found != opens.end());
    return *found;
}

}  // namespace

TEST_CASE("an open writes when it may change or delete the file's data; unknown access is unknown", "[open-files]") {
    CHECK(writes(with_access(0x00000001)) == false);  // READ_DATA
    CHECK(writes(with_access(0x00120089)) == false);  // a read-only open as Windows grants it
    CHECK(writes(with_access(0x00000003)) == true);   // READ_DATA | WRITE_DATA
    CHECK(writes(with_access(0x00000004)) == true);   // APPEND_DATA
    CHECK(writes(with_access(0x00010000)) == true);   // DELETE
    CHECK(writes(with_access(0x40000000)) == true);   // GENERIC_WRITE
    CHECK(writes(with_access(0x10000000)) == true);   // GENERIC_ALL
    CHECK(writes(with_access(0x00000100)) == false);  // WRITE_ATTRIBUTES only
    CHECK_FALSE(writes(OpenFileRecord{}).has_value());
    CHECK(access_letters(with_access(0x00000003)) == "RW");
    CHECK(access_letters(with_access(0x00120089)) == "R");
    CHECK(access_letters(with_access(0x000000A1)) == "RX");
    CHECK(access_letters(with_access(0x00010000)) == "D");
    CHECK(access_letters(with_access(0x00000080)) == "-");
    CHECK(access_letters(OpenFileRecord{}) == "(unknown)");
}

TEST_CASE("smbstatus' open files become records with their path, access, time and session", "[open-files][samba]") {
    const auto document =
        parse_smbstatus_json(test::read_test_data("samba-4.17/smbstatus-4-sessions-2-open-files.json"), "fixture",
                             SmbstatusParseOptions{"fs1"});
    REQUIRE(document.open_files);
    REQUIRE(document.open_files->size() == 2);
    const OpenFileRecord& hello = open_with_id(*document.open_files, "5438/3");
    CHECK(hello.path == "/tmp/sambatest/share/hello.txt");
    CHECK(hello.share_relative_path == "hello.txt");
    CHECK(hello.permissions == 3u);
    CHECK(writes(hello) == true);
    CHECK(hello.opened_at == parse_utc_timestamp("2026-11-23T23:55:59.660263+00:00"));
    CHECK_FALSE(hello.first_seen);
    CHECK(hello.uid == 1003u);
    CHECK(hello.samba_pid == 5438u);
    CHECK(hello.cluster_node_name == "fs1");
    CHECK(hello.scope_name == "*");
    CHECK(hello.smb_instance == SmbInstance::Default);
    CHECK(hello.continuously_available == false);
    CHECK_FALSE(hello.locks);
    // pid 5438 carries one session: the open is that session's, with its user and client.
    const auto holder = std::find_if(document.sessions.begin(), document.sessions.end(),
                                     [](const auto& s) { return s.samba_server_id->pid == 5438; });
    REQUIRE(holder != document.sessions.end());
    CHECK(hello.session_id == holder->session_id);
    CHECK(hello.client_user_name == holder->client_user_name);
    CHECK(hello.client_computer_name == holder->client_computer_name);
}

TEST_CASE("an open whose process carries several sessions of its user has no known session", "[open-files][samba]") {
    const std::string document = R"({
      "timestamp": "2026-11-23T23:56:06.193829+0000", "version": "4.17.12-Debian",
      "sessions": {
        "10": {"session_id": "10", "server_id": {"pid": "77", "vnn": "4294967295", "unique_id": "1"},
               "uid": 1001, "username": "alice", "remote_machine": "10.0.0.5"},
        "11": {"session_id": "11", "server_id": {"pid": "77", "vnn": "4294967295", "unique_id": "1"},
               "uid": 1001, "username": "alice", "remote_machine": "10.0.0.5"}},
      "tcons": {},
      "open_files": {"/srv/a.txt": {"service_path": "/srv", "filename": "a.txt", "opens": {
          "77/9": {"server_id": {"pid": "77", "vnn": "4294967295"}, "uid": 1001,
                   "access_mask": {"hex": "0x00000001"}, "opened_at": "2026-11-23T23:50:00.000000+00:00"}}}}
    })";
    const auto parsed = parse_smbstatus_json(document, "doc");
    REQUIRE(parsed.open_files->size() == 1);
    const OpenFileRecord& open = parsed.open_files->front();
    CHECK_FALSE(open.session_id);             // one of two: not guessed
    CHECK(open.client_user_name == "alice");  // both sessions agree
    CHECK(open.client_computer_name == "10.0.0.5");
    CHECK(writes(open) == false);
    for (const auto& session : parsed.sessions) CHECK(session.num_opens == 1u);  // counted for both, as before
}

TEST_CASE("a wrong access mask or open time in smbstatus' document is refused with its place", "[open-files][samba]") {
    const auto with_open = [](const std::string& open) {
        return R"({"timestamp": "2026-11-23T23:56:06.193829+0000", "sessions": {}, "open_files": {"/srv/a": {"opens": {"1/1": {"server_id": {"pid": "1", "vnn": "4294967295"}, )" +
               open + "}}}}}";
    };
    CHECK_THROWS_WITH(parse_smbstatus_json(with_open(R"("access_mask": {"hex": "3"})"), "doc"),
                      Contains("access_mask.hex") && Contains("expected an access mask"));
    CHECK_THROWS_WITH(parse_smbstatus_json(with_open(R"("access_mask": {"hex": "0x1234567890"})"), "doc"),
                      Contains("expected an access mask"));
    CHECK_THROWS_WITH(parse_smbstatus_json(with_open(R"("access_mask": "RW")"), "doc"), Contains("access_mask"));
    CHECK_THROWS_WITH(parse_smbstatus_json(with_open(R"("opened_at": "yesterday")"), "doc"),
                      Contains("opened_at") && Contains("expected a time"));
    // Missing or null: unknown, not refused.
    const auto parsed = parse_smbstatus_json(with_open(R"("access_mask": null)"), "doc");
    CHECK_FALSE(parsed.open_files->front().permissions);
    CHECK_FALSE(writes(parsed.open_files->front()).has_value());
    // Written as JSON, unknown access is null, not a word for people.
    const std::string json = to_open_files_json({&parsed.open_files->front()});
    CHECK(json.find(R"("Access":null)") != std::string::npos);
    CHECK(json.find(R"("Writes":null)") != std::string::npos);
}

TEST_CASE("Get-SmbOpenFile's ConvertTo-Json reads as open files", "[open-files][windows]") {
    const std::string text = test::read_test_data("windows/get-smbopenfile-ps51.json");
    CHECK(detect_snapshot_format(text) == SnapshotFormat::WindowsOpenFiles);
    const std::vector<OpenFileRecord> opens = parse_windows_open_files_json(text, "export.json");
    REQUIRE(opens.size() == 3);
    const OpenFileRecord& budget = opens[0];
    CHECK(budget.file_id == "13194139534117");
    CHECK(budget.session_id == 13194139533381u);
    CHECK(budget.path == "C:\\Shares\\Finance\\Q3\\budget.xlsx");
    CHECK(budget.share_relative_path == "Q3\\budget.xlsx");
    CHECK(budget.client_user_name == "CONTOSO\\alice");
    CHECK(budget.permissions == 1180063u);
    CHECK(writes(budget) == true);
    CHECK(writes(opens[1]) == false);  // travel.pdf, read-only
    CHECK(opens[2].locks == 2u);
    CHECK(budget.continuously_available == false);
    CHECK(budget.smb_instance == SmbInstance::Default);
    CHECK_FALSE(budget.opened_at);  // Windows gives no open time
    const auto single =
        parse_windows_open_files_json(test::read_test_data("windows/get-smbopenfile-ps7-single.json"), "one");
    REQUIRE(single.size() == 1);
    CHECK(single[0].file_id == "13194139534133");
}

TEST_CASE("an open-file list with a wrong value is refused, naming the open and the property",
          "[open-files][windows]") {
    CHECK_THROWS_WITH(parse_windows_open_files_json(R"([{"SessionId": 1}])", "f"),
                      Contains("open file [0]") && Contains("no FileId"));
    CHECK_THROWS_WITH(parse_windows_open_files_json(R"([{"FileId": 1, "Permissions": -1}])", "f"),
                      Contains("(FileId 1), Permissions"));
    CHECK_THROWS_WITH(parse_windows_open_files_json(R"([{"FileId": 1, "FileId": 2}])", "f"), Contains("twice"));
    CHECK_THROWS_WITH(parse_windows_open_files_json(R"([{"FileId": 1}, {"FileId": "1"}])", "f"),
                      Contains("open file [1] (FileId 1): its FileId appears twice"));
    CHECK_THROWS_WITH(parse_windows_open_files_json(R"([{"FileId": 1, "Path": {"a": 1}}])", "f"),
                      Contains("Path: expected a string"));
    CHECK_THROWS_WITH(parse_windows_open_files_json(R"([{"FileId": 1}, 5])", "f"), Contains("expected an array of"));
    CHECK_THROWS_WITH(parse_windows_open_files_json(R"([{"FileId": 1, "SmbInstance": 9}])", "f"),
                      Contains("SmbInstance"));
    CHECK_THROWS_WITH(parse_windows_open_files_json(R"([{"FileId": 1,)", "f"), Contains("f:1:"));
    const std::string deep = R"([{"FileId": 1, "CimClass": )" + std::string(100, '[') + std::string(100, ']') + "}]";
    CHECK_THROWS_WITH(parse_windows_open_files_json(deep, "f"), Contains("nested deeper"));
    // Properties it does not use are skipped whatever they hold; null is unknown.
    const auto opens =
        parse_windows_open_files_json(R"([{"FileId": "7", "CimClass": {"x": [1, {"y": 2}]}, "Locks": null}])", "f");
    REQUIRE(opens.size() == 1);
    CHECK(opens[0].file_id == "7");
    CHECK_FALSE(opens[0].locks);
}

TEST_CASE("files --format json reads back unchanged, Samba's opens too", "[open-files]") {
    const auto document =
        parse_smbstatus_json(test::read_test_data("samba-4.17/smbstatus-4-sessions-2-open-files.json"), "fixture",
                             SmbstatusParseOptions{"fs1"});
    std::vector<const OpenFileRecord*> pointers;
    for (const OpenFileRecord& open : *document.open_files) pointers.push_back(&open);
    const std::string json = to_open_files_json(pointers);
    const auto read_back = parse_windows_open_files_json(json, "written");
    REQUIRE(read_back.size() == pointers.size());
    for (std::size_t i = 0; i < read_back.size(); ++i) {
        const OpenFileRecord& a = *pointers[i];
        const OpenFileRecord& b = read_back[i];
        CHECK(a.file_id == b.file_id);
        CHECK(a.session_id == b.session_id);
        CHECK(a.path == b.path);
        CHECK(a.permissions == b.permissions);
        CHECK(a.samba_pid == b.samba_pid);
        CHECK(a.uid == b.uid);
        // Times are written to the millisecond.
        CHECK(std::chrono::floor<std::chrono::milliseconds>(*a.opened_at) == b.opened_at);
    }
}

TEST_CASE("a snapshot file says which kind of list it is, and each reader refuses the other kind",
          "[open-files][snapshot]") {
    test::TempDir dir;
    const auto opens_file = dir / "opens.json";
    test::write_file(opens_file, test::read_test_data("windows/get-smbopenfile-ps51.json"));
    CHECK_THROWS_WITH(read_snapshot_file(opens_file), Contains("list of open files") && Contains("smbreaper files"));
    CHECK(read_open_files_file(opens_file).size() == 3);

    const auto sessions_file = dir / "sessions.json";
    test::write_file(sessions_file, test::read_test_data("windows/get-smbsession-ps51.json"));
    CHECK_THROWS_WITH(read_open_files_file(sessions_file), Contains("Get-SmbOpenFile"));

    const auto smbstatus_file = dir / "smbstatus.json";
    test::write_file(smbstatus_file, test::read_test_data("samba-4.17/smbstatus-4-sessions-2-open-files.json"));
    CHECK(read_open_files_file(smbstatus_file).size() == 2);
    const auto snapshot = read_snapshot_file(smbstatus_file);
    REQUIRE(snapshot.open_files);
    CHECK(snapshot.open_files->size() == 2);

    const auto empty_file = dir / "empty.json";
    test::write_file(empty_file, "[]");
    CHECK(read_open_files_file(empty_file).empty());
}

TEST_CASE("a session's open-file values are unknown where one of its opens leaves them so", "[open-files]") {
    using smbreaper::sessions::SessionRecord;
    using smbreaper::sessions::summarize_open_files_by_session_id;
    const auto now = std::chrono::system_clock::now();
    std::vector<SessionRecord> sessions(3);
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        sessions[i].session_id = i + 1;
        sessions[i].num_opens = 1;
    }
    std::vector<OpenFileRecord> opens(3);
    for (std::size_t i = 0; i < opens.size(); ++i) {
        opens[i].file_id = std::to_string(100 + i);
        opens[i].session_id = i + 1;
        opens[i].permissions = 0x1;
        opens[i].share_relative_path = "file" + std::to_string(i);
        opens[i].first_seen = now - std::chrono::hours(1);
    }
    opens[1].share_relative_path.reset();  // no path at all: open_paths unknown
    opens[2].first_seen.reset();           // no time: oldest_open unknown
    opens[2].permissions.reset();          // no access: counts as a write
    summarize_open_files_by_session_id(sessions, opens, now);
    CHECK(sessions[0].write_opens == 0u);
    CHECK(sessions[0].oldest_open_seconds == 3600u);
    CHECK(sessions[0].open_paths == std::vector<std::string>{"file0"});
    CHECK_FALSE(sessions[1].open_paths);
    CHECK(sessions[1].write_opens == 0u);
    CHECK_FALSE(sessions[2].oldest_open_seconds);
    CHECK(sessions[2].write_opens == 1u);

    // More opens counted than listed: nothing is known from the listing.
    sessions[0].num_opens = 2;
    summarize_open_files_by_session_id(sessions, opens, now);
    CHECK_FALSE(sessions[0].write_opens);
    CHECK_FALSE(sessions[0].open_paths);
}
