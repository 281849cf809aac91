#pragma once

#include <string_view>
#include <vector>

#include "sessions/session_record.h"

namespace smbreaper::sessions {

// Reads what `Get-SmbSession | Select-Object * | ConvertTo-Json` writes on a Windows server: an
// array of session objects, or a single object when there is one session. UTF-8, with or without
// a byte-order mark.
//
// Properties are MSFT_SmbSession's (names matched without regard to case): SessionId and NumOpens
// as numbers or decimal strings (WMI marshals uint64 as strings), SmbInstance as 0..3 or its name,
// SecondsIdle, SecondsExists, ClientComputerName, ClientUserName, ScopeName, ClusterNodeName,
// Dialect (kept as written; dialect_revision parsed from it), TransportName. Also the extras that
// write_session_properties() adds (Shares, Encrypted, Signed, GroupName, Uid, Gid,
// SambaServerId {Pid, Vnn, UniqueId}, PeerAddress, and WriteOpens, OldestOpen (seconds) and
// OpenPaths from the session's open files), so that its output reads back unchanged.
// null means absent. Every other property (CimClass, CimInstanceProperties, CimSystemProperties,
// PSComputerName, ...) is skipped, whatever it holds. SessionId is required.
//
// The text is read as a stream of parse events straight into the records, never as a whole
// document tree, so large tables cost little more memory than the records themselves.
// Throws SourceError naming `origin` and the place: line:column for syntax errors; the session's
// index in the array and the property for wrong values.
std::vector<SessionRecord> parse_windows_sessions_json(std::string_view json, std::string_view origin);

}  // namespace smbreaper::sessions
