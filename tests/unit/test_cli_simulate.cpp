#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

#include "audit_test_support.h"

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
