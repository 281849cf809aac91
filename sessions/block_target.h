#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smbreaper::sessions {

// Who an incident block keeps out: a user (ClientUserName, exactly as the server names it) or a
// client (ClientComputerName: an IP address).
enum class BlockKind { User, Client };

struct BlockTarget {
    BlockKind kind = BlockKind::User;
    std::string name;
    // A user blocked on these shares only (Windows' Block-SmbShareAccess -Name); empty: every share.
    std::vector<std::string> shares;

    bool operator==(const BlockTarget&) const = default;
};

std::string_view to_string(BlockKind kind);  // "user", "client"

// "user CORP\bob", "client 10.0.0.5", "user CORP\bob on data, home"
std::string describe(const BlockTarget& target);

}  // namespace smbreaper::sessions
