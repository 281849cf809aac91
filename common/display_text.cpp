#include "common/display_text.h"

#include <cstdint>
#include <cstdio>

#include "common/utf8.h"

namespace smbreaper::common {
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
        const Utf8Sequence decoded = decode_utf8(text, at);
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

}  // namespace smbreaper::common
