#include "rules/regex.h"

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>

#include "common/utf8.h"

namespace smbreaper::rules {
using smbreaper::common::is_valid_utf8;

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
            return R"(escape only punctuation, or use a class such as \d, \w, \s or \pL)";
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

re2::RE2::Options regex_options() {
    re2::RE2::Options options;
    options.set_case_sensitive(false);
    options.set_never_capture(true);  // only whether it matches counts
    options.set_log_errors(false);    // problems are reported through the policy's diagnostics
    options.set_max_mem(kMemoryBudget);
    return options;
}

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether `lower` (lower case) is in `text` at `start`, letters compared without case.
bool found_at(std::string_view text, std::size_t start, std::string_view lower) {
    if (lower.size() > text.size() - start) return false;
    for (std::size_t i = 0; i < lower.size(); ++i) {
        if (ascii_lower(text[start + i]) != lower[i]) return false;
    }
    return true;
}

}  // namespace

std::optional<Regex::Prefilter> Regex::prefilter_for(std::string_view expression) {
    re2::FilteredRE2 filter;
    int id = 0;
    if (filter.Add(re2::StringPiece(expression.data(), expression.size()), regex_options(), &id) != re2::RE2::NoError) {
        return std::nullopt;
    }
    Prefilter prefilter;
    filter.Compile(&prefilter.atoms);
    if (prefilter.atoms.empty() || prefilter.atoms.size() > Prefilter::kMaxAtoms ||
        !std::all_of(prefilter.atoms.begin(), prefilter.atoms.end(),
                     [](const std::string& atom) { return is_ascii(atom); })) {
        return std::nullopt;
    }
    for (std::size_t atom = 0; atom < prefilter.atoms.size(); ++atom) {
        const char first = prefilter.atoms[atom].front();
        const auto bit = static_cast<std::uint8_t>(1u << atom);
        prefilter.starting_with[static_cast<unsigned char>(first)] |= bit;
        if (first >= 'a' && first <= 'z') prefilter.starting_with[static_cast<unsigned char>(first - 'a' + 'A')] |= bit;
    }
    const std::size_t combinations = std::size_t{1} << prefilter.atoms.size();
    std::array<std::uint64_t, 2> in_every_atom{~std::uint64_t{0}, ~std::uint64_t{0}};
    for (const std::string& atom : prefilter.atoms) {
        std::array<std::uint64_t, 2> in_this_atom{};
        for (const char c : atom) in_this_atom[static_cast<unsigned char>(c) >> 6] |= std::uint64_t{1} << (c & 63);
        in_every_atom[0] &= in_this_atom[0];
        in_every_atom[1] &= in_this_atom[1];
    }
    prefilter.possible.resize(combinations);
    std::vector<int> present;
    std::vector<int> potential;
    for (std::size_t mask = 0; mask < combinations; ++mask) {
        present.clear();
        for (std::size_t atom = 0; atom < prefilter.atoms.size(); ++atom) {
            if (mask & (std::size_t{1} << atom)) present.push_back(static_cast<int>(atom));
        }
        filter.AllPotentials(present, &potential);
        prefilter.possible[mask] = !potential.empty();
    }
    if (!prefilter.possible[0]) prefilter.required_characters = in_every_atom;
    return prefilter;
}

std::optional<bool> Regex::might_match(std::string_view text) const {
    // First the characters: most values lack one that every atom has.
    std::array<std::uint64_t, 2> present{};
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) return std::nullopt;
        const auto lower = static_cast<unsigned char>(ascii_lower(c));
        present[lower >> 6] |= std::uint64_t{1} << (lower & 63);
    }
    const std::array<std::uint64_t, 2>& required = prefilter_->required_characters;
    if ((required[0] & ~present[0]) != 0 || (required[1] & ~present[1]) != 0) return false;
    // Then the atoms, in one pass: at each place, only those that start with its character.
    unsigned mask = 0;
    for (std::size_t start = 0; start < text.size(); ++start) {
        const auto c = static_cast<unsigned char>(text[start]);
        unsigned candidates = prefilter_->starting_with[c] & ~mask;
        while (candidates != 0) {
            const auto atom = static_cast<std::size_t>(__builtin_ctz(candidates));
            candidates &= candidates - 1;
            if (found_at(text, start, prefilter_->atoms[atom])) mask |= 1u << atom;
        }
    }
    return prefilter_->possible[mask];
}

std::variant<Regex, RegexProblem> Regex::compile(std::string_view expression) {
    if (expression.size() > max_pattern_length) {
        return RegexProblem{"the regular expression is longer than " + std::to_string(max_pattern_length) + " bytes",
                            max_pattern_length, "split it into several rules or use a list of globs"};
    }
    if (!is_valid_utf8(expression)) {
        return RegexProblem{"the regular expression is not valid UTF-8", 0, "save the policy file as UTF-8"};
    }
    const re2::RE2::Options options = regex_options();
    auto compiled = std::make_shared<const re2::RE2>(re2::StringPiece(expression.data(), expression.size()), options);
    if (!compiled->ok()) {
        const std::string& arg = compiled->error_arg();
        const std::size_t at = arg.empty() ? std::string_view::npos : expression.find(arg);
        return RegexProblem{compiled->error(), at == std::string_view::npos ? 0 : at, advice_for(*compiled)};
    }
    return Regex(std::string(expression), std::move(compiled), prefilter_for(expression));
}

std::optional<bool> Regex::matches(std::string_view text) const {
    if (prefilter_ && might_match(text) == false) return false;
    if (!is_valid_utf8(text)) return std::nullopt;
    return re2::RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *compiled_);
}

}  // namespace smbreaper::rules
