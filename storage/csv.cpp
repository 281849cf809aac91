#include "storage/csv.h"

namespace smbreaper::storage {

std::string csv_field(std::string_view value) {
    std::string field;
    // A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...), @SUM...);
    // NUL is on OWASP ASVS 1.2.10's list too.
    static constexpr std::string_view formula_starts("=+-@\t\r\0", 7);
    if (!value.empty() && formula_starts.find(value.front()) != std::string_view::npos) field += '\'';
    field += value;
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string quoted = "\"";
    for (const char c : field) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string csv_line(const std::vector<std::string>& values) {
    std::string line;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) line += ',';
        line += csv_field(values[i]);
    }
    return line + "\r\n";
}

}  // namespace smbreaper::storage
