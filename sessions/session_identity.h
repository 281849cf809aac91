#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sessions/session_record.h"

namespace smbreaper::sessions {

// What makes a session the same session from one read of the table to the next: its key and every
// value that stays fixed for its whole life (user, client, the name and node it connected to, its
// SMB instance, and on Samba its smbd process and peer address). A SessionId reused for a new
// session differs in some of them. Compared exactly, value by value: an unknown value equals only
// an unknown value.
struct SessionIdentity {
    std::uint64_t session_id = 0;
    std::optional<std::string> client_user_name;
    std::optional<std::string> client_computer_name;
    std::optional<std::string> scope_name;
    std::optional<std::string> cluster_node_name;
    std::optional<SmbInstance> smb_instance;
    std::optional<SambaServerId> samba_server_id;
    std::optional<std::string> peer_address;

    bool operator==(const SessionIdentity&) const = default;
};

SessionIdentity identity_of(const SessionRecord& session);

// True when `now` is the session `before` was.
inline bool same_session(const SessionRecord& before, const SessionRecord& now) {
    return identity_of(before) == identity_of(now);
}

struct SessionIdentityHash {
    std::size_t operator()(const SessionIdentity& identity) const;
};

}  // namespace smbreaper::sessions
