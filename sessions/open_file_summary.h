#pragma once

#include <chrono>
#include <vector>

#include "sessions/open_file_record.h"
#include "sessions/session_record.h"

namespace smbreaper::sessions {

// Gives each session what its open files say, at `taken_at`: write_opens (the opens that may
// write: writes() true or unknown), oldest_open_seconds (since its oldest open was opened, or first
// seen; 0 when it holds none; unknown when one of its opens has no time) and open_paths (their
// share-relative paths, else their paths, sorted, each once; unknown when one has neither). `holders[i]` are the sessions
// opens[i] counts for: one when its session is known, several when it could be any of them (the
// safe side: each counts it). A session whose NumOpens is unknown, or larger than the opens listed
// for it, gets none of the three: what its unlisted opens would say is unknown.
void summarize_open_files(std::vector<SessionRecord>& sessions, const std::vector<OpenFileRecord>& opens,
                          const std::vector<std::vector<SessionRecord*>>& holders,
                          std::chrono::system_clock::time_point taken_at);

// The same where each open names its session by SessionId (Windows, snapshots): an open whose
// session is unknown, or not in the table, counts for none.
void summarize_open_files_by_session_id(std::vector<SessionRecord>& sessions, const std::vector<OpenFileRecord>& opens,
                                        std::chrono::system_clock::time_point taken_at);

// The opens `session` holds or may hold: those naming it by SessionId, and on Samba those of its
// smbd process whose session could not be told (they end with the connection too).
std::vector<OpenFileRecord> opens_held_by(const SessionRecord& session, const std::vector<OpenFileRecord>& opens);

}  // namespace smbreaper::sessions
