#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit_test_support.h"

using smbreaper::test::run_smbreaper;
using smbreaper::test::source_path;

TEST_CASE("check accepts a valid policy with exit 0", "[cli][check]") {
    const auto result = run_smbreaper({"check", source_path("config/examples/reference.yaml")});
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.out.find("valid (4 rules, mode audit, 0 warnings)") != std::string::npos);
}

TEST_CASE("check rejects a broken policy with every located error and exit 1", "[cli][check]") {
    const auto result = run_smbreaper({"check", source_path("tests/data/policies/broken.yaml")});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.out.find("broken.yaml:3:9: error: settings.mode") != std::string::npos);
    REQUIRE(result.out.find("broken.yaml:8:7: error: unknown key 'usr'") != std::string::npos);
    REQUIRE(result.out.find("broken.yaml:9:13: error: rule 'idle': match.idle") != std::string::npos);
    REQUIRE(result.out.find("invalid (3 errors") != std::string::npos);
}

TEST_CASE("check --format json gives the diagnostics as JSON", "[cli][check]") {
    const auto result = run_smbreaper({"check", "--format", "json", source_path("tests/data/policies/broken.yaml")});
    REQUIRE(result.exit_code == 1);
    const auto json = nlohmann::json::parse(result.out);
    REQUIRE(json["valid"] == false);
    REQUIRE(json["errors"] == 3);
    REQUIRE(json["diagnostics"][0]["line"].is_number());
}

TEST_CASE("check --explain prints one canonical line per rule", "[cli][check]") {
    auto result = run_smbreaper({"check", "--explain", source_path("config/examples/idle-reaping.yaml")});
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.out.find("keep keep-service-accounts: user in service_accounts\n") != std::string::npos);
    REQUIRE(result.out.find("close idle-4h: idle >= 14400s and open_files == 0\n") != std::string::npos);

    result = run_smbreaper({"check", "--explain", "--format", "json", source_path("config/examples/idle-reaping.yaml")});
    const auto json = nlohmann::json::parse(result.out);
    REQUIRE(json["rules"][1]["text"] == "close idle-4h: idle >= 14400s and open_files == 0");
}

TEST_CASE("usage errors exit 2", "[cli]") {
    REQUIRE(run_smbreaper({"check"}).exit_code == 2);
    REQUIRE(run_smbreaper({"check", "--format", "xml", "x.yaml"}).exit_code == 2);
    REQUIRE(run_smbreaper({"frobnicate"}).exit_code == 2);
    REQUIRE(run_smbreaper({}).exit_code == 2);
    REQUIRE(run_smbreaper({"--version"}).out.find('.') != std::string::npos);
}

TEST_CASE("a missing policy file is an error, not a crash", "[cli][check]") {
    const auto result = run_smbreaper({"check", "/nonexistent/policy.yaml"});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.out.find("cannot read the policy file") != std::string::npos);
}
