#pragma once

#include <chrono>
#include <string>

namespace smbreaper::sessions {

// settings.samba of the policy file. Programs are paths, or names found in /usr/sbin:/usr/bin:/sbin:/bin.
struct SambaSettings {
    std::string smb_conf = "/etc/samba/smb.conf";  // handed to every program as -s
    std::string smbstatus = "smbstatus";
    std::string smbcontrol = "smbcontrol";
    // Reads `smb ports` and `pid directory` from smb_conf. Empty: the testparm beside smbstatus
    // when smbstatus is given as a path (a Samba built into /usr/local/samba/bin, say), else the
    // one on the PATH.
    std::string testparm;
    std::chrono::milliseconds timeout{10'000};  // for each program run; a hung one is killed
    // The file smbreaper writes the incident blocks to; smb.conf includes it at the end of
    // [global] (sessions/samba/samba_blocks.h).
    std::string blocks_file = "/var/lib/smbreaper/samba-blocks.conf";

    bool operator==(const SambaSettings&) const = default;
};

}  // namespace smbreaper::sessions
