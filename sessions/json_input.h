#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// What the readers of session tables (smbstatus documents, Windows snapshots) share: taking the
// text apart from its byte-order mark, locating a byte as line:column, describing syntax errors,
// strict decimal numbers, and reading a document as a stream of parse events.
namespace smbreaper::sessions {

// Deeper documents are refused: no session table nests beyond a handful of levels, and a limit
// keeps hostile input from costing unbounded memory or recursion.
inline constexpr std::size_t max_json_nesting = 64;

// `text` without a leading UTF-8 byte-order mark (PowerShell writes one).
std::string_view skip_utf8_bom(std::string_view text);

// The same, and throws SourceError naming `origin` for UTF-16 and UTF-32 text (which Windows
// PowerShell's `>` produces).
std::string_view json_text_without_bom(std::string_view text, std::string_view origin);

// 1-based line and column of the byte at `offset` (columns count bytes).
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};
TextPosition text_position(std::string_view text, std::size_t offset);

// "ORIGIN:LINE:COL: syntax error ..." for an nlohmann parse error. `chars_read` is the position
// nlohmann reports: the number of bytes read, including the one that broke the syntax.
std::string json_syntax_error_message(std::string_view origin, std::string_view text, std::size_t chars_read,
                                      const std::exception& error);

// ASCII letters compared without regard to case, as PowerShell matches property names.
bool same_ascii_ignoring_case(std::string_view a, std::string_view b);

// Digits only ("0" to "18446744073709551615"): no sign, no blanks, no exponent.
std::optional<std::uint64_t> parse_decimal_u64(std::string_view text);

// "expected a whole number from 0 to LARGEST (or its decimal string)": the readers accept
// identifiers and counters both ways, as Windows marshals uint64 as strings.
std::string expected_whole_number(std::uint64_t largest);

// `text` as a JSON string literal for error messages, cut short when long.
std::string quote_for_message(std::string_view text);

// One JSON scalar as a parse event carries it. `text` is only valid during the event.
struct JsonScalar {
    enum class Kind { Null, Boolean, Negative, Unsigned, Fraction, String };
    Kind kind = Kind::Null;
    bool boolean = false;
    std::uint64_t number = 0;   // Unsigned
    std::int64_t negative = 0;  // Negative ("-0" is 0)
    std::string_view text;      // String, and the literal of Negative and Fraction numbers

    // As a message shows it: null, true, 42, -1.5, "text" (quoted, cut short when long).
    std::string describe() const;
};

// The base of the readers that turn a document's parse events straight into records, without a
// document tree: large tables then cost little more memory than the records. Scalars arrive as
// JsonScalar through on_scalar; a syntax error throws SourceError naming the origin and
// line:column. Containers and keys are the subclass' to follow (nesting depth included).
class JsonEventReader : public nlohmann::json_sax<nlohmann::json> {
public:
    bool null() final;
    bool boolean(bool value) final;
    bool number_integer(number_integer_t value) final;
    bool number_unsigned(number_unsigned_t value) final;
    bool number_float(number_float_t value, const string_t& literal) final;
    bool string(string_t& value) final;
    bool binary(binary_t&) final;
    bool parse_error(std::size_t chars_read, const std::string& token, const nlohmann::detail::exception& error) final;

protected:
    explicit JsonEventReader(std::string_view origin) : origin_(origin) {}
    virtual void on_scalar(const JsonScalar& value) = 0;
    std::string_view origin() const { return origin_; }

private:
    friend void read_json_events(std::string_view document, JsonEventReader& reader);
    std::string_view text_;  // the document without its byte-order mark, for line:column
    std::string_view origin_;
};

// Feeds the parse events of `document` (UTF-8, with or without a byte-order mark; UTF-16 and
// UTF-32 are refused by name) to `reader`. Exactly one value, nothing after it but blanks.
void read_json_events(std::string_view document, JsonEventReader& reader);

// Appends a member's name to a path: `sessions` + `uid` -> `sessions.uid`; names that are not
// plain identifiers are quoted: `sessions["1669522539"]`.
std::string json_member_path(const std::string& path, std::string_view key);

}  // namespace smbreaper::sessions
