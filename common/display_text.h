#pragma once

#include <string>
#include <string_view>

namespace smbreaper::common {

// Log lines and tables carry names that clients and admins chose: user, client and share names,
// file paths. This makes such text safe to write to a terminal, a file or the system log: a name
// can neither end the line and forge the next one ("\n2026-... cycle: ... chain head ..."), nor
// send escape sequences to the terminal that shows it, nor reorder the text around it.
//
// Escaped as \n, \r or \xNN: C0 control bytes (tab excepted) and DEL; as \u{XXXX}: C1 controls
// (U+0080..U+009F) and the bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069);
// bytes that are not UTF-8 as \xNN. Everything else, non-ASCII names and backslashes included,
// is kept as it is, so "CORP\alice" and "Jörg" read naturally. The escaping is for reading only:
// the audit trail, its JSON and CSV exports keep every name exactly.
std::string escape_for_display(std::string_view text);

}  // namespace smbreaper::common
