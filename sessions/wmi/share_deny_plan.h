#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sessions/block_target.h"

namespace smbreaper::sessions {

// What the Windows user blocks decide before any call is made (sessions/wmi/share_blocks.h runs
// it): which of smbreaper's own denies to lift, which denies to add. Pure, so it is tested on
// every platform.

// One deny smbreaper added.
struct ShareDeny {
    std::string share;
    std::string scope;
    std::string user;

    bool operator==(const ShareDeny&) const = default;
    bool operator<(const ShareDeny& other) const {
        return std::tie(share, scope, user) < std::tie(other.share, other.scope, other.user);
    }
};

// A share a block may cover (not a special one), and the accounts denied on it now.
struct ShareAccess {
    std::string name;
    std::string scope;
    std::vector<std::string> denied;
};

struct ShareDenyPlan {
    std::vector<ShareDeny> lift;        // smbreaper's denies no user block covers any more
    std::vector<ShareDeny> add;         // denies to ask for: covered, and nobody's yet
    std::vector<std::string> warnings;  // denies that were someone else's already, shares named that do not exist
};

// `ours`: the denies smbreaper recorded; `users`: the user blocks in force (a block with `shares`
// covers those only, compared without regard to case, as account names are); `shares`: the
// server's shares now. A deny someone else set is neither added nor lifted.
ShareDenyPlan plan_share_denies(const std::set<ShareDeny>& ours, const std::vector<BlockTarget>& users,
                                const std::vector<ShareAccess>& shares);

}  // namespace smbreaper::sessions
