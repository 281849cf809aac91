#include "rules/regex.h"

#include <re2/re2.h>

#include "sessions/utf8.h"

namespace smbreaper {
namespace {

// RE2's default budget for the compiled program and its matching caches is 8 MiB; a policy
// holds many expressions, each of them short, so each gets less.
constexpr std::int64_t kMemoryBudget = 1 << 20;

// What to write instead of a construct RE2 refuses, for the errors a pattern written for Perl,
// PCRE or ECMAScript most often meets.
std::string advice_for(const re2::RE2& refused) {
    const std::string& arg = refused.error_arg();
    switch (refused.error_code()) {
        case re2::RE2::ErrorBadPerlOp:
            if (arg.rfind("(?=", 0) == 0 || arg.rfind("(?!", 0) == 0 || arg.rfind("(?<", 0) == 0) {
                return "lookahead and lookbehind are not supported; test the other condition separately "
                       "(a second field test, `not:` or `except:`)";
            }
            return "write a plain group (...) or a non-capturing one (?:...)";
        case re2::RE2::ErrorBadEscape:
            if (arg.size() == 2 && arg[1] >= '1' && arg[1] <= '9') {
                return "backreferences are not supported; list the alternatives instead, e.g. (?:aa|bb)";
            }
            return "escape only punctuation, or use a class such as \\d, \\w, \\s or \\pL";
        case re2::RE2::ErrorRepeatSize: return "repeat counts go up to 1000, e.g. x{1,1000}";
        case re2::RE2::ErrorRepeatOp:
        case re2::RE2::ErrorRepeatArgument: return "put a quantifier (*, +, ?, {n}) after something it repeats";
        case re2::RE2::ErrorMissingBracket: return "close the character class with ]";
        case re2::RE2::ErrorMissingParen: return "close the group with )";
        case re2::RE2::ErrorUnexpectedParen: return "remove the ) or open its group with (";
        case re2::RE2::ErrorTrailingBackslash: return "end the pattern with \\\\ for a literal backslash";
        case re2::RE2::ErrorBadCharRange: return "write a range low to high, e.g. [a-f]";
        case re2::RE2::ErrorPatternTooLarge: return "split the pattern into several rules or a list of globs";
        default: return "regexes use RE2's syntax (docs/POLICY.md) and match the whole value";
    }
}

}  // namespace

std::variant<Regex, RegexProblem> Regex::compile(std::string_view expression) {
    if (expression.size() > max_pattern_length) {
        return RegexProblem{"the regular expression is longer than " + std::to_string(max_pattern_length) + " bytes",
                            max_pattern_length, "split it into several rules or use a list of globs"};
    }
    if (!is_valid_utf8(expression)) {
        return RegexProblem{"the regular expression is not valid UTF-8", 0, "save the policy file as UTF-8"};
    }
    re2::RE2::Options options;
    options.set_case_sensitive(false);
    options.set_never_capture(true);  // only whether it matches counts
    options.set_log_errors(false);    // problems are reported through the policy's diagnostics
    options.set_max_mem(kMemoryBudget);
    auto compiled = std::make_shared<const re2::RE2>(re2::StringPiece(expression.data(), expression.size()), options);
    if (!compiled->ok()) {
        const std::string& arg = compiled->error_arg();
        const std::size_t at = arg.empty() ? std::string_view::npos : expression.find(arg);
        return RegexProblem{compiled->error(), at == std::string_view::npos ? 0 : at, advice_for(*compiled)};
    }
    return Regex(std::string(expression), std::move(compiled));
}

std::optional<bool> Regex::matches(std::string_view text) const {
    if (!is_valid_utf8(text)) return std::nullopt;
    return re2::RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *compiled_);
}

}  // namespace smbreaper
