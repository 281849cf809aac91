#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rules/policy.h"

namespace smbreaper::config {

enum class Severity { Error, Warning };

// One problem found in a policy file: where, how bad, a stable code scripts can test for, and a
// message that says what is wrong and what to write instead.
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string code;  // "unknown-key", "bad-duration", ...
    std::string message;
    rules::SourceLocation location;
};

// Every problem in one file, collected rather than stopping at the first.
class Diagnostics {
public:
    Diagnostics(std::filesystem::path file, std::string text) : file_(std::move(file)), text_(std::move(text)) {}

    void error(rules::SourceLocation where, std::string_view code, std::string message);
    void warning(rules::SourceLocation where, std::string_view code, std::string message);

    // Where byte `offset` of a scalar's value is in the file, given where the scalar starts: the
    // place itself when the value is written there as it is (plain, or quoted with no escape
    // before `offset`), else the scalar's start.
    rules::SourceLocation within_scalar(rules::SourceLocation scalar, std::string_view value, std::size_t offset) const;

    bool has_errors() const;
    std::size_t error_count() const;
    std::size_t warning_count() const;
    const std::vector<Diagnostic>& items() const { return items_; }
    const std::filesystem::path& file() const { return file_; }

    // FILE:LINE:COL: error: message, then the offending line and a caret under the column.
    std::string render_text() const;
    // {"file": ..., "valid": bool, "errors": N, "warnings": N, "diagnostics": [{...}]}
    std::string render_json() const;

private:
    std::string line_text(int line) const;

    std::filesystem::path file_;
    std::string text_;
    std::vector<Diagnostic> items_;
};

}  // namespace smbreaper::config
