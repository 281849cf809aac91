#include <catch2/catch.hpp>

#include "audit_test_support.h"
#include "service/policy_reloader.h"

using namespace smbreaper;

namespace {

constexpr const char* kPolicy = "version: 1\nrules: []\n";

}  // namespace

TEST_CASE("a valid policy is loaded, and the same bytes again are unchanged", "[service][reload]") {
    test::TempDir dir;
    test::write_file(dir / "policy.yaml", kPolicy);
    PolicyReloader reloader(dir / "policy.yaml");
    CHECK(reloader.reload() == PolicyReloader::Result::Replaced);
    CHECK(reloader.reload() == PolicyReloader::Result::Unchanged);
}

TEST_CASE("a file the check refuses is rejected with its reason, and the policy in force stays", "[service][reload]") {
    test::TempDir dir;
    const auto file = dir / "policy.yaml";
    test::write_file(file, kPolicy);
    bool refuse = false;
    PolicyReloader reloader(file, [&refuse](const std::filesystem::path&) -> std::optional<std::string> {
        if (refuse) return std::string("BUILTIN\\Users may change it");
        return std::nullopt;
    });
    REQUIRE(reloader.reload() == PolicyReloader::Result::Replaced);
    const auto in_force = reloader.current();

    refuse = true;
    test::write_file(file, "version: 1\nrules: []\n# edited\n");
    CHECK(reloader.reload() == PolicyReloader::Result::Rejected);
    REQUIRE(reloader.diagnostics() != nullptr);
    CHECK_THAT(reloader.diagnostics()->render_text(),
               Catch::Contains("error: BUILTIN\\Users may change it [untrusted-file]"));
    CHECK(reloader.current() == in_force);
}
