#pragma once

#include <functional>
#include <string>
#include <vector>

#include "service/cli/session_options.h"
#include "service/closing/manual_close.h"

namespace smbreaper::cli {

// What the commands that close sessions (`close`, `block`) share.

// "session 12 (user bob, client 10.0.0.5)"
std::string describe(const sessions::SessionRecord& session);

// The selected sessions by connection. Refuses (false, with the reasons on standard error) when
// closing one would end a session that is not selected: Samba ends every session on a connection
// together.
bool group_connections(const std::vector<const sessions::SessionRecord*>& selected,
                       const std::vector<sessions::SessionRecord>& table,
                       std::vector<closing::ConnectionClosure>& connections);

// Asks about each session as PowerShell does. Returns the connections to close: those whose
// every session was confirmed.
std::vector<closing::ConnectionClosure> confirmed_connections(
    const std::vector<const sessions::SessionRecord*>& selected,
    const std::vector<closing::ConnectionClosure>& connections);

// Closes the connections through the audit write protocol (`recheck` judges each session on the
// table read again), reports how each session ended on standard error, and writes the closed
// ones with --passthru. Ctrl-C stops the closes not yet begun. Returns the exit code.
int close_confirmed_connections(const ClosingFlags& flags,
                                const std::function<std::string(const sessions::SessionRecord&)>& recheck,
                                closing::ManualClose& closer, std::vector<closing::ConnectionClosure> connections);

}  // namespace smbreaper::cli
