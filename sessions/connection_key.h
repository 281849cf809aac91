#pragma once

#include <string>

#include "sessions/session_record.h"

namespace smbreaper::sessions {

// Sessions with the same key share one connection to the server and end together: closing any one
// of them ends them all. Samba runs one smbd process per client connection and a connection can
// carry several sessions, so Samba sessions share a key when they share samba_server_id
// ("samba:VNN:PID:UNIQUE_ID"). Every other session is its own connection ("session:ID"): Windows'
// ForceClose ends one session only. A caller closes a connection only when all its sessions are
// to be closed, and audits each of them.
std::string connection_key(const SessionRecord& session);

}  // namespace smbreaper::sessions
