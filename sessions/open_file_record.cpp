#include "sessions/open_file_record.h"

namespace smbreaper::sessions {

std::optional<bool> writes(const OpenFileRecord& open) {
    if (!open.permissions) return std::nullopt;
    return (*open.permissions & kWritingAccess) != 0;
}

std::string access_letters(const OpenFileRecord& open) {
    if (!open.permissions) return "(unknown)";
    constexpr std::uint32_t generic_read = 0x80000000u, generic_execute = 0x20000000u;
    const std::uint32_t mask = *open.permissions;
    std::string letters;
    if (mask & (0x00000001u | generic_read | 0x10000000u)) letters += 'R';
    if (mask & (0x00000002u | 0x40000000u | 0x10000000u | 0x02000000u)) letters += 'W';
    if (mask & 0x00000004u) letters += 'A';
    if (mask & 0x00010000u) letters += 'D';
    if (mask & (0x00000020u | generic_execute)) letters += 'X';
    return letters.empty() ? "-" : letters;
}

std::optional<std::chrono::system_clock::time_point> open_since(const OpenFileRecord& open) {
    return open.opened_at ? open.opened_at : open.first_seen;
}

}  // namespace smbreaper::sessions
