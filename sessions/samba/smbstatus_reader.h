#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/session_record.h"

namespace smbreaper::sessions {

// One member of the document's "tcons": a tree connect of a session to a share.
struct SmbstatusTreeConnect {
    std::uint64_t session_id = 0;
    std::string share;
    std::chrono::system_clock::time_point connected_at;
};

// One member of open_files[FILE].opens: which smbd process (and uid) holds the file open, how,
// and since when.
struct SmbstatusOpen {
    std::uint32_t vnn = 0xFFFFFFFFu;
    std::uint64_t pid = 0;
    std::optional<std::uint32_t> uid;
    std::string key;                           // its key in "opens": "PID/SHARE_FILE_ID"
    std::string path;                          // its file's key in "open_files": the whole path
    std::optional<std::string> service_path;   // the share's folder
    std::optional<std::string> filename;       // the path within the share
    std::optional<std::uint32_t> access_mask;  // access_mask.hex
    std::optional<std::chrono::system_clock::time_point> opened_at;
};

// What an `smbstatus --json` document says, each part as written, before the parts are combined
// into session records (smbstatus_parser.h does that).
struct SmbstatusParts {
    std::chrono::system_clock::time_point timestamp;
    std::string samba_version;
    std::vector<SessionRecord> sessions;                             // in document order, each session_id once
    std::optional<std::vector<SmbstatusTreeConnect>> tree_connects;  // absent without "tcons"
    std::optional<std::vector<SmbstatusOpen>> opens;                 // absent without "open_files"
};

// Reads the document as a stream of parse events straight into its parts: no document tree, so
// the memory it costs follows the records, not the text (share modes, caching and leases of
// open files, most of a busy server's document, are only checked for syntax).
//
// Strict about what it reads: every member it uses has the type it must have (null counts as
// absent), required members are there, a member it uses is not given twice in one object, nor a
// key in the sessions, tcons, open_files or opens maps, and no value nests deeper than
// max_json_nesting. Throws SourceError naming `origin` and the place: line:column for syntax
// errors, the JSON path otherwise. Syntax errors take precedence over wrong values (a document is
// judged once it is whole JSON); nesting too deep is refused at once, wherever it is.
SmbstatusParts read_smbstatus_parts(std::string_view json, std::string_view origin, std::string_view local_node_name);

}  // namespace smbreaper::sessions
