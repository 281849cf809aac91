#include "common/case_folding.h"

namespace smbreaper::common {
namespace {

constexpr char32_t kInvalidByteBase = 0xDC80;

bool in(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

// Blocks where an upper-case letter and its lower case alternate, the upper case on the even code
// point (`upper_is_even`) or on the odd one.
char32_t fold_alternating(char32_t c, bool upper_is_even) {
    const bool is_even = c % 2 == 0;
    return is_even == upper_is_even ? c + 1 : c;
}

// Decodes one UTF-8 sequence at `at`, advancing it; an invalid byte decodes to itself, escaped.
char32_t decode_one(std::string_view text, std::size_t& at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    std::size_t length = 0;
    char32_t value = 0;
    if (lead < 0x80) {
        ++at;
        return lead;
    } else if (in(lead, 0xC2, 0xDF)) {
        length = 2;
        value = lead & 0x1F;
    } else if (in(lead, 0xE0, 0xEF)) {
        length = 3;
        value = lead & 0x0F;
    } else if (in(lead, 0xF0, 0xF4)) {
        length = 4;
        value = lead & 0x07;
    }
    bool valid = length != 0 && at + length <= text.size();
    for (std::size_t i = 1; valid && i < length; ++i) {
        valid = (byte(at + i) & 0xC0) == 0x80;
        value = (value << 6) | (byte(at + i) & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8 either.
    constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    valid = valid && value >= smallest[length] && !in(value, 0xD800, 0xDFFF) && value <= 0x10FFFF;
    if (!valid) {
        ++at;
        return kInvalidByteBase + (lead - 0x80);
    }
    at += length;
    return value;
}

}  // namespace

char32_t fold_case(char32_t c) {
    if (in(c, U'A', U'Z')) return c + 0x20;
    if (c < 0xC0) return c;
    // Latin-1 Supplement (but the multiplication sign) and Latin Extended-A.
    if (in(c, 0xC0, 0xDE) && c != 0xD7) return c + 0x20;
    if (in(c, 0x100, 0x12F) || in(c, 0x132, 0x137) || in(c, 0x14A, 0x177)) return fold_alternating(c, true);
    if (in(c, 0x139, 0x148) || in(c, 0x179, 0x17E)) return fold_alternating(c, false);
    if (c == 0x178) return 0xFF;  // Ÿ
    // Greek.
    if (in(c, 0x391, 0x3AB) && c != 0x3A2) return c + 0x20;
    if (c == 0x386) return 0x3AC;
    if (in(c, 0x388, 0x38A)) return c + 0x25;
    if (c == 0x38C) return 0x3CC;
    if (in(c, 0x38E, 0x38F)) return c + 0x3F;
    // Cyrillic.
    if (in(c, 0x400, 0x40F)) return c + 0x50;
    if (in(c, 0x410, 0x42F)) return c + 0x20;
    if (in(c, 0x460, 0x481) || in(c, 0x48A, 0x4BF) || in(c, 0x4D0, 0x52F)) return fold_alternating(c, true);
    if (c == 0x4C0) return 0x4CF;
    if (in(c, 0x4C1, 0x4CE)) return fold_alternating(c, false);
    // Full-width Latin.
    if (in(c, 0xFF21, 0xFF3A)) return c + 0x20;
    return c;
}

std::u32string fold_case(std::string_view utf8) {
    std::u32string folded;
    folded.reserve(utf8.size());
    for (std::size_t at = 0; at < utf8.size();) folded.push_back(fold_case(decode_one(utf8, at)));
    return folded;
}

}  // namespace smbreaper::common
