#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// What the readers of session tables (smbstatus documents, Windows snapshots) share: taking the
// text apart from its byte-order mark, locating a byte as line:column, describing syntax errors,
// strict decimal numbers, and a DOM parse that cannot be driven into deep nesting or ambiguity.
namespace smbreaper {

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

// Digits only ("0" to "18446744073709551615"): no sign, no blanks, no exponent.
std::optional<std::uint64_t> parse_decimal_u64(std::string_view text);

// "expected a whole number from 0 to LARGEST (or its decimal string)": the readers accept
// identifiers and counters both ways, as Windows marshals uint64 as strings.
std::string expected_whole_number(std::uint64_t largest);

// `text` as a JSON string literal for error messages, cut short when long.
std::string quote_for_message(std::string_view text);

// Which object members a DOM keeps. `top_level_member` is the name of the document's member the
// key is inside (the key itself at depth 1); `depth` counts the objects and arrays around the key,
// 1 for the document's own members. Members not kept are checked for syntax only.
using KeepMember = bool (*)(std::string_view top_level_member, std::size_t depth, std::string_view key);

// Parses a whole document (UTF-8, with or without a byte-order mark) into a DOM, for documents
// such as smbstatus'. Throws SourceError naming `origin` and the place: line:column for syntax
// errors, the JSON path for nesting deeper than max_json_nesting and for a key repeated in one
// object (which a DOM would otherwise resolve silently by keeping the last value). With
// `keep_member`, only the members it accepts enter the DOM, so large parts a reader does not need
// cost no memory.
nlohmann::json parse_json_document(std::string_view text, std::string_view origin, KeepMember keep_member = nullptr);

// Appends a member's name to a path: `sessions` + `uid` -> `sessions.uid`; names that are not
// plain identifiers are quoted: `sessions["1669522539"]`.
std::string json_member_path(const std::string& path, std::string_view key);

}  // namespace smbreaper
