#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "audit_test_support.h"
#include "service/policy_reloader.h"

using namespace smbreaper;
using test::TempDir;

namespace {

const std::string kPolicy = "version: 1\nrules:\n  - {name: idle, action: close, match: {idle: '>= 1h'}}\n";
const std::string kOther = "version: 1\nrules:\n  - {name: idle, action: close, match: {idle: '>= 2h'}}\n";

}  // namespace

TEST_CASE("a change is read only once the file has stopped changing", "[reload]") {
    TempDir dir;
    const auto file = dir / "policy.yaml";
    test::write_file(file, kPolicy);
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

TEST_CASE("a policy file others can write is rejected, and the policy in force stays", "[reload]") {
    TempDir dir;
    const auto file = dir / "policy.yaml";
    test::write_file(file, kPolicy);
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

TEST_CASE("a deleted policy file is rejected and the policy in force stays", "[reload]") {
    TempDir dir;
    const auto file = dir / "policy.yaml";
    test::write_file(file, kPolicy);
    PolicyReloader reloader(file);
    REQUIRE(reloader.reload() == PolicyReloader::Result::Replaced);
    std::filesystem::remove(file);
    REQUIRE_FALSE(reloader.changed_and_settled());
    REQUIRE(reloader.changed_and_settled());
    REQUIRE(reloader.reload() == PolicyReloader::Result::Rejected);
    REQUIRE(reloader.has_policy());
    REQUIRE(reloader.diagnostics()->render_text().find("cannot read") != std::string::npos);
}
