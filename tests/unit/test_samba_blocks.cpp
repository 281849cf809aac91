// Incident blocks on Samba: the names the blocks file can hold, the file itself (read back by the
// real testparm as smbd would read it), and what a testparm dump says about the setup.
#include <catch2/catch.hpp>

#include "sessions/posix/process_runner.h"
#include "sessions/samba/samba_blocks.h"
#include "test_support.h"

using smbreaper::sessions::BlockKind;
using smbreaper::sessions::BlockTarget;
using smbreaper::sessions::parse_samba_blocks_setup;
using smbreaper::sessions::run_process;
using smbreaper::sessions::samba_block_problem;
using smbreaper::sessions::samba_blocks_file_text;
using smbreaper::sessions::samba_blocks_setup_problems;
using smbreaper::sessions::SambaSettings;
using smbreaper::sessions::split_samba_list;

using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

std::string testparm_value(const std::string& conf, const std::string& parameter) {
    const auto result =
        run_process({"testparm", {"-s", "--parameter-name", parameter, "--section-name", "global", conf}, 10s});
    INFO(result.describe() << "\n" << result.standard_error);
    REQUIRE(result.succeeded());
    std::string value = result.standard_output;
    while (!value.empty() && value.back() == '\n') value.pop_back();
    return value;
}

}  // namespace

TEST_CASE("names that smb.conf's lists cannot hold safely are refused", "[samba][blocks]") {
    CHECK_FALSE(samba_block_problem({BlockKind::User, "bob"}));
    CHECK_FALSE(samba_block_problem({BlockKind::User, "CORP\\Bob Smith"}));
    CHECK_FALSE(samba_block_problem({BlockKind::Client, "fe80::1"}));
    CHECK_THAT(*samba_block_problem({BlockKind::User, "bob", {"data"}}), Contains("--share is for Windows"));
    for (const std::string& name : std::vector<std::string>{"", "@admins", "+staff", "&unix", "bo\"b", "100%U", "a,b",
                                                            "a;b", " bob", "bob ", "bo\nb"}) {
        INFO(name);
        CHECK(samba_block_problem({BlockKind::User, name}));
    }
    CHECK_THROWS_AS(samba_blocks_file_text({{BlockKind::User, "@admins"}}, "", "", "/b.conf"), std::invalid_argument);
}

TEST_CASE("the blocks file keeps smb.conf's own values and is read by testparm as written", "[samba][blocks]") {
    smbreaper::test::TempDir dir;
    const std::string blocks = (dir / "blocks.conf").string();
    const std::string conf = (dir / "smb.conf").string();
    smbreaper::test::write_file(conf,
                                "[global]\n  workgroup = WG\n  invalid users = root\n  hosts deny = 10.9.9.9\n"
                                "  include = " +
                                    blocks + "\n[data]\n  path = /tmp\n");
    smbreaper::test::write_file(blocks, samba_blocks_file_text({{BlockKind::User, "bob"},
                                                                {BlockKind::User, "CORP\\Bob Smith"},
                                                                {BlockKind::Client, "10.0.0.66"},
                                                                {BlockKind::Client, "fe80::1"}},
                                                               "root", "10.9.9.9", blocks));
    CHECK(split_samba_list(testparm_value(conf, "invalid users")) ==
          std::vector<std::string>{"root", "bob", "CORP\\Bob Smith"});
    CHECK(split_samba_list(testparm_value(conf, "hosts deny")) ==
          std::vector<std::string>{"10.9.9.9", "10.0.0.66", "fe80::1"});

    // No blocks: the file sets nothing, and smb.conf's own values stand.
    smbreaper::test::write_file(blocks, samba_blocks_file_text({}, "", "", blocks));
    CHECK(testparm_value(conf, "invalid users") == "root");
    CHECK(testparm_value(conf, "hosts deny") == "10.9.9.9");
}

TEST_CASE("a testparm dump tells whether the blocks file is included and which shares override it", "[samba][blocks]") {
    const std::string dump =
        "# Global parameters\n[global]\n\tworkgroup = WG\n\tinclude = /var/lib/smbreaper/samba-blocks.conf\n\n\n"
        "[data]\n\thosts deny = 10.9.9.9\n\tpath = /tmp\n\n[home]\n\tinvalid users = root\n";
    const auto setup = parse_samba_blocks_setup(dump, "/var/lib/smbreaper/samba-blocks.conf");
    CHECK(setup.included);
    CHECK(setup.own_hosts_deny == std::vector<std::string>{"data"});
    CHECK(setup.own_invalid_users == std::vector<std::string>{"home"});
    SambaSettings settings;
    const auto problems = samba_blocks_setup_problems(setup, settings, {{BlockKind::User, "bob"}});
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Contains("[home]"));

    const auto missing = parse_samba_blocks_setup(
        "[global]\n\tworkgroup = WG\n[data]\n\tinclude = "
        "/var/lib/smbreaper/samba-blocks.conf\n",
        "/var/lib/smbreaper/samba-blocks.conf");
    CHECK_FALSE(missing.included);  // included in a share only: not in force for the others
    CHECK_THAT(samba_blocks_setup_problems(missing, settings, {}).front(),
               Contains("include = /var/lib/smbreaper/samba-blocks.conf' at the end of [global]"));
}

TEST_CASE("a hosts allow in [global] makes client blocks impossible, and is said so", "[samba][blocks]") {
    const auto setup = parse_samba_blocks_setup(
        "[global]\n\thosts allow = 10.0.0.0/8\n\tinclude = /b.conf\n[data]\n\thosts allow = 10.1.\n", "/b.conf");
    CHECK(setup.global_hosts_allow);
    CHECK(setup.own_hosts_allow == std::vector<std::string>{"data"});
    SambaSettings settings;
    settings.blocks_file = "/b.conf";
    const auto problems = samba_blocks_setup_problems(setup, settings, {{BlockKind::Client, "10.0.0.5"}});
    REQUIRE(problems.size() == 2);
    CHECK_THAT(problems[0], Contains("wins over 'hosts deny'"));
    CHECK_THAT(problems[1], Contains("[data]"));
    CHECK(samba_blocks_setup_problems(setup, settings, {{BlockKind::User, "bob"}}).empty());
}

TEST_CASE("a client block is refused where smb.conf's [global] has hosts allow, read by the real testparm",
          "[samba][blocks]") {
    smbreaper::test::TempDir dir;
    SambaSettings settings;
    settings.smb_conf = (dir / "smb.conf").string();
    settings.blocks_file = (dir / "blocks.conf").string();
    smbreaper::test::write_file(settings.blocks_file, "");
    smbreaper::test::write_file(settings.smb_conf,
                                "[global]\n  hosts allow = 10.0.0.0/8\n  include = " + settings.blocks_file + "\n");
    const auto problem = smbreaper::sessions::samba_client_block_problem(settings, "testparm");
    REQUIRE(problem);
    CHECK_THAT(*problem, Contains("block the user instead"));
    smbreaper::test::write_file(settings.smb_conf, "[global]\n  include = " + settings.blocks_file + "\n");
    CHECK_FALSE(smbreaper::sessions::samba_client_block_problem(settings, "testparm"));
}
