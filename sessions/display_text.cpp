#include "sessions/display_text.h"

#include <cstdint>
#include <cstdio>

namespace smbreaper {
namespace {

void append_hex_byte(std::string& out, unsigned char byte) {
    char text[5];
    std::snprintf(text, sizeof text, "\\x%02X", byte);
    out += text;
}

void append_code_point(std::string& out, std::uint32_t code_point) {
    char text[12];
    std::snprintf(text, sizeof text, "\\u{%04X}", static_cast<unsigned>(code_point));
    out += text;
}

// The code point of the well-formed UTF-8 sequence at `at` and its length; length 0 when the
// bytes there are not one (a stray continuation byte, a truncated, overlong or surrogate form).
struct Decoded {
    std::uint32_t code_point = 0;
    std::size_t length = 0;
};

Decoded decode_utf8(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t smallest = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code_point = lead & 0x1Fu;
        smallest = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code_point = lead & 0x0Fu;
        smallest = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code_point = lead & 0x07u;
        smallest = 0x10000;
    } else {
        return {};
    }
    if (at + length > text.size()) return {};
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xC0) != 0x80) return {};
        code_point = (code_point << 6) | (next & 0x3Fu);
    }
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (code_point < smallest || code_point > 0x10FFFF || surrogate) return {};
    return {code_point, length};
}

bool is_hidden_control(std::uint32_t code_point) {
    return (code_point >= 0x80 && code_point <= 0x9F) ||      // C1 controls (0x9B is a terminal's CSI)
           (code_point >= 0x202A && code_point <= 0x202E) ||  // bidirectional embeddings and overrides
           (code_point >= 0x2066 && code_point <= 0x2069);    // bidirectional isolates
}

}  // namespace

std::string escape_for_display(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte < 0x80) {
            if (byte == '\n') {
                out += "\\n";
            } else if (byte == '\r') {
                out += "\\r";
            } else if ((byte < 0x20 && byte != '\t') || byte == 0x7F) {
                append_hex_byte(out, byte);
            } else {
                out.push_back(static_cast<char>(byte));
            }
            ++at;
            continue;
        }
        const Decoded decoded = decode_utf8(text, at);
        if (decoded.length == 0) {
            append_hex_byte(out, byte);
            ++at;
        } else if (is_hidden_control(decoded.code_point)) {
            append_code_point(out, decoded.code_point);
            at += decoded.length;
        } else {
            out.append(text.substr(at, decoded.length));
            at += decoded.length;
        }
    }
    return out;
}

}  // namespace smbreaper
