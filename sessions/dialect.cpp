#include "sessions/dialect.h"

#include <cctype>

namespace smbreaper::sessions {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<Dialect> parse_dialect(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.size() > 3 && equals_ignoring_case(text.substr(0, 3), "SMB")) text.remove_prefix(3);
    if (equals_ignoring_case(text, "NT1") || equals_ignoring_case(text, "1") || text == "1.0" || text == "1.5") {
        return Dialect::Smb1;
    }
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return std::nullopt;

    // The major digit, then the revision digits with every separator dropped:
    // "3.1.1", "3.11" and "3_11" all give 3 and "11"; "2.1" and "2.10" both give 2 and "10".
    const int major = text[0] - '0';
    std::string minor;
    for (char c : text.substr(1)) {
        if (c == '.' || c == '_') continue;
        if (!std::isdigit(static_cast<unsigned char>(c)) || minor.size() == 2) return std::nullopt;
        minor.push_back(c);
    }
    while (minor.size() < 2) minor.push_back('0');
    const unsigned value = (static_cast<unsigned>(major) << 8) | (static_cast<unsigned>(minor[0] - '0') << 4) |
                           static_cast<unsigned>(minor[1] - '0');
    switch (value) {
        case 0x0202: return Dialect::Smb2_0_2;
        case 0x0210: return Dialect::Smb2_1;
        case 0x0300: return Dialect::Smb3_0;
        case 0x0302: return Dialect::Smb3_0_2;
        case 0x0311: return Dialect::Smb3_1_1;
        default: return std::nullopt;
    }
}

std::string_view windows_spelling(Dialect dialect) {
    switch (dialect) {
        case Dialect::Smb1: return "1.5";
        case Dialect::Smb2_0_2: return "2.0.2";
        case Dialect::Smb2_1: return "2.1";
        case Dialect::Smb3_0: return "3.0";
        case Dialect::Smb3_0_2: return "3.0.2";
        case Dialect::Smb3_1_1: return "3.1.1";
    }
    return "";
}

}  // namespace smbreaper::sessions
