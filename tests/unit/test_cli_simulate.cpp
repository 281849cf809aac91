#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

#include "audit_test_support.h"
#include "test_support.h"

using smbreaper::test::run_smbreaper;
using smbreaper::test::source_path;

namespace {

struct Decision {
    std::string verdict;
    std::string rule;   // "" for none
    std::string guard;  // "" for none
};

std::map<std::string, Decision> decisions_by_user(const nlohmann::json& report) {
    std::map<std::string, Decision> out;
    for (const auto& s : report["sessions"]) {
        out[s["ClientUserName"].get<std::string>()] = {s["verdict"].get<std::string>(),
                                                       s["rule"].is_null() ? "" : s["rule"].get<std::string>(),
                                                       s["guard"].is_null() ? "" : s["guard"].get<std::string>()};
    }
    return out;
}

const std::string kReference = source_path("config/examples/reference.yaml");
const std::string kWindowsTable = source_path("config/examples/snapshots/windows-fileserver.json");
const std::string kCloseAllIdle = source_path("tests/data/policies/close-all-idle.yaml");

}  // namespace

// The verdicts below were worked out by hand from docs/POLICY.md for each row of the table.
TEST_CASE("simulate gives the hand-checked verdicts on a Windows table", "[cli][simulate]") {
    const auto result = run_smbreaper({"simulate", "--format", "json", "--at", "2026-11-24T20:00:00", "--policy",
                                       kReference, "--snapshot", kWindowsTable});
    REQUIRE(result.exit_code == 0);
    const auto report = nlohmann::json::parse(result.out);
    REQUIRE(report["mode"] == "audit");
    REQUIRE(report["refused"] == false);
    REQUIRE(report["sessions"].size() == 12);
    const auto d = decisions_by_user(report);
    const std::map<std::string, Decision> expected = {
        {"CORP\\alice", {"close", "idle-2h", ""}},  // idle 2.5h, nothing open
        {"CORP\\bob", {"keep", "", ""}},            // idle but 2 files open: idle-2h needs open_files 0
        {"CORP\\svc_backup", {"keep", "keep-service-accounts", ""}},
        {"CORP\\carol", {"keep", "", ""}},  // active
        {"CORP\\HV-HOST03$", {"keep", "idle-2h", "machine_accounts"}},
        {"CORP\\dave", {"keep", "", ""}},                               // SMB 2.1 but in the lab block 10.20.0.0/16
        {"CORP\\erin", {"close", "legacy-dialects", ""}},               // SMB 2.0.2 with files open: allow_open_files
        {"CORP\\ext-frank", {"audit", "contractors-after-hours", ""}},  // Tuesday 20:00 is inside the window
        {"CORP\\grace", {"keep", "idle-2h", "non_default_instances"}},  // a CSV session
        {"CORP\\heidi", {"close", "idle-2h", ""}},  // the lab exception belongs to legacy-dialects only
        {"CORP\\ivan", {"keep", "", ""}},
        {"backup", {"keep", "keep-service-accounts", ""}},  // bracketed IPv6 client, service account
    };
    for (const auto& [user, decision] : expected) {
        INFO(user);
        REQUIRE(d.at(user).verdict == decision.verdict);
        REQUIRE(d.at(user).rule == decision.rule);
        REQUIRE(d.at(user).guard == decision.guard);
    }
}

TEST_CASE("simulate --at outside the when window drops the after-hours rule", "[cli][simulate]") {
    const auto result = run_smbreaper({"simulate", "--format", "json", "--at", "2026-11-24T12:00:00", "--policy",
                                       kReference, "--snapshot", kWindowsTable});
    const auto d = decisions_by_user(nlohmann::json::parse(result.out));
    REQUIRE(d.at("CORP\\ext-frank").verdict == "keep");
}

TEST_CASE("simulate reads smbstatus tables too", "[cli][simulate]") {
    const auto result =
        run_smbreaper({"simulate", "--format", "json", "--policy", source_path("config/examples/legacy-dialects.yaml"),
                       "--snapshot", source_path("config/examples/snapshots/samba-fileserver.json")});
    REQUIRE(result.exit_code == 0);
    const auto report = nlohmann::json::parse(result.out);
    REQUIRE(report["sessions"].size() == 4);
    for (const auto& s : report["sessions"]) {
        // smbstatus has no idle time: the idle rules cannot match, and nothing is guessed.
        REQUIRE(s["SecondsIdle"].is_null());
        REQUIRE(s["verdict"] == "keep");
        REQUIRE(s["Dialect"] == "3.1.1");
    }
}

TEST_CASE("simulate reports refusal when the fraction limit would trip", "[cli][simulate]") {
    const auto result =
        run_smbreaper({"simulate", "--format", "json", "--policy", kCloseAllIdle, "--snapshot", kWindowsTable});
    REQUIRE(result.exit_code == 0);
    REQUIRE(nlohmann::json::parse(result.out)["refused"] == true);
    const auto text = run_smbreaper({"simulate", "--policy", kCloseAllIdle, "--snapshot", kWindowsTable});
    REQUIRE(text.out.find("REFUSED") != std::string::npos);
}

TEST_CASE("simulate's text table has a row per session and a summary", "[cli][simulate]") {
    const auto result =
        run_smbreaper({"simulate", "--at", "2026-11-24T20:00:00", "--policy", kReference, "--snapshot", kWindowsTable});
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.out.find("12 sessions: 3 close, 1 audit, 8 keep (2 by a guard)") != std::string::npos);
    REQUIRE(result.out.find("nothing would be closed") != std::string::npos);
}

TEST_CASE("simulate refuses bad input with a clear message", "[cli][simulate]") {
    auto result = run_smbreaper({"simulate", "--policy", kReference, "--snapshot", "/nonexistent.json"});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find("/nonexistent.json") != std::string::npos);
    result = run_smbreaper(
        {"simulate", "--policy", source_path("tests/data/policies/broken.yaml"), "--snapshot", kWindowsTable});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find("broken.yaml:8:7") != std::string::npos);
    result = run_smbreaper({"simulate", "--at", "tomorrow", "--policy", kReference, "--snapshot", kWindowsTable});
    REQUIRE(result.exit_code == 2);
}

namespace {

// A Windows server's two exports, written at the same moment: Alice's idle laptop holds a PST
// (read-write) and a PDF; Bob is active with his PST open.
const std::string kTwoSessions = R"([
 {"SessionId": 11, "ClientComputerName": "10.0.0.11", "ClientUserName": "CORP\\alice", "NumOpens": 2,
  "SecondsIdle": 7300, "SecondsExists": 90000, "Dialect": "3.1.1", "SmbInstance": 0},
 {"SessionId": 12, "ClientComputerName": "10.0.0.12", "ClientUserName": "CORP\\bob", "NumOpens": 1,
  "SecondsIdle": 20, "SecondsExists": 90000, "Dialect": "3.1.1", "SmbInstance": 0}
])";
const std::string kTheirOpens = R"([
 {"FileId": 501, "SessionId": 11, "ClientUserName": "CORP\\alice", "Path": "D:\\Mail\\alice\\mail.pst",
  "ShareRelativePath": "alice\\mail.pst", "Permissions": 1180063, "Locks": 0},
 {"FileId": 502, "SessionId": 11, "ClientUserName": "CORP\\alice", "Path": "D:\\Mail\\alice\\rules.pdf",
  "ShareRelativePath": "alice\\rules.pdf", "Permissions": 1179785, "Locks": 0},
 {"FileId": 601, "SessionId": 12, "ClientUserName": "CORP\\bob", "Path": "D:\\Mail\\bob\\mail.pst",
  "ShareRelativePath": "bob\\mail.pst", "Permissions": 1180063, "Locks": 0}
])";
const std::string kClosePstPolicy = R"(version: 1
settings:
  source: wmi
rules:
  - name: idle-pst
    action: close_files
    match: {idle: '>= 1h'}
    files: {path: '*.pst'}
)";

}  // namespace

TEST_CASE("simulate with --open-files shows the opens a close_files rule would close", "[cli][simulate][close_files]") {
    smbreaper::test::TempDir dir;
    smbreaper::test::write_file(dir / "sessions.json", kTwoSessions);
    smbreaper::test::write_file(dir / "opens.json", kTheirOpens);
    smbreaper::test::write_file(dir / "policy.yaml", kClosePstPolicy);
    const std::vector<std::string> command{"simulate",
                                           "--policy",
                                           (dir / "policy.yaml").string(),
                                           "--snapshot",
                                           (dir / "sessions.json").string(),
                                           "--open-files",
                                           (dir / "opens.json").string()};

    auto json_command = command;
    json_command.insert(json_command.end(), {"--format", "json"});
    const auto result = run_smbreaper(json_command);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const auto report = nlohmann::json::parse(result.out);
    CHECK(report["files_refused"] == false);
    const auto& alice = report["sessions"][0];
    CHECK(alice["verdict"] == "close_files");
    CHECK(alice["WriteOpens"] == 1);  // the PST; the PDF is read-only
    REQUIRE(alice["FilesToClose"].size() == 1);
    CHECK(alice["FilesToClose"][0]["FileId"] == 501);
    CHECK(alice["FilesToClose"][0]["ShareRelativePath"] == "alice\\mail.pst");
    const auto& bob = report["sessions"][1];
    CHECK(bob["verdict"] == "keep");
    CHECK_FALSE(bob.contains("FilesToClose"));

    const auto text = run_smbreaper(command);
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("Open files the close_files rules would close:") != std::string::npos);
    CHECK(text.out.find("alice\\mail.pst") != std::string::npos);
    CHECK(text.out.find("bob\\mail.pst") == std::string::npos);
    CHECK(text.out.find("2 sessions: 0 close, 1 close_files (1 open files to close), 0 audit, 1 keep") !=
          std::string::npos);

    // Without the open files, nothing is known about them and nothing would be closed.
    const auto unknown = run_smbreaper({"simulate", "--format", "json", "--policy", (dir / "policy.yaml").string(),
                                        "--snapshot", (dir / "sessions.json").string()});
    REQUIRE(unknown.exit_code == 0);
    CHECK(nlohmann::json::parse(unknown.out)["sessions"][0]["FilesToClose"].is_null());
}

TEST_CASE("simulate --open-files refuses the wrong files", "[cli][simulate][close_files]") {
    smbreaper::test::TempDir dir;
    smbreaper::test::write_file(dir / "sessions.json", kTwoSessions);
    smbreaper::test::write_file(dir / "policy.yaml", kClosePstPolicy);
    // A session list where the open files belong.
    auto result = run_smbreaper({"simulate", "--policy", (dir / "policy.yaml").string(), "--snapshot",
                                 (dir / "sessions.json").string(), "--open-files", (dir / "sessions.json").string()});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("sessions.json") != std::string::npos);
    // An smbstatus document, which lists its own.
    result = run_smbreaper({"simulate", "--policy", (dir / "policy.yaml").string(), "--snapshot",
                            source_path("config/examples/snapshots/samba-fileserver.json"), "--open-files",
                            (dir / "sessions.json").string()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("--open-files goes with a Get-SmbSession export") != std::string::npos);
}
