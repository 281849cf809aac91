#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

namespace smbreaper {

// The ports of testparm's answer for `smb ports` ("445 139"; commas are accepted too). Absent
// when it holds anything else or no port.
std::optional<std::vector<std::uint16_t>> parse_smb_ports(std::string_view text);

// The TCP ports smbd listens on, as `testparm -s --parameter-name "smb ports" CONF` reports them
// (so includes and defaults count). testparm runs again only when the file changes.
class SmbPortsReader {
public:
    SmbPortsReader(std::string testparm, std::string smb_conf, std::chrono::milliseconds timeout);

    // Throws SourceError when testparm fails or answers something else than ports.
    const std::vector<std::uint16_t>& ports();

private:
    struct FileVersion {
        dev_t device = 0;
        ino_t inode = 0;
        off_t size = 0;
        timespec modified{};
        bool operator==(const FileVersion& other) const;
    };

    std::string testparm_;
    std::string smb_conf_;
    std::chrono::milliseconds timeout_;
    std::optional<FileVersion> read_version_;
    std::vector<std::uint16_t> ports_;
};

}  // namespace smbreaper
