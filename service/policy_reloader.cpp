#include "service/policy_reloader.h"

#include <fstream>
#include <iterator>

#include "storage/sha256.h"

namespace smbreaper {

std::optional<PolicyReloader::FileStamp> PolicyReloader::stamp() const {
    std::error_code error;
    FileStamp result;
    result.size = std::filesystem::file_size(file_, error);
    if (error) return std::nullopt;
    result.modified = std::filesystem::last_write_time(file_, error);
    if (error) return std::nullopt;
    return result;
}

bool PolicyReloader::changed_on_disk() const { return stamp() != last_stamp_; }

PolicyReloader::Result PolicyReloader::reload() {
    last_stamp_ = stamp();
    if (check_) {
        if (auto refusal = check_(file_)) {
            last_diagnostics_.emplace(file_, std::string());
            last_diagnostics_->error({}, "untrusted-file", std::move(*refusal));
            return Result::Rejected;
        }
    }
    std::ifstream stream(file_, std::ios::binary);
    if (!stream) {
        // Let the loader produce the located "cannot read" diagnostic.
        last_diagnostics_ = load_policy_file(file_).diagnostics;
        return Result::Rejected;
    }
    const std::string text{std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
    const std::string digest = sha256_hex(text);
    if (current_ && current_->sha256 == digest) return Result::Unchanged;

    PolicyLoadResult loaded = load_policy_text(text, file_);
    last_diagnostics_ = std::move(loaded.diagnostics);
    if (!loaded.policy) return Result::Rejected;
    current_ = std::make_shared<const LoadedPolicy>(LoadedPolicy{std::move(*loaded.policy), digest});
    return Result::Replaced;
}

}  // namespace smbreaper
