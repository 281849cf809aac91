#pragma once

#include <string_view>
#include <vector>

#include "sessions/open_file_record.h"

namespace smbreaper::sessions {

// True when the JSON text is a list of open files rather than sessions: its first object (the
// document, or the first element of its array) has a FileId. Reads no further than it must.
bool looks_like_open_files(std::string_view json);

// Reads what `Get-SmbOpenFile | Select-Object * | ConvertTo-Json` writes on a Windows server (an
// array of objects, or one object when one file is open), and what `smbreaper files --format
// json` writes. Properties are MSFT_SmbOpenFile's, matched without regard to case: FileId (a
// number or a decimal string on Windows; any text for Samba's "PID/SHARE_FILE_ID"), SessionId,
// Permissions and Locks (numbers or decimal strings), Path, ShareRelativePath, ClientComputerName,
// ClientUserName, ScopeName, ClusterNodeName (strings), ContinuouslyAvailable (true or false),
// SmbInstance (0..3 or its name); and this program's OpenedAt and FirstSeen (common/utc_time.h's
// form), SambaServerId {Pid, Vnn} and Uid. null is unknown; every other property (Access and
// Writes, which are derived, CimClass, PSComputerName, ...) is skipped. FileId is required.
// Throws SourceError naming `origin` and the place: line:column for syntax errors, the open's index
// and the property for wrong values.
std::vector<OpenFileRecord> parse_windows_open_files_json(std::string_view json, std::string_view origin);

}  // namespace smbreaper::sessions
