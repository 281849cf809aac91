#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace smbreaper::common {

// One well-formed UTF-8 sequence: its code point and how many bytes it takes.
struct Utf8Sequence {
    std::uint32_t code_point = 0;
    std::size_t length = 0;  // 0: the bytes at that place are not one
};

// The sequence starting at text[at]. Length 0 for a stray continuation byte, a truncated
// sequence, an overlong form, a surrogate or a code point above U+10FFFF.
Utf8Sequence decode_utf8(std::string_view text, std::size_t at);

// True when the whole text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// Paths to and from UTF-8 text, the encoding of everything smbreaper reads and writes. Not
// path(std::string) and path::string(): on Windows those use the ANSI code page, in which
// `политика.yaml` has no spelling.
std::filesystem::path path_from_utf8(std::string_view text);
std::string utf8_of(const std::filesystem::path& path);

}  // namespace smbreaper::common
