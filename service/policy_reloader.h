#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/policy_loader.h"

namespace smbreaper {

// A validated policy together with the exact bytes' SHA-256, which every audit entry records.
struct LoadedPolicy {
    Policy policy;
    std::string sha256;
};

// Keeps the policy in force and replaces it only with a file that validates completely. The
// file is watched by comparing its size and modification time, cheap enough to do every second.
class PolicyReloader {
public:
    enum class Result { Unchanged, Replaced, Rejected };

    // Decides whether the file may be obeyed at all, before its content is read: a reason to
    // refuse it, or nullopt. The Windows service refuses a file others than Administrators can
    // change (service/windows/policy_file_security.h).
    using FileCheck = std::function<std::optional<std::string>(const std::filesystem::path&)>;

    explicit PolicyReloader(std::filesystem::path file, FileCheck check = {})
        : file_(std::move(file)), check_(std::move(check)) {}

    // Reads and validates the file. Replaced: it is now in force. Rejected: the previous policy
    // (if any) stays, and diagnostics() says why. Unchanged: the same bytes as the policy in force.
    Result reload();

    // True when the file's size or modification time differ from when it was last read.
    bool changed_on_disk() const;

    bool has_policy() const { return current_ != nullptr; }
    // The policy in force; shared so a cycle in progress keeps the one it started with.
    std::shared_ptr<const LoadedPolicy> current() const { return current_; }
    const Diagnostics* diagnostics() const { return last_diagnostics_ ? &*last_diagnostics_ : nullptr; }
    const std::filesystem::path& file() const { return file_; }

private:
    struct FileStamp {
        std::uintmax_t size = 0;
        std::filesystem::file_time_type modified{};
        bool operator==(const FileStamp&) const = default;
    };
    std::optional<FileStamp> stamp() const;

    std::filesystem::path file_;
    FileCheck check_;
    std::shared_ptr<const LoadedPolicy> current_;
    std::optional<Diagnostics> last_diagnostics_;
    std::optional<FileStamp> last_stamp_;
};

}  // namespace smbreaper
