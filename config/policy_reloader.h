#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/policy_loader.h"

namespace smbreaper::config {

// A validated policy together with the exact bytes' SHA-256, which every audit entry records.
struct LoadedPolicy {
    rules::Policy policy;
    std::string sha256;
};

// Keeps the policy in force and replaces it only with a file that validates completely and that
// no one but the trusted accounts can change (config/file_permissions.h: owners and modes on
// POSIX, ACLs on Windows). The file is watched by
// comparing its size, modification time and permissions, cheap enough to do every second.
class PolicyReloader {
public:
    enum class Result { Unchanged, Replaced, Rejected };

    explicit PolicyReloader(std::filesystem::path file) : file_(std::move(file)) {}

    // Reads and validates the file. Replaced: it is now in force. Rejected: the previous policy
    // (if any) stays, and diagnostics() says why. Unchanged: the same bytes as the policy in force.
    Result reload();

    // True when the file's size, modification time or permissions differ from when it was last
    // read, and have not changed since the previous call: a file still being written (an editor
    // that truncates and rewrites in place, a copy in progress) is not read half-way, where a
    // truncated policy may still be valid, yet lack its last exceptions. Call it at a steady
    // interval; a change is acted on one interval after it stops.
    bool changed_and_settled();

    bool has_policy() const { return current_ != nullptr; }
    // The policy in force; shared so a cycle in progress keeps the one it started with.
    std::shared_ptr<const LoadedPolicy> current() const { return current_; }
    const Diagnostics* diagnostics() const { return last_diagnostics_ ? &*last_diagnostics_ : nullptr; }
    const std::filesystem::path& file() const { return file_; }

private:
    struct FileStamp {
        std::uintmax_t size = 0;
        std::filesystem::file_time_type modified{};
        std::filesystem::perms permissions = std::filesystem::perms::none;
        bool operator==(const FileStamp&) const = default;
    };
    std::optional<FileStamp> stamp() const;

    std::filesystem::path file_;
    std::shared_ptr<const LoadedPolicy> current_;
    std::optional<Diagnostics> last_diagnostics_;
    std::optional<FileStamp> last_stamp_;     // when last read; nothing when it could not be
    std::optional<FileStamp> changed_stamp_;  // a change seen by the previous call, not yet read
    bool change_seen_ = false;
};

}  // namespace smbreaper::config
