#include "sessions/block_target.h"

namespace smbreaper::sessions {

std::string_view to_string(BlockKind kind) { return kind == BlockKind::User ? "user" : "client"; }

std::string describe(const BlockTarget& target) { return std::string(to_string(target.kind)) + " " + target.name; }

}  // namespace smbreaper::sessions
