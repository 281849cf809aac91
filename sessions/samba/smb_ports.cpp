#include "sessions/samba/smb_ports.h"

#include <charconv>
#include <cerrno>
#include <cstring>

#include "sessions/posix/process_runner.h"
#include "sessions/session_table.h"

namespace smbreaper {

std::optional<std::vector<std::uint16_t>> parse_smb_ports(std::string_view text) {
    std::vector<std::uint16_t> ports;
    constexpr std::string_view separators = " \t\r\n,";
    while (true) {
        const std::size_t start = text.find_first_not_of(separators);
        if (start == std::string_view::npos) break;
        text.remove_prefix(start);
        const std::string_view word = text.substr(0, text.find_first_of(separators));
        unsigned port = 0;
        const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), port);
        if (error != std::errc{} || end != word.data() + word.size() || port == 0 || port > 65535)
            return std::nullopt;
        ports.push_back(static_cast<std::uint16_t>(port));
        text.remove_prefix(word.size());
    }
    if (ports.empty()) return std::nullopt;
    return ports;
}

bool SmbPortsReader::FileVersion::operator==(const FileVersion& other) const {
    return device == other.device && inode == other.inode && size == other.size &&
           modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

SmbPortsReader::SmbPortsReader(std::string testparm, std::string smb_conf, std::chrono::milliseconds timeout)
    : testparm_(std::move(testparm)), smb_conf_(std::move(smb_conf)), timeout_(timeout) {}

const std::vector<std::uint16_t>& SmbPortsReader::ports() {
    struct stat status {};
    if (::stat(smb_conf_.c_str(), &status) != 0)
        throw SourceError("cannot read " + smb_conf_ + ": " + std::strerror(errno));
    const FileVersion version{status.st_dev, status.st_ino, status.st_size, status.st_mtim};
    if (read_version_ && *read_version_ == version) return ports_;

    const ProcessResult result =
        run_process({testparm_, {"-s", "--parameter-name", "smb ports", smb_conf_}, timeout_});
    if (!result.succeeded())
        throw SourceError("testparm " + result.describe() + " (reading 'smb ports' of " + smb_conf_ + ")");
    std::optional<std::vector<std::uint16_t>> ports = parse_smb_ports(result.standard_output);
    if (!ports) throw SourceError("testparm gave no port for 'smb ports' of " + smb_conf_ + ": " + result.standard_output);
    ports_ = std::move(*ports);
    read_version_ = version;
    return ports_;
}

}  // namespace smbreaper
