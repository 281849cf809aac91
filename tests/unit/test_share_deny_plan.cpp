// Which share denies Windows user blocks add and lift (sessions/wmi/share_deny_plan.h): smbreaper
// lifts only its own, never adds over someone else's, and follows --share.
#include <catch2/catch.hpp>

#include "sessions/wmi/share_deny_plan.h"

using Catch::Matchers::Contains;
using smbreaper::sessions::BlockKind;
using smbreaper::sessions::BlockTarget;
using smbreaper::sessions::plan_share_denies;
using smbreaper::sessions::ShareAccess;
using smbreaper::sessions::ShareDeny;

namespace {

const std::vector<ShareAccess> kShares = {{"data", "*", {}},
                                          {"Finance", "*", {"CORP\\bob"}},  // an admin denied bob on Finance already
                                          {"home", "fs01", {}}};

}  // namespace

TEST_CASE("a user block denies every share but where someone denied the user already", "[wmi][blocks]") {
    const auto plan = plan_share_denies({}, {{BlockKind::User, "CORP\\Bob"}}, kShares);
    CHECK(plan.lift.empty());
    CHECK(plan.add == std::vector<ShareDeny>{{"data", "*", "CORP\\Bob"}, {"home", "fs01", "CORP\\Bob"}});
    REQUIRE(plan.warnings.size() == 1);
    CHECK_THAT(plan.warnings[0], Contains("[Finance] already") && Contains("stays when the block ends"));
}

TEST_CASE("smbreaper lifts its own denies only, and only those no block covers", "[wmi][blocks]") {
    const std::set<ShareDeny> ours = {
        {"data", "*", "CORP\\bob"}, {"home", "fs01", "CORP\\bob"}, {"data", "*", "CORP\\eve"}};
    // bob is still blocked, but on data only now; eve's block ended.
    const auto plan = plan_share_denies(ours, {{BlockKind::User, "corp\\BOB", {"DATA"}}}, kShares);
    CHECK(plan.lift == std::vector<ShareDeny>{{"data", "*", "CORP\\eve"}, {"home", "fs01", "CORP\\bob"}});
    CHECK(plan.add.empty());  // bob's deny on data is there, and recorded
    // Nothing blocked: every recorded deny goes, Finance's (the admin's) is never touched.
    CHECK(plan_share_denies(ours, {}, kShares).lift.size() == 3);
}

TEST_CASE("--share names that match no share are said, and client blocks are not share denies", "[wmi][blocks]") {
    auto plan = plan_share_denies({}, {{BlockKind::User, "CORP\\bob", {"Finanse"}}}, kShares);
    CHECK(plan.add.empty());
    REQUIRE(plan.warnings.size() == 1);
    CHECK_THAT(plan.warnings[0], Contains("no share [Finanse]"));
    plan = plan_share_denies({}, {{BlockKind::Client, "10.0.0.5"}}, kShares);
    CHECK(plan.add.empty());
    CHECK_THAT(plan_share_denies({}, {{BlockKind::User, "bob"}}, {}).warnings.front(), Contains("no shares"));
}
