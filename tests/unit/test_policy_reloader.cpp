#include <catch2/catch.hpp>

#ifndef _WIN32
#include <sys/stat.h>
#endif

#include "audit_test_support.h"
#include "config/policy_reloader.h"

using smbreaper::config::PolicyReloader;

using namespace smbreaper;

namespace {

constexpr const char* kPolicy = "version: 1\nrules: []\n";
const std::string kIdlePolicy = "version: 1\nrules:\n  - {name: idle, action: close, match: {idle: '>= 1h'}}\n";
// A different size from kIdlePolicy: under MinGW a file's modification time has whole seconds, so
// a same-size rewrite within the second is not seen by the watch (docs/WINDOWS.md).
const std::string kOther = "version: 1\nrules:\n  - {name: idle, action: close, match: {idle: '>= 12h'}}\n";

}  // namespace

TEST_CASE("a valid policy is loaded, and the same bytes again are unchanged", "[service][reload]") {
    test::TempDir dir;
    test::write_file(dir / "policy.yaml", kPolicy);
    PolicyReloader reloader(dir / "policy.yaml");
    CHECK(reloader.reload() == PolicyReloader::Result::Replaced);
    CHECK(reloader.reload() == PolicyReloader::Result::Unchanged);
}

#ifndef _WIN32  // Windows judges ACLs, tested under Wine (tests/windows/service_lifecycle.sh)
TEST_CASE("a file others may change is rejected with its reason, and the policy in force stays", "[service][reload]") {
    test::TempDir dir;
    const auto file = dir / "policy.yaml";
    test::write_file(file, kPolicy);
    PolicyReloader reloader(file);
    REQUIRE(reloader.reload() == PolicyReloader::Result::Replaced);
    const auto in_force = reloader.current();

    test::write_file(file, "version: 1\nrules: []\n# edited\n");
    std::filesystem::permissions(file, std::filesystem::perms(0666));
    CHECK(reloader.reload() == PolicyReloader::Result::Rejected);
    REQUIRE(reloader.diagnostics() != nullptr);
    CHECK_THAT(reloader.diagnostics()->render_text(),
               Catch::Contains("is writable by its group and everyone (mode 0666)") &&
                   Catch::Contains("[unsafe-permissions]"));
    CHECK(reloader.current() == in_force);
}
#endif

TEST_CASE("a change is read only once the file has stopped changing", "[reload]") {
    test::TempDir dir;
    const auto file = dir / "policy.yaml";
    test::write_file(file, kIdlePolicy);
    PolicyReloader reloader(file);
    REQUIRE(reloader.reload() == PolicyReloader::Result::Replaced);
    REQUIRE_FALSE(reloader.changed_and_settled());

    test::write_file(file, "version: 1\nrules:\n");  // an editor's first write
    REQUIRE_FALSE(reloader.changed_and_settled());   // seen, but it may still be being written
    test::write_file(file, kOther);                  // the rest arrives before the next look
    REQUIRE_FALSE(reloader.changed_and_settled());
    REQUIRE(reloader.changed_and_settled());  // the same for one whole interval: read it
    REQUIRE(reloader.reload() == PolicyReloader::Result::Replaced);
    REQUIRE_FALSE(reloader.changed_and_settled());
}

#ifndef _WIN32
TEST_CASE("a policy file others can write is rejected, and the policy in force stays", "[reload]") {
    test::TempDir dir;
    const auto file = dir / "policy.yaml";
    test::write_file(file, kIdlePolicy);
    ::chmod(file.c_str(), 0644);
    PolicyReloader reloader(file);
    REQUIRE(reloader.reload() == PolicyReloader::Result::Replaced);
    const std::string in_force = reloader.current()->sha256;

    ::chmod(file.c_str(), 0666);  // no content change: only the permissions say something happened
    REQUIRE_FALSE(reloader.changed_and_settled());
    REQUIRE(reloader.changed_and_settled());
    REQUIRE(reloader.reload() == PolicyReloader::Result::Rejected);
    REQUIRE(reloader.current()->sha256 == in_force);
    REQUIRE(reloader.diagnostics()->items().at(0).code == "unsafe-permissions");
    REQUIRE(reloader.diagnostics()->render_text().find("chmod go-w") != std::string::npos);

    test::write_file(file, kOther);  // a new content is not read while anyone may write it
    REQUIRE(reloader.reload() == PolicyReloader::Result::Rejected);
    REQUIRE(reloader.current()->sha256 == in_force);

    ::chmod(file.c_str(), 0644);
    REQUIRE(reloader.reload() == PolicyReloader::Result::Replaced);
    REQUIRE(reloader.current()->sha256 != in_force);
}
#endif

TEST_CASE("a deleted policy file is rejected and the policy in force stays", "[reload]") {
    test::TempDir dir;
    const auto file = dir / "policy.yaml";
    test::write_file(file, kIdlePolicy);
    PolicyReloader reloader(file);
    REQUIRE(reloader.reload() == PolicyReloader::Result::Replaced);
    std::filesystem::remove(file);
    REQUIRE_FALSE(reloader.changed_and_settled());
    REQUIRE(reloader.changed_and_settled());
    REQUIRE(reloader.reload() == PolicyReloader::Result::Rejected);
    REQUIRE(reloader.has_policy());
    REQUIRE(reloader.diagnostics()->render_text().find("cannot read") != std::string::npos);
}
