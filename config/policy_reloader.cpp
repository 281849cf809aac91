#include "config/policy_reloader.h"

#include "common/sha256.h"
#include "config/file_permissions.h"

namespace smbreaper::config {
using smbreaper::common::FileReadError;
using smbreaper::common::OpenedFile;
using smbreaper::common::read_regular_file;
using smbreaper::common::sha256_hex;

std::optional<PolicyReloader::FileStamp> PolicyReloader::stamp() const {
    std::error_code error;
    FileStamp result;
    result.size = std::filesystem::file_size(file_, error);
    if (error) return std::nullopt;
    result.modified = std::filesystem::last_write_time(file_, error);
    if (error) return std::nullopt;
    result.permissions = std::filesystem::status(file_, error).permissions();
    if (error) return std::nullopt;
    return result;
}

bool PolicyReloader::changed_and_settled() {
    const std::optional<FileStamp> now = stamp();
    if (now == last_stamp_) {
        change_seen_ = false;
        return false;
    }
    const bool settled = change_seen_ && now == changed_stamp_;
    change_seen_ = true;
    changed_stamp_ = now;
    return settled;
}

PolicyReloader::Result PolicyReloader::reload() {
    last_stamp_ = stamp();
    change_seen_ = false;
    if (auto refusal = unsafe_permissions(file_, TrustedFile::Policy)) {
        last_diagnostics_.emplace(file_, std::string());
        last_diagnostics_->error({}, "unsafe-permissions", std::move(*refusal));
        return Result::Rejected;
    }
    std::string text;
    try {
        // The file as opened is judged again: what is read is what was judged, even if the path
        // now leads elsewhere.
        text = read_regular_file(file_, "the policy file", kMaxPolicyBytes, [this](const OpenedFile& opened) {
            return unsafe_opened_file(opened, file_, TrustedFile::Policy);
        });
    } catch (const FileReadError& error) {
        last_diagnostics_.emplace(file_, std::string());
        const bool refused = error.reason() == FileReadError::Reason::Refused;
        last_diagnostics_->error({}, refused ? "unsafe-permissions" : "unreadable", error.what());
        return Result::Rejected;
    }
    const std::string digest = sha256_hex(text);
    if (current_ && current_->sha256 == digest) return Result::Unchanged;

    PolicyLoadResult loaded = load_policy_text(text, file_);
    last_diagnostics_ = std::move(loaded.diagnostics);
    if (!loaded.policy) return Result::Rejected;
    current_ = std::make_shared<const LoadedPolicy>(LoadedPolicy{std::move(*loaded.policy), digest});
    return Result::Replaced;
}

}  // namespace smbreaper::config
