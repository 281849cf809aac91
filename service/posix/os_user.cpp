#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "service/cli/os_user.h"

namespace smbreaper::cli {

OsUser current_os_user() {
    OsUser user;
    const uid_t uid = ::getuid();
    user.id = std::to_string(uid);
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found) user.name = found->pw_name;
    if (const char* sudo_user = std::getenv("SUDO_USER")) user.sudo_user = sudo_user;
    return user;
}

}  // namespace smbreaper::cli
