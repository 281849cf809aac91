#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/open_file_record.h"
#include "sessions/session_record.h"

namespace smbreaper::sessions {

// What one `smbstatus --json` document says about the session table.
struct SmbstatusDocument {
    std::vector<SessionRecord> sessions;
    std::chrono::system_clock::time_point timestamp;        // the document's "timestamp"
    std::string samba_version;                              // the document's "version"
    std::optional<std::vector<OpenFileRecord>> open_files;  // absent without "open_files"
};

struct SmbstatusParseOptions {
    // ClusterNodeName of sessions served by this host (server_id.vnn 0xFFFFFFFF, no CTDB).
    std::string local_node_name;
};

// Maps the document's sessions, tcons and open_files to session records (docs/SNAPSHOTS.md):
// NumOpens counted from open_files by server_id.pid (and uid); shares from tcons; SecondsExists
// from the earliest tcon's connected_at relative to the document's timestamp; SecondsIdle left
// absent (smbstatus does not know it). Sessions come sorted by SessionId. Without "tcons" or
// "open_files" (smbstatus -b, -S, -L) the values they give stay absent. Encrypted and Signed are
// true only for the degree "full"; docs/SNAPSHOTS.md explains that and how opens are shared by the
// sessions of one connection. Each open becomes an open-file record whose session is the one of
// its process and uid when that is one session, unknown when it could be several (its client and
// user then only when they agree). An empty table is valid; a document without "sessions" is not.
// Throws SourceError naming `origin` and the place (line and column for syntax errors, the JSON
// path for wrong values).
SmbstatusDocument parse_smbstatus_json(std::string_view json, std::string_view origin,
                                       const SmbstatusParseOptions& options = {});

}  // namespace smbreaper::sessions
