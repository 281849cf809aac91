#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace smbreaper::common {

// What a file opened for reading is, as the opened file itself says (not its path, which could
// name another file by the time it is looked at again).
struct OpenedFile {
    std::uint64_t size = 0;
    std::optional<std::uint32_t> owner;  // POSIX: the owner's uid
    std::optional<std::uint32_t> mode;   // POSIX: the permission bits
};

// A file that is not one smbreaper reads: not there, not readable, not a regular file, too large,
// or refused by the caller's check. The message names the file and says what is wrong.
class FileReadError : public std::runtime_error {
public:
    enum class Reason { Unreadable, NotRegular, TooLarge, Refused };
    FileReadError(Reason reason, const std::string& message) : std::runtime_error(message), reason_(reason) {}
    Reason reason() const noexcept { return reason_; }

private:
    Reason reason_;
};

// Reads the whole of `path`, the file `what` names ("the policy file"), following symbolic links.
// Opening cannot block (a FIFO is opened without waiting for a writer) and what was opened is then
// checked: a FIFO, device, socket or folder is refused, and so is a file larger than `max_bytes`.
// `vet`, when given, sees the opened file before anything is read, and refuses it by returning
// why. Throws FileReadError.
using OpenedFileCheck = std::function<std::optional<std::string>(const OpenedFile&)>;
std::string read_regular_file(const std::filesystem::path& path, std::string_view what, std::uint64_t max_bytes,
                              const OpenedFileCheck& vet = {});

// For a file another library opens itself (SQLite's audit trail): why `path` must not be opened
// as `what`, when it exists and is not a regular file (a FIFO would block the opening process);
// nothing when it is one or does not exist.
std::optional<std::string> not_a_regular_file(const std::filesystem::path& path, std::string_view what);

}  // namespace smbreaper::common
