#pragma once

#include <nlohmann/json.hpp>

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

// The account this process runs as, for the details of an audit entry: {"name", "id"} and
// "sudo_user" when sudo ran it.
inline nlohmann::ordered_json os_user_details() {
    const OsUser user = current_os_user();
    nlohmann::ordered_json details{{"name", user.name}, {"id", user.id}};
    if (!user.sudo_user.empty()) details["sudo_user"] = user.sudo_user;
    return details;
}

}  // namespace smbreaper::cli
