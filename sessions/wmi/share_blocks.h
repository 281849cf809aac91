#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sessions/block_target.h"
#include "sessions/wmi/share_deny_plan.h"
#include "sessions/wmi/wmi_connection.h"

namespace smbreaper::sessions {

// User blocks on Windows: MSFT_SmbShare.BlockAccess and UnblockAccess (what Block-SmbShareAccess
// and Unblock-SmbShareAccess call) on every share but the special ones (ADMIN$, C$, IPC$), one
// user and one share per call. Each deny smbreaper adds is kept in `state_file`, so that it lifts
// only its own: a deny that was there already (an admin's Block-SmbShareAccess) is neither added
// nor lifted. A share created while a block is in force gets the deny the next time the blocks
// change.

// Lifts smbreaper's denies that no user block of `users` covers any more, then denies each user
// on every share its block covers (its `shares`, or all) where nobody has yet (plan_share_denies),
// recording each deny in `state_file` (atomically) before asking for it.
// Every call is tried, whatever another's fate; when any failed, throws SourceError afterwards
// (what failed stays recorded and is tried again next time). Returns warnings.
std::vector<std::string> enforce_share_blocks(const WmiConnection& smb, const std::vector<BlockTarget>& users,
                                              const std::filesystem::path& state_file);

// The denies `state_file` records (none when there is no such file). Throws SourceError when it is
// not such a record.
std::set<ShareDeny> read_share_block_state(const std::filesystem::path& state_file);

// Where the state is kept: %ProgramData%\smbreaper\share-blocks.json.
std::filesystem::path default_share_block_state_file();

// An object path of MSFT_SmbShare: MSFT_SmbShare.Name="NAME",ScopeName="SCOPE", quotes and
// backslashes escaped as WMI paths need them.
std::string smb_share_path(const std::string& name, const std::string& scope);

}  // namespace smbreaper::sessions
