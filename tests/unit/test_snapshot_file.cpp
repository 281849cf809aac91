#include <catch2/catch.hpp>

#include "sessions/session_json.h"
#include "sessions/snapshot/snapshot_file.h"
#include "sessions/snapshot/windows_snapshot_reader.h"
#include "test_support.h"

using smbreaper::sessions::CloseOutcome;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::detect_snapshot_format;
using smbreaper::sessions::parse_smbstatus_json;
using smbreaper::sessions::parse_windows_sessions_json;
using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SmbstatusParseOptions;
using smbreaper::sessions::SnapshotFormat;
using smbreaper::sessions::SnapshotSessionTable;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::to_passthru_json;
using smbreaper::sessions::to_windows_snapshot_json;

using namespace smbreaper;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const char* const four_sessions = "samba-4.17/smbstatus-4-sessions-2-open-files.json";

std::vector<std::string> passthru_of(const std::vector<SessionRecord>& sessions) {
    std::vector<std::string> out;
    for (const SessionRecord& s : sessions) out.push_back(to_passthru_json(s));
    return out;
}

std::vector<SessionRecord> without_id(std::vector<SessionRecord> sessions, std::uint64_t id) {
    std::erase_if(sessions, [id](const SessionRecord& s) { return s.session_id == id; });
    return sessions;
}

}  // namespace

TEST_CASE("the format is told by the top-level members", "[snapshot]") {
    CHECK(detect_snapshot_format(test::read_test_data(four_sessions)) == SnapshotFormat::Smbstatus);
    CHECK(detect_snapshot_format(test::read_test_data("windows/get-smbsession-ps51.json")) == SnapshotFormat::Windows);
    CHECK(detect_snapshot_format(test::read_test_data("windows/get-smbsession-ps7-single.json")) ==
          SnapshotFormat::Windows);
    CHECK(detect_snapshot_format("\xEF\xBB\xBF {\"version\": \"4.17\", \"sessions\": {}}") ==
          SnapshotFormat::Smbstatus);
    CHECK(detect_snapshot_format(R"({"sessions": {}, "x": [{"timestamp": 1}], "timestamp": "t"})") ==
          SnapshotFormat::Smbstatus);
    // "timestamp" inside a nested object does not count.
    CHECK(detect_snapshot_format(R"({"sessions": {}, "x": {"timestamp": 1}})") == SnapshotFormat::Windows);
    CHECK(detect_snapshot_format(R"({"SessionId": 1, "sessions": 2})") == SnapshotFormat::Windows);
    CHECK(detect_snapshot_format("[]") == SnapshotFormat::Windows);
    CHECK(detect_snapshot_format("") == SnapshotFormat::Windows);
    CHECK(detect_snapshot_format("{\"version\": ") == SnapshotFormat::Windows);
    CHECK(detect_snapshot_format(std::string(100000, '{')) == SnapshotFormat::Windows);
}

TEST_CASE("an smbstatus snapshot is taken at its timestamp", "[snapshot]") {
    SmbstatusParseOptions options;
    options.local_node_name = "fs-linux-01";
    const SessionSnapshot snapshot = read_snapshot_file(test::test_data(four_sessions), options);
    REQUIRE(snapshot.sessions.size() == 4);
    CHECK(snapshot.sessions[0].cluster_node_name == "fs-linux-01");
    const auto expected = parse_smbstatus_json(test::read_test_data(four_sessions), "x").timestamp;
    CHECK(snapshot.taken_at == expected);
}

TEST_CASE("a Windows snapshot is taken when the file was last written", "[snapshot]") {
    test::TempDir folder;
    const fs::path file = folder / "table.json";
    fs::copy_file(test::test_data("windows/get-smbsession-ps51.json"), file);
    // Whole seconds: the C runtime under MinGW sets and reads modification times to the second.
    const auto written =
        std::chrono::floor<std::chrono::seconds>(fs::file_time_type::clock::now() - std::chrono::hours(30));
    fs::last_write_time(file, written);

    const SessionSnapshot snapshot = read_snapshot_file(file);
    CHECK(snapshot.sessions.size() == 3);
    const auto expected = std::chrono::file_clock::to_sys(written);
    CHECK(std::chrono::abs(snapshot.taken_at - expected) < std::chrono::milliseconds(1));
}

TEST_CASE("unreadable snapshot files are errors naming the file", "[snapshot]") {
    test::TempDir folder;
    CHECK_THROWS_WITH(read_snapshot_file(folder / "absent.json"),
                      StartsWith("cannot read the snapshot file " + (folder / "absent.json").string() + ": "));
    CHECK_THROWS_WITH(read_snapshot_file(folder.path()), Contains("is a folder, not a regular file"));

    test::write_file(folder / "broken.json", "[\n  {\"SessionId\": 1,\n");
    CHECK_THROWS_WITH(read_snapshot_file(folder / "broken.json"),
                      StartsWith((folder / "broken.json").string() + ":3:1:"));

    test::write_file(folder / "stub.json", R"({"timestamp": "2026-11-23T23:56:06+0000", "version": "4.17.12"})");
    CHECK_THROWS_AS(read_snapshot_file(folder / "stub.json"), SourceError);
}

TEST_CASE("the Windows format this program writes reads back unchanged", "[snapshot]") {
    const auto sessions = parse_smbstatus_json(test::read_test_data(four_sessions), "x").sessions;
    const std::string text = to_windows_snapshot_json(sessions);
    CHECK(std::count(text.begin(), text.end(), '\n') == 6);  // "[", one line per session, "]"
    CHECK(passthru_of(parse_windows_sessions_json(text, "x")) == passthru_of(sessions));
    CHECK(to_windows_snapshot_json({}) == "[]\n");
    CHECK(parse_windows_sessions_json(to_windows_snapshot_json({}), "x").empty());
}

TEST_CASE("closing a session of a snapshot removes exactly its record", "[snapshot]") {
    test::TempDir folder;
    const fs::path file = folder / "table.json";
    SnapshotSessionTable table(file, SmbstatusParseOptions{"fs-linux-01"});
    CHECK(table.name() == "snapshot");

    SECTION("from an smbstatus file, which becomes a Windows one") {
        fs::copy_file(test::test_data(four_sessions), file);
        const std::vector<SessionRecord> before = table.list().sessions;
        REQUIRE(before.size() == 4);
        const SessionRecord carol = before[2];  // sorted by SessionId
        REQUIRE(carol.client_user_name == "carol");

        const CloseResult closed = table.close(carol);
        CHECK(closed.outcome == CloseOutcome::Closed);
        CHECK_THAT(closed.detail, Contains("2014042270"));
        CHECK(detect_snapshot_format(test::read_file(file)) == SnapshotFormat::Windows);
        const std::vector<SessionRecord> after = table.list().sessions;
        CHECK(passthru_of(after) == passthru_of(without_id(before, carol.session_id)));

        const CloseResult again = table.close(carol);
        CHECK(again.outcome == CloseOutcome::Vanished);
        CHECK_THAT(again.detail, Contains("SessionId 2014042270 is no longer in " + file.string()));
        CHECK(passthru_of(table.list().sessions) == passthru_of(after));
    }
    SECTION("from a Windows file, down to an empty table") {
        fs::copy_file(test::test_data("windows/get-smbsession-ps51.json"), file);
        const std::vector<SessionRecord> before = table.list().sessions;
        REQUIRE(before.size() == 3);
        CHECK(table.close(before[2]).outcome == CloseOutcome::Closed);
        CHECK(passthru_of(table.list().sessions) == passthru_of({before[0], before[1]}));
        CHECK(table.close(before[0]).outcome == CloseOutcome::Closed);
        CHECK(table.close(before[1]).outcome == CloseOutcome::Closed);
        CHECK(table.list().sessions.empty());
        CHECK(table.close(before[1]).outcome == CloseOutcome::Vanished);
        // Nothing but the snapshot is left in its folder.
        CHECK(std::distance(fs::directory_iterator(folder.path()), fs::directory_iterator()) == 1);
    }
    SECTION("a broken file is not touched") {
        const std::string broken = "[{\"SessionId\": 1}, {\"SessionId\": ";
        test::write_file(file, broken);
        SessionRecord one;
        one.session_id = 1;
        const CloseResult failed = table.close(one);
        CHECK(failed.outcome == CloseOutcome::Failed);
        CHECK_THAT(failed.detail, StartsWith(file.string() + ":1:"));
        CHECK(test::read_file(file) == broken);
    }
    SECTION("a missing file cannot be closed in") {
        SessionRecord one;
        one.session_id = 1;
        CHECK(table.close(one).outcome == CloseOutcome::Failed);
        CHECK_THROWS_AS(table.list(), SourceError);
    }
}
