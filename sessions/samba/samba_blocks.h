#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/block_target.h"
#include "sessions/samba/samba_settings.h"

namespace smbreaper::sessions {

// Incident blocks on Samba: smbreaper owns one file (settings.samba.blocks_file) holding
// `invalid users` and `hosts deny`, which smb.conf includes at the end of [global], so the file's
// values win over earlier global ones; `smbcontrol smbd reload-config` makes smbd refuse the
// blocked users' and clients' new tree connects (existing ones stay: the caller closes them).

// Why `target` cannot be written into smb.conf safely, or nothing. Names are written in double
// quotes; a quote, a `%` (smb.conf's substitutions), a separator (`,` `;`), a control character,
// or a leading `@`, `+` or `&` (which make a name a group) cannot be.
std::optional<std::string> samba_block_problem(const BlockTarget& target);

// What smb.conf (through testparm, as smbd reads it) says about the blocks file.
struct SambaBlocksSetup {
    bool included = false;                       // [global] includes the blocks file
    std::vector<std::string> own_invalid_users;  // shares that set their own `invalid users`
    std::vector<std::string> own_hosts_deny;     // shares that set their own `hosts deny`
    bool global_hosts_allow = false;             // [global] sets `hosts allow`, which wins over `hosts deny`
    std::vector<std::string> own_hosts_allow;    // shares that set their own `hosts allow`
};

// Reads `testparm -s`'s dump of `testparm_dump`: whether [global] includes `blocks_file`, and
// which shares set their own values (which replace the global ones for that share).
SambaBlocksSetup parse_samba_blocks_setup(std::string_view testparm_dump, std::string_view blocks_file);

// The warnings for a setup: the missing include (with the line to add), a `hosts allow` in
// [global] (an address it lists gets in whatever `hosts deny` says), and each share whose own
// value lets a blocked user or client in. `blocks` empty: every kind is checked. The missing
// include makes enforce_samba_blocks refuse; a global `hosts allow` refuses new client blocks
// (samba_client_block_problem), while the blocks already in force are still kept in step.
std::vector<std::string> samba_blocks_setup_problems(const SambaBlocksSetup& setup, const SambaSettings& settings,
                                                     const std::vector<BlockTarget>& blocks);

// The blocks file for `blocks`, keeping the values smb.conf's own [global] gives for
// `invalid users` and `hosts deny` (`own_*`, as testparm prints them; empty when none) ahead of
// the blocked names, since the file replaces them. Without blocks of a kind, it sets nothing of
// that kind. Throws std::invalid_argument when a name has a samba_block_problem.
std::string samba_blocks_file_text(const std::vector<BlockTarget>& blocks, std::string_view own_invalid_users,
                                   std::string_view own_hosts_deny, std::string_view blocks_file);

// The names in a list value as testparm prints it (`bob CORP\alice "x y"`), unquoted.
std::vector<std::string> split_samba_list(std::string_view value);

// Why no client can be blocked by address on this server (a `hosts allow` in [global], which wins
// over `hosts deny`), or nothing. Throws SourceError when testparm fails.
std::optional<std::string> samba_client_block_problem(const SambaSettings& settings, const std::string& testparm);

// The setup as testparm reads smb.conf, and its problems for blocks of every kind.
std::vector<std::string> samba_blocks_setup_problems(const SambaSettings& settings, const std::string& testparm);

// Puts exactly `blocks` in force: checks the setup (no include: SourceError with the line to add),
// reads smb.conf's own global values (testparm on a copy of smb.conf without the include),
// writes the blocks file atomically, runs `smbcontrol smbd reload-config`, and reads the values
// back through testparm to confirm every name is in force. Every program runs within
// settings.timeout. Returns warnings (shares with their own values); throws SourceError.
std::vector<std::string> enforce_samba_blocks(const SambaSettings& settings, const std::string& testparm,
                                              const std::vector<BlockTarget>& blocks);

}  // namespace smbreaper::sessions
