#pragma once

#include <string>
#include <string_view>

namespace smbreaper::common {

// UTF-8 <-> UTF-16 for the Windows APIs (which take and give UTF-16). Invalid sequences become
// U+FFFD rather than failing: these convert names and messages, never keys.
std::wstring to_wide(std::string_view utf8);
std::string to_utf8(std::wstring_view utf16);

}  // namespace smbreaper::common
