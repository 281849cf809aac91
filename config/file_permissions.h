#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/regular_file.h"

namespace smbreaper::config {

// sshd's StrictModes for the files the service trusts: the policy decides which sessions are
// closed, and the audit trail is the record of what was. Whoever can write such a file, or
// replace it through a folder on its path, can change either; so the file and every folder above
// it must belong to root or to the user the service runs as, and be writable by no one else
// (group and others). A folder with the sticky bit (/tmp) may be writable by all: others cannot
// remove or rename what they do not own in it. A file or folder that does not exist yet is left to
// whoever opens the file to report; the rest of the path is judged. Symbolic links are followed
// as the kernel follows them: each link must belong to root or the service's user, and the
// folders it sits in and the folders of its target are judged alike (a link in a folder others
// may write could be swapped for one to another file).
//
// Returns what is wrong and the command that fixes it; nothing when the file is safe.
//
// On Windows (config/windows/) the same question is asked of ACLs: besides Administrators, SYSTEM,
// TrustedInstaller and the account the service runs as, nobody may own the file or be allowed to
// change it, nor replace it through its folder; for the audit trail, nobody else may create files
// in its folder either (a planted `audit.db-journal` would be replayed by SQLite into the trail).
// The decision itself is config/acl_check.h, tested on every platform.
enum class TrustedFile { Policy, AuditTrail, Program };
std::string_view name_of(TrustedFile kind);  // "the policy file", "the audit trail", "the program"
std::optional<std::string> unsafe_permissions(const std::filesystem::path& file, TrustedFile kind);

// The same judgement of the file itself, made on the file as opened (OpenedFile's owner and
// mode), so that what is read is what was judged: pass it to read_regular_file() as its check.
// Nothing on Windows, where ACLs are judged by path.
std::optional<std::string> unsafe_opened_file(const common::OpenedFile& opened, const std::filesystem::path& file,
                                              TrustedFile kind);

}  // namespace smbreaper::config
