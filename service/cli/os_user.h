#pragma once

#include <string>

namespace smbreaper::cli {

// The operating-system account this process runs as: who ran `smbreaper close`, for the audit trail.
struct OsUser {
    std::string name;       // "root", "CORP\alice"; empty when the system could not say
    std::string id;         // the uid ("0") on POSIX, the SID ("S-1-5-21-...") on Windows
    std::string sudo_user;  // POSIX: the account that ran sudo (its SUDO_USER), when sudo did
};

// Implemented in service/posix/ and service/windows/.
OsUser current_os_user();

}  // namespace smbreaper::cli
