#include "sessions/samba/smb_conf_reader.h"

#include <cerrno>
#include <charconv>
#include <cstring>

#include "sessions/posix/process_runner.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {

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
        if (error != std::errc{} || end != word.data() + word.size() || port == 0 || port > 65535) return std::nullopt;
        ports.push_back(static_cast<std::uint16_t>(port));
        text.remove_prefix(word.size());
    }
    if (ports.empty()) return std::nullopt;
    return ports;
}

bool SmbConfReader::FileVersion::operator==(const FileVersion& other) const {
    return device == other.device && inode == other.inode && size == other.size &&
           modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

SmbConfReader::SmbConfReader(std::string testparm, std::string smb_conf, std::chrono::milliseconds timeout)
    : testparm_(std::move(testparm)), smb_conf_(std::move(smb_conf)), timeout_(timeout) {}

std::string SmbConfReader::parameter(const std::string& name) const {
    const ProcessResult result = run_process({testparm_, {"-s", "--parameter-name", name, smb_conf_}, timeout_});
    if (!result.succeeded())
        throw SourceError("testparm " + result.describe() + " (reading '" + name + "' of " + smb_conf_ + ")");
    std::string value = result.standard_output;
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return value;
}

SmbConfValues SmbConfReader::values() {
    const std::lock_guard<std::mutex> lock(mutex_);
    struct stat status {};
    if (::stat(smb_conf_.c_str(), &status) != 0)
        throw SourceError("cannot read " + smb_conf_ + ": " + std::strerror(errno));
    const FileVersion version{status.st_dev, status.st_ino, status.st_size, status.st_mtim};
    if (read_version_ && *read_version_ == version) return values_;

    const std::string ports_text = parameter("smb ports");
    std::optional<std::vector<std::uint16_t>> ports = parse_smb_ports(ports_text);
    if (!ports) throw SourceError("testparm gave no port for 'smb ports' of " + smb_conf_ + ": '" + ports_text + "'");
    std::string pid_directory = parameter("pid directory");
    if (pid_directory.empty()) throw SourceError("testparm gave no 'pid directory' for " + smb_conf_);

    values_ = {std::move(*ports), std::move(pid_directory)};
    read_version_ = version;
    return values_;
}

}  // namespace smbreaper::sessions
