#include "sessions/session_identity.h"

#include <functional>
#include <string_view>

namespace smbreaper::sessions {
namespace {

void combine(std::size_t& seed, std::size_t value) {
    seed ^= value + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2);
}

void combine_text(std::size_t& seed, const std::optional<std::string>& text) {
    combine(seed, text ? std::hash<std::string_view>{}(*text) : 0x5bd1e995u);
}

}  // namespace

SessionIdentity identity_of(const SessionRecord& session) {
    return {session.session_id,        session.client_user_name, session.client_computer_name, session.scope_name,
            session.cluster_node_name, session.smb_instance,     session.samba_server_id,      session.peer_address};
}

std::size_t SessionIdentityHash::operator()(const SessionIdentity& identity) const {
    // Equal identities hash alike; the hash only spreads them, equality decides.
    std::size_t seed = std::hash<std::uint64_t>{}(identity.session_id);
    combine_text(seed, identity.client_user_name);
    combine_text(seed, identity.client_computer_name);
    if (identity.samba_server_id) {
        combine(seed, std::hash<std::uint64_t>{}(identity.samba_server_id->pid));
        combine(seed, std::hash<std::uint64_t>{}(identity.samba_server_id->unique_id));
    }
    return seed;
}

}  // namespace smbreaper::sessions
