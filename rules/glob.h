#pragma once

#include <string>
#include <string_view>

namespace smbreaper {

// A shell-style pattern (`*` any run, `?` one character), matched case-insensitively as Windows
// compares names. Letters are folded as ASCII; other bytes must match exactly. Compiled once:
// plain text, prefix and suffix patterns take a fast path, the rest a backtracking-free scan.
class Glob {
public:
    explicit Glob(std::string_view pattern);

    bool matches(std::string_view text) const;
    const std::string& pattern() const { return pattern_; }
    bool has_wildcards() const { return shape_ != Shape::Exact; }
    bool matches_everything() const { return shape_ == Shape::Everything; }

private:
    enum class Shape { Exact, Prefix, Suffix, Everything, General };

    std::string pattern_;  // as written
    std::string folded_;   // lower-cased; for Prefix/Suffix, without the '*'
    Shape shape_ = Shape::General;
};

// ASCII case-insensitive equality.
bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace smbreaper
