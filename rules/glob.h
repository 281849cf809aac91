#pragma once

#include <string>
#include <string_view>

namespace smbreaper::rules {

// A shell-style pattern (`*` any run, `?` one character), matched case-insensitively as Windows
// compares names. Letters are folded as ASCII; other bytes must match exactly. Compiled once:
// plain text, prefix and suffix patterns take a fast path, the rest a backtracking-free scan.
class Glob {
public:
    explicit Glob(std::string_view pattern);

    // Inline: rules try globs for nearly every session, and most take a fast path.
    bool matches(std::string_view text) const {
        switch (shape_) {
            case Shape::Exact: return folded_equals(folded_, text);
            case Shape::Everything: return true;
            case Shape::Prefix:
                return text.size() >= folded_.size() && folded_equals(folded_, text.substr(0, folded_.size()));
            case Shape::Suffix:
                return text.size() >= folded_.size() &&
                       folded_equals(folded_, text.substr(text.size() - folded_.size()));
            case Shape::General: return matches_general(text);
        }
        return false;
    }
    const std::string& pattern() const { return pattern_; }
    bool has_wildcards() const { return shape_ != Shape::Exact; }
    bool matches_everything() const { return shape_ == Shape::Everything; }

private:
    enum class Shape { Exact, Prefix, Suffix, Everything, General };

    static char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
    static bool folded_equals(std::string_view folded_pattern, std::string_view text) {
        if (folded_pattern.size() != text.size()) return false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (folded_pattern[i] != fold(text[i])) return false;
        }
        return true;
    }
    bool matches_general(std::string_view text) const;

    std::string pattern_;  // as written
    std::string folded_;   // lower-cased; for Prefix/Suffix, without the '*'
    Shape shape_ = Shape::General;
};

// ASCII case-insensitive equality.
bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace smbreaper::rules
