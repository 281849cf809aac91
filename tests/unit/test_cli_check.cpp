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

    result =
        run_smbreaper({"check", "--explain", "--format", "json", source_path("config/examples/idle-reaping.yaml")});
    const auto json = nlohmann::json::parse(result.out);
    REQUIRE(json["rules"][1]["text"] == "close idle-4h: idle >= 14400s and open_files == 0");
    CHECK(json["source"]["name"] == "samba");  // auto, on Linux
    CHECK(json["source"]["unknown_fields"].empty());
}

TEST_CASE("check --explain names the fields the policy's source cannot give", "[cli][check][sources]") {
    smbreaper::test::TempDir dir;
    const auto policy = dir.path() / "wmi.yaml";
    smbreaper::test::write_file(policy,
                                "version: 1\nsettings:\n  source: wmi\n  samba: {timeout: 5s}\nrules:\n"
                                "  - {name: no-shares, action: audit, match: {shares: finance, idle: '>= 1h'}}\n");
    auto result = run_smbreaper({"check", "--explain", policy.string()});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("source wmi: shares, encrypted and signed are unknown for every session\n") !=
          std::string::npos);
    // The same knowledge warns about the rule and about settings the source does not read.
    CHECK(result.out.find("field-not-provided") != std::string::npos);
    CHECK(result.out.find("settings.samba is read by the samba source only") != std::string::npos);

    result = run_smbreaper({"check", "--explain", "--format", "json", policy.string()});
    const auto json = nlohmann::json::parse(result.out);
    CHECK(json["source"]["name"] == "wmi");
    CHECK(json["source"]["unknown_fields"] == nlohmann::json::array({"shares", "encrypted", "signed"}));
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

TEST_CASE("check warns when a policy that uses blocks runs on an smb.conf without the blocks file", "[cli][check]") {
    smbreaper::test::TempDir dir;
    const std::string blocks = (dir / "blocks.conf").string();
    smbreaper::test::write_file(dir / "smb.conf",
                                "[global]\n  workgroup = WG\n[data]\n  path = /tmp\n  hosts deny = 10.9.9.9\n");
    smbreaper::test::write_file(dir / "policy.yaml",
                                "version: 1\nsettings:\n  source: samba\n  samba: {smb_conf: smb.conf, "
                                "blocks_file: blocks.conf}\n  blocks: {max_duration: 4h}\n"
                                "rules:\n  - {name: keep, action: keep, match: {}}\n");
    auto result = run_smbreaper({"check", (dir / "policy.yaml").string()});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);  // a warning: the policy itself is valid
    CHECK(result.out.find("include = " + blocks + "' at the end of [global] [blocks-setup]") != std::string::npos);
    CHECK(result.out.find("[data] set their own 'hosts deny'") != std::string::npos);

    smbreaper::test::write_file(dir / "smb.conf", "[global]\n  workgroup = WG\n  include = " + blocks + "\n");
    smbreaper::test::write_file(blocks, "");
    result = run_smbreaper({"check", (dir / "policy.yaml").string()});
    CHECK(result.out.find("blocks-setup") == std::string::npos);
    CHECK(result.out.find("0 warnings") != std::string::npos);
}
