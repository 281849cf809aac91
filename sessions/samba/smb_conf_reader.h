#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

namespace smbreaper::sessions {

// The ports of testparm's answer for `smb ports` ("445 139"; commas are accepted too). Absent
// when it holds anything else or no port.
std::optional<std::vector<std::uint16_t>> parse_smb_ports(std::string_view text);

// What the reaper needs from smb.conf.
struct SmbConfValues {
    std::vector<std::uint16_t> smb_ports;  // `smb ports`: where smbd listens
    std::string pid_directory;             // `pid directory`: where smbd.pid is
};

// Reads those values with `testparm -s --parameter-name NAME CONF`, so includes and defaults count
// as smbd counts them. testparm runs again only when the file changes.
class SmbConfReader {
public:
    SmbConfReader(std::string testparm, std::string smb_conf, std::chrono::milliseconds timeout);

    // Throws SourceError when testparm fails or answers something unexpected. Safe to call from
    // several threads at once (the Samba source's closes may run in parallel).
    SmbConfValues values();

private:
    struct FileVersion {
        dev_t device = 0;
        ino_t inode = 0;
        off_t size = 0;
        timespec modified{};
        bool operator==(const FileVersion& other) const;
    };

    std::string parameter(const std::string& name) const;

    std::string testparm_;
    std::string smb_conf_;
    std::chrono::milliseconds timeout_;
    std::optional<FileVersion> read_version_;
    SmbConfValues values_;
    std::mutex mutex_;  // guards read_version_ and values_
};

}  // namespace smbreaper::sessions
