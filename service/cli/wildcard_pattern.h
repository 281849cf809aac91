#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smbreaper::cli {

// A PowerShell wildcard pattern, as Get-SmbSession and Close-SmbSession take for names
// (about_Wildcards): `*` any run of characters, `?` exactly one character, `[abc]` one of the
// characters listed, `[a-f]` one in the range, and a backtick making the next character literal
// (`` `* ``, `` `[ ``). Compared character by character, case-insensitively (common/case_folding.h).
class WildcardPattern {
public:
    // Throws std::invalid_argument, naming the pattern, for what PowerShell rejects too: a `[`
    // without its `]`, an empty `[]`; and for a reversed range such as `[z-a]`.
    explicit WildcardPattern(std::string_view pattern);

    bool matches(std::string_view text) const;

    // False when the pattern is plain text (after escapes): it then matches that text only.
    bool has_wildcards() const { return has_wildcards_; }
    const std::string& pattern() const { return pattern_; }

private:
    struct Element {
        enum class Kind { Literal, AnyOne, AnyRun, OneOf };
        Kind kind = Kind::Literal;
        char32_t literal = 0;                               // Literal, folded
        std::vector<std::pair<char32_t, char32_t>> ranges;  // OneOf: inclusive, folded ends
    };

    static bool matches_one(const Element& element, char32_t folded);

    std::string pattern_;
    std::vector<Element> elements_;
    bool has_wildcards_ = false;
};

}  // namespace smbreaper::cli
