#include "sessions/wmi/share_deny_plan.h"

#include <algorithm>

#include "common/case_folding.h"

namespace smbreaper::sessions {

namespace {

bool names_match(const std::string& a, const std::string& b) { return common::fold_case(a) == common::fold_case(b); }

// Whether `block` covers `share`: it names no share, or names this one.
bool covers_share(const BlockTarget& block, const std::string& share) {
    return block.shares.empty() || std::any_of(block.shares.begin(), block.shares.end(),
                                               [&share](const std::string& name) { return names_match(name, share); });
}

}  // namespace

ShareDenyPlan plan_share_denies(const std::set<ShareDeny>& ours, const std::vector<BlockTarget>& users,
                                const std::vector<ShareAccess>& shares) {
    ShareDenyPlan plan;
    for (const ShareDeny& deny : ours) {
        const bool still = std::any_of(users.begin(), users.end(), [&](const BlockTarget& user) {
            return names_match(user.name, deny.user) && covers_share(user, deny.share);
        });
        if (!still) plan.lift.push_back(deny);
    }
    for (const ShareAccess& share : shares) {
        for (const BlockTarget& user : users) {
            if (user.kind != BlockKind::User || !covers_share(user, share.name)) continue;
            const ShareDeny deny{share.name, share.scope, user.name};
            const bool recorded = std::any_of(ours.begin(), ours.end(), [&](const ShareDeny& mine) {
                return mine.share == share.name && mine.scope == share.scope && names_match(mine.user, user.name);
            });
            if (recorded) continue;
            if (std::any_of(share.denied.begin(), share.denied.end(),
                            [&](const std::string& account) { return names_match(account, user.name); })) {
                plan.warnings.push_back(user.name + " was denied on [" + share.name +
                                        "] already; that deny is not smbreaper's and stays when the block ends");
                continue;
            }
            plan.add.push_back(deny);
        }
    }
    for (const BlockTarget& user : users) {
        for (const std::string& name : user.shares) {
            if (std::none_of(shares.begin(), shares.end(),
                             [&](const ShareAccess& share) { return names_match(share.name, name); })) {
                plan.warnings.push_back("the server has no share [" + name + "] to deny " + user.name + " on");
            }
        }
    }
    if (shares.empty() && !users.empty())
        plan.warnings.emplace_back("the server has no shares to deny the blocked users");
    return plan;
}

}  // namespace smbreaper::sessions
