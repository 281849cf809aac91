#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smbreaper::storage {

// CSV for Excel, as the audit export and `smbreaper sessions --format csv` write it: UTF-8 that
// starts with a byte order mark, CRLF line ends, RFC 4180 quoting, formulas neutralised.

// Starts the file: it tells Excel the file is UTF-8.
inline constexpr std::string_view kCsvByteOrderMark = "\xEF\xBB\xBF";

// One CSV field: a value starting with = + - @, a tab or a carriage return gets a leading
// apostrophe so a spreadsheet shows it as text instead of running it as a formula; a value with a
// comma, quote or line break is quoted, its quotes doubled.
std::string csv_field(std::string_view value);

// One line: the fields, each through csv_field(), separated by commas, ended by CRLF.
std::string csv_line(const std::vector<std::string>& values);

}  // namespace smbreaper::storage
