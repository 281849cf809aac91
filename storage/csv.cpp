#include "storage/csv.h"

namespace smbreaper {

std::string csv_field(std::string_view value) {
    std::string field;
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) field += '\'';
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

}  // namespace smbreaper
