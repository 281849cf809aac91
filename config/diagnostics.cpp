#include "config/diagnostics.h"

#include <algorithm>

#include "common/json_writer.h"

namespace smbreaper::config {
using smbreaper::common::JsonWriter;
using smbreaper::rules::SourceLocation;

namespace {

std::string_view severity_name(Severity severity) { return severity == Severity::Error ? "error" : "warning"; }

// Control characters would garble a terminal; show them as '?' in the quoted source line.
std::string printable(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    for (char c : line) out.push_back((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F ? '?' : c);
    return out;
}

}  // namespace

void Diagnostics::error(SourceLocation where, std::string_view code, std::string message) {
    items_.push_back({Severity::Error, std::string(code), std::move(message), where});
}

void Diagnostics::warning(SourceLocation where, std::string_view code, std::string message) {
    items_.push_back({Severity::Warning, std::string(code), std::move(message), where});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

std::size_t Diagnostics::warning_count() const { return items_.size() - error_count(); }

SourceLocation Diagnostics::within_scalar(SourceLocation scalar, std::string_view value, std::size_t offset) const {
    if (scalar.line <= 0 || scalar.column <= 0 || offset > value.size()) return scalar;
    const std::string line = line_text(scalar.line);
    auto start = static_cast<std::size_t>(scalar.column - 1);
    if (start >= line.size()) return scalar;
    if (line[start] == '\'' || line[start] == '"') ++start;
    if (line.compare(start, offset, value.substr(0, offset)) != 0) return scalar;
    return {scalar.line, static_cast<int>(start + offset) + 1};
}

std::string Diagnostics::line_text(int line) const {
    if (line <= 0) return {};
    std::size_t start = 0;
    for (int current = 1; current < line; ++current) {
        start = text_.find('\n', start);
        if (start == std::string::npos) return {};
        ++start;
    }
    std::size_t end = text_.find('\n', start);
    if (end == std::string::npos) end = text_.size();
    std::string_view found(text_.data() + start, end - start);
    if (!found.empty() && found.back() == '\r') found.remove_suffix(1);
    return std::string(found);
}

std::string Diagnostics::render_text() const {
    std::vector<Diagnostic> sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.location.line != b.location.line ? a.location.line < b.location.line
                                                  : a.location.column < b.location.column;
    });
    std::string out;
    const std::string file = file_.string();
    for (const Diagnostic& d : sorted) {
        out += file;
        if (d.location.line > 0) out += ":" + std::to_string(d.location.line) + ":" + std::to_string(d.location.column);
        out += ": ";
        out += severity_name(d.severity);
        out += ": " + d.message + " [" + d.code + "]\n";
        const std::string line = line_text(d.location.line);
        if (d.location.line > 0 && !line.empty()) {
            out += "  " + printable(line) + "\n  ";
            // Keep tabs in the caret line so the caret lands under the right column.
            for (int i = 1; i < d.location.column && static_cast<std::size_t>(i - 1) < line.size(); ++i) {
                out.push_back(line[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ');
            }
            out += "^\n";
        }
    }
    return out;
}

std::string Diagnostics::render_json() const {
    std::string out;
    JsonWriter json(out);
    json.begin_object();
    json.key("file").value(file_.string());
    json.key("valid").value(!has_errors());
    json.key("errors").value(static_cast<std::uint64_t>(error_count()));
    json.key("warnings").value(static_cast<std::uint64_t>(warning_count()));
    json.key("diagnostics").begin_array();
    for (const Diagnostic& d : items_) {
        json.begin_object();
        json.key("severity").value(severity_name(d.severity));
        json.key("code").value(d.code);
        json.key("message").value(d.message);
        json.key("line").value(static_cast<std::int64_t>(d.location.line));
        json.key("column").value(static_cast<std::int64_t>(d.location.column));
        json.end_object();
    }
    json.end_array();
    json.end_object();
    out.push_back('\n');
    return out;
}

}  // namespace smbreaper::config
