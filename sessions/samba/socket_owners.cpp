#include "sessions/samba/socket_owners.h"

#include "sessions/samba/proc_process.h"

namespace smbreaper::sessions {

bool SocketOwners::holds(pid_t pid, std::uint64_t start_ticks, std::uint64_t inode) {
    Process& process = processes_[{pid, start_ticks}];
    process.asked = true;
    if (process.inodes.contains(inode)) return true;
    if (process.read) return false;
    process.read = true;
    std::optional<std::set<std::uint64_t>> inodes = socket_inodes_of(pid);
    process.inodes = inodes ? std::move(*inodes) : std::set<std::uint64_t>{};
    return process.inodes.contains(inode);
}

void SocketOwners::end_poll() {
    for (auto it = processes_.begin(); it != processes_.end();) {
        if (!it->second.asked) {
            it = processes_.erase(it);
            continue;
        }
        it->second.asked = false;
        it->second.read = false;
        ++it;
    }
}

}  // namespace smbreaper::sessions
