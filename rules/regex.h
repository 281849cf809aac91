#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace re2 {
class RE2;
}

namespace smbreaper::rules {

// Why a pattern was refused: what is wrong, where in the pattern (a byte offset), and what to
// write instead.
struct RegexProblem {
    std::string message;
    std::size_t offset = 0;
    std::string instead;
};

// A policy's regular expression: RE2's syntax, matched against the whole value, letters compared
// without case (Unicode simple case folding). RE2 runs in time linear in the value's length
// whatever the pattern, so a client that picks a name made to stall a backtracking matcher
// (`(a+)+$` against "aaaa...!") cannot stall the service. Copies share the compiled form, which
// is safe to use from several threads at once.
class Regex {
public:
    // A pattern at most this long (in bytes) is accepted.
    static constexpr std::size_t max_pattern_length = 1000;

    static std::variant<Regex, RegexProblem> compile(std::string_view expression);

    // Whether the whole of `text` matches. Unknown when `text` is not well-formed UTF-8: RE2
    // reads it as UTF-8 and a match over broken bytes would be a guess.
    std::optional<bool> matches(std::string_view text) const;

    const std::string& expression() const { return expression_; }

private:
    // RE2's own prefilter (re2::FilteredRE2) names the literal texts ("atoms", lower case) some
    // combination of which any match must contain. Which combinations can match is worked out
    // once, for every subset of the atoms, so that a value whose atoms cannot make a match is
    // turned away by a few substring searches instead of a call into RE2 (which costs about as
    // much as the rest of a rule). Used only for ASCII values and atoms: Unicode case folding
    // maps some non-ASCII letters onto ASCII ones (the Kelvin sign onto k).
    struct Prefilter {
        static constexpr std::size_t kMaxAtoms = 8;
        std::vector<std::string> atoms;
        std::array<std::uint8_t, 128> starting_with{};  // by ASCII byte: the atoms that start with it, in either case
        std::vector<bool> possible;                     // by the bit mask of the atoms present
        // When no match is possible without an atom: the (lower-case) characters every atom has,
        // one bit each. A value without one of them cannot match, which one pass over it tells.
        std::array<std::uint64_t, 2> required_characters{};
    };
    static std::optional<Prefilter> prefilter_for(std::string_view expression);

    Regex(std::string expression, std::shared_ptr<const re2::RE2> compiled, std::optional<Prefilter> prefilter)
        : expression_(std::move(expression)), compiled_(std::move(compiled)), prefilter_(std::move(prefilter)) {}

    // Whether the atoms in `text` allow a match; unknown when the text is not all ASCII.
    std::optional<bool> might_match(std::string_view text) const;

    std::string expression_;
    std::shared_ptr<const re2::RE2> compiled_;
    std::optional<Prefilter> prefilter_;  // none: every value is given to RE2
};

}  // namespace smbreaper::rules
