#include "sessions/connection_key.h"

namespace smbreaper::sessions {

std::string connection_key(const SessionRecord& session) {
    if (const std::optional<SambaServerId>& server = session.samba_server_id) {
        return "samba:" + std::to_string(server->vnn) + ":" + std::to_string(server->pid) + ":" +
               std::to_string(server->unique_id);
    }
    return "session:" + std::to_string(session.session_id);
}

}  // namespace smbreaper::sessions
