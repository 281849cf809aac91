#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sessions/wmi/wmi_connection.h"

namespace smbreaper::sessions {

// User blocks on Windows: MSFT_SmbShare.BlockAccess and UnblockAccess (what Block-SmbShareAccess
// and Unblock-SmbShareAccess call) on every share but the special ones (ADMIN$, C$, IPC$). Which
// users smbreaper denied is kept in `state_file`, so that it lifts only its own denies: an admin's
// own Block-SmbShareAccess stays. A share created while a block is in force gets the deny the next
// time the blocks change.

// Denies `users` on every share and lifts the denies smbreaper set before for users no longer in
// it, then records `users` in `state_file` (atomically). Returns warnings; throws SourceError
// when a call fails (ReturnValue other than 0, or WMI's error).
std::vector<std::string> enforce_share_blocks(const WmiConnection& smb, const std::vector<std::string>& users,
                                              const std::filesystem::path& state_file);

// The users `state_file` says smbreaper denied (none when there is no such file).
std::vector<std::string> read_share_block_state(const std::filesystem::path& state_file);

// Where the state is kept: %ProgramData%\smbreaper\share-blocks.json.
std::filesystem::path default_share_block_state_file();

// An object path of MSFT_SmbShare: MSFT_SmbShare.Name="NAME",ScopeName="SCOPE", quotes and
// backslashes escaped as WMI paths need them.
std::string smb_share_path(const std::string& name, const std::string& scope);

}  // namespace smbreaper::sessions
