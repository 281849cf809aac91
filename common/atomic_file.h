#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace smbreaper::common {

// Replaces `target`'s contents with `contents` so that a crash or power loss at any moment leaves
// either the old file or the new one, never a part: the bytes go to a temporary file in the same
// folder, reach the disk, and the temporary file is then renamed over `target`. The new file keeps
// `target`'s permissions. Not safe against another process writing `target` at the same time.
// Throws std::runtime_error naming the file on failure; `target` is then unchanged.
void replace_file_atomically(const std::filesystem::path& target, std::string_view contents);
// How replace_file_atomically writes: the new file's permissions (none given: `target`'s are
// kept), and whether it waits for the disk. A file that is rewritten every few seconds and
// worthless after a crash (the metrics textfile) can skip the wait; a reader still never sees
// a part.
struct ReplaceOptions {
    std::optional<std::filesystem::perms> permissions;
    bool durable = true;
};
void replace_file_atomically(const std::filesystem::path& target, std::string_view contents,
                             const ReplaceOptions& options);

}  // namespace smbreaper::common
