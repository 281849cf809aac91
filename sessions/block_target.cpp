#include "sessions/block_target.h"

namespace smbreaper::sessions {

std::string_view to_string(BlockKind kind) { return kind == BlockKind::User ? "user" : "client"; }

std::string describe(const BlockTarget& target) {
    std::string text = std::string(to_string(target.kind)) + " " + target.name;
    for (std::size_t i = 0; i < target.shares.size(); ++i) text += (i == 0 ? " on " : ", ") + target.shares[i];
    return text;
}

}  // namespace smbreaper::sessions
