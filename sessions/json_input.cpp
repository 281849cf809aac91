#include "sessions/json_input.h"

#include <charconv>
#include <cstddef>
#include <iterator>

#include "common/json_writer.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {
using smbreaper::common::append_json_string;

namespace {

bool starts_with_bytes(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// nlohmann compiles its lexer once per input type, and the linker keeps one copy of it for the
// whole program. With plain `const char*` input that copy may come from a file built at -O2,
// where the lexer's per-character functions are not inlined and a large table reads at half the
// speed. Reading through this iterator of our own gives the readers their own copy, built with
// this file (at -O3, see sessions/CMakeLists.txt).
class DocumentByte {
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    explicit DocumentByte(const char* at) : at_(at) {}
    reference operator*() const { return *at_; }
    DocumentByte& operator++() {
        ++at_;
        return *this;
    }
    DocumentByte operator++(int) {
        DocumentByte before = *this;
        ++at_;
        return before;
    }
    bool operator==(const DocumentByte& other) const { return at_ == other.at_; }
    bool operator!=(const DocumentByte& other) const { return at_ != other.at_; }

private:
    const char* at_;
};

// nlohmann says "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
// while parsing value - ..." or "[json.exception.out_of_range.406] number overflow parsing
// '1e400'": keep what follows its error id and its own idea of the position.
std::string nlohmann_error_detail(const std::exception& error) {
    std::string_view detail = error.what();
    const std::size_t bracket = detail.find("] ");
    if (bracket != std::string_view::npos) detail.remove_prefix(bracket + 2);
    if (detail.substr(0, 11) == "parse error") {
        const std::size_t colon = detail.find(": ");
        if (colon != std::string_view::npos) detail.remove_prefix(colon + 2);
    }
    return std::string(detail);
}

}  // namespace

std::string_view skip_utf8_bom(std::string_view text) {
    return starts_with_bytes(text, "\xEF\xBB\xBF") ? text.substr(3) : text;
}

std::string_view json_text_without_bom(std::string_view text, std::string_view origin) {
    if (starts_with_bytes(text, "\xEF\xBB\xBF")) return skip_utf8_bom(text);
    // UTF-32 LE begins like UTF-16 LE, so test it first.
    const bool utf32 = starts_with_bytes(text, std::string_view("\xFF\xFE\0\0", 4)) ||
                       starts_with_bytes(text, std::string_view("\0\0\xFE\xFF", 4));
    const bool utf16 = starts_with_bytes(text, "\xFF\xFE") || starts_with_bytes(text, "\xFE\xFF");
    if (utf32 || utf16) {
        throw SourceError(std::string(origin) + ": the text is " + (utf32 ? "UTF-32" : "UTF-16") +
                              ", not UTF-8; save it as UTF-8 (in PowerShell: ... | ConvertTo-Json | "
                              "Out-File -Encoding utf8 FILE)",
                          SourceErrorKind::Malformed);
    }
    return text;
}

TextPosition text_position(std::string_view text, std::size_t offset) {
    TextPosition position;
    const std::size_t end = offset < text.size() ? offset : text.size();
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else {
            ++position.column;
        }
    }
    return position;
}

std::string json_syntax_error_message(std::string_view origin, std::string_view text, std::size_t chars_read,
                                      const std::exception& error) {
    const TextPosition at = text_position(text, chars_read == 0 ? 0 : chars_read - 1);
    std::string message = std::string(origin) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return message + "the document is empty: expected JSON";
    }
    return message + nlohmann_error_detail(error);
}

std::optional<std::uint64_t> parse_decimal_u64(std::string_view text) {
    if (text.empty() || text.size() > 20) return std::nullopt;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string expected_whole_number(std::uint64_t largest) {
    return "expected a whole number from 0 to " + std::to_string(largest) + " (or its decimal string)";
}

bool same_ascii_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string quote_for_message(std::string_view text) {
    constexpr std::size_t longest = 60;
    std::string quoted;
    append_json_string(quoted, text.substr(0, longest));
    if (text.size() > longest) quoted.insert(quoted.size() - 1, "...");
    return quoted;
}

std::string JsonScalar::describe() const {
    switch (kind) {
        case Kind::Null: return "null";
        case Kind::Boolean: return boolean ? "true" : "false";
        case Kind::Unsigned: return std::to_string(number);
        case Kind::String: return quote_for_message(text);
        case Kind::Negative:
        case Kind::Fraction: return std::string(text);
    }
    return "a value";
}

bool JsonEventReader::null() {
    on_scalar({});
    return true;
}

bool JsonEventReader::boolean(bool value) {
    on_scalar({.kind = JsonScalar::Kind::Boolean, .boolean = value});
    return true;
}

// Only negative numbers arrive here ("-0" too); the literal is rebuilt for messages.
bool JsonEventReader::number_integer(number_integer_t value) {
    const std::string literal = value == 0 ? "-0" : std::to_string(value);
    on_scalar({.kind = JsonScalar::Kind::Negative, .negative = value, .text = literal});
    return true;
}

bool JsonEventReader::number_unsigned(number_unsigned_t value) {
    on_scalar({.kind = JsonScalar::Kind::Unsigned, .number = value});
    return true;
}

// Fractions, exponents, and whole numbers too large for 64 bits.
bool JsonEventReader::number_float(number_float_t, const string_t& literal) {
    on_scalar({.kind = JsonScalar::Kind::Fraction, .text = literal});
    return true;
}

bool JsonEventReader::string(string_t& value) {
    on_scalar({.kind = JsonScalar::Kind::String, .text = value});
    return true;
}

bool JsonEventReader::binary(binary_t&) { return true; }  // JSON text has no binary values

bool JsonEventReader::parse_error(std::size_t chars_read, const std::string&,
                                  const nlohmann::detail::exception& error) {
    throw SourceError(json_syntax_error_message(origin_, text_, chars_read, error), SourceErrorKind::Malformed);
}

void read_json_events(std::string_view document, JsonEventReader& reader) {
    reader.text_ = json_text_without_bom(document, reader.origin_);
    const char* const begin = reader.text_.data();
    nlohmann::json::sax_parse(DocumentByte(begin), DocumentByte(begin + reader.text_.size()), &reader);
}

std::string json_member_path(const std::string& path, std::string_view key) {
    bool identifier = !key.empty() && !(key[0] >= '0' && key[0] <= '9');
    for (char c : key) {
        identifier =
            identifier && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    }
    if (!identifier) return path + "[" + quote_for_message(key) + "]";
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

}  // namespace smbreaper::sessions
