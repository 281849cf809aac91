#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace re2 {
class RE2;
}

namespace smbreaper {

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
    Regex(std::string expression, std::shared_ptr<const re2::RE2> compiled)
        : expression_(std::move(expression)), compiled_(std::move(compiled)) {}

    std::string expression_;
    std::shared_ptr<const re2::RE2> compiled_;
};

}  // namespace smbreaper
