#include "rules/regex_prefilter.h"

#include <algorithm>
#include <optional>

namespace smbreaper {
namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_ascii_alphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The position just past the bracket expression that starts at `at` ('['); nothing when its form
// is one this reading does not follow ("[]", "[^]", nested "[:alpha:]").
std::optional<std::size_t> skip_class(std::string_view pattern, std::size_t at) {
    std::size_t i = at + 1;
    if (i < pattern.size() && pattern[i] == '^') ++i;
    if (i < pattern.size() && pattern[i] == ']') return std::nullopt;
    for (; i < pattern.size(); ++i) {
        if (pattern[i] == '\\') {
            ++i;
        } else if (pattern[i] == '[') {
            return std::nullopt;
        } else if (pattern[i] == ']') {
            return i + 1;
        }
    }
    return std::nullopt;
}

// The position just past the group that starts at `at` ('('), with its nested groups, classes and
// escapes.
std::optional<std::size_t> skip_group(std::string_view pattern, std::size_t at) {
    std::size_t depth = 0;
    for (std::size_t i = at; i < pattern.size();) {
        const char c = pattern[i];
        if (c == '\\') {
            i += 2;
        } else if (c == '[') {
            const auto end = skip_class(pattern, i);
            if (!end) return std::nullopt;
            i = *end;
        } else {
            if (c == '(') ++depth;
            if (c == ')' && --depth == 0) return i + 1;
            ++i;
        }
    }
    return std::nullopt;
}

// Reads the pattern atom by atom, collecting runs of literal characters every match must hold.
class LiteralRuns {
public:
    explicit LiteralRuns(std::string_view pattern) : pattern_(pattern) {}

    std::vector<std::string> read() {
        while (at_ < pattern_.size()) {
            if (!step()) return {};
        }
        end_run();
        // The order they are checked in: a run the pattern starts with ("corp\\") is often one
        // every text has, so the others come first, the longest first.
        std::stable_sort(runs_.begin(), runs_.end(), [](const Run& a, const Run& b) {
            if (a.at_start != b.at_start) return b.at_start;
            return a.text.size() > b.text.size();
        });
        std::vector<std::string> literals;
        for (Run& run : runs_) literals.push_back(std::move(run.text));
        return literals;
    }

private:
    // Reads one atom or quantifier; false when nothing certain can be said about the pattern.
    bool step() {
        const char c = pattern_[at_];
        switch (c) {
            case '|': return false;  // alternatives at the top level: no literal is certain
            case '(': {
                end_run();
                const auto end = skip_group(pattern_, at_);
                if (!end) return false;
                at_ = *end;
                return true;
            }
            case '[': {
                end_run();
                const auto end = skip_class(pattern_, at_);
                if (!end) return false;
                at_ = *end;
                return true;
            }
            case ')':
            case ']':
            case '}': return false;
            case '.':
            case '^':
            case '$':
                end_run();
                ++at_;
                return true;
            case '*':
            case '?':
                drop_optional_character();
                ++at_;
                return true;
            case '+':
                end_run();  // the character stays required, but may repeat before what follows
                ++at_;
                return true;
            case '{': return read_braces();
            case '\\': return read_escape();
            default:
                add(c);
                ++at_;
                return true;
        }
    }

    // {n}, {n,}, {n,m}: the character before is optional when n is 0.
    bool read_braces() {
        const std::size_t close = pattern_.find('}', at_);
        if (close == std::string_view::npos || close == at_ + 1 || !(pattern_[at_ + 1] >= '0' && pattern_[at_ + 1] <= '9'))
            return false;
        // The whole lower bound: {00} and {00,3} allow none too.
        std::size_t digit = at_ + 1;
        while (digit < close && pattern_[digit] == '0') ++digit;
        const bool may_be_absent = (pattern_[digit] == ',' || pattern_[digit] == '}');
        if (may_be_absent) {
            drop_optional_character();
        } else {
            end_run();
        }
        at_ = close + 1;
        return true;
    }

    bool read_escape() {
        if (at_ + 1 >= pattern_.size()) return false;
        const char next = pattern_[at_ + 1];
        if (next == 'x' || next == 'u' || next == 'c' || (next >= '0' && next <= '9')) return false;
        if (static_cast<unsigned char>(next) >= 0x80) return false;
        if (is_ascii_alphanumeric(next)) {
            end_run();  // \d, \w, \s, \b, \n...: a class, an assertion or a control character
        } else {
            add(next);  // \\, \., \$...: the character itself
        }
        at_ += 2;
        return true;
    }

    void add(char c) {
        if (current_.empty()) current_starts_pattern_ = at_ == 0;
        current_.push_back(fold(c));
        last_is_literal_ = true;
    }

    // A `*`, `?` or `{0,...}` makes the character before optional: it leaves the run.
    void drop_optional_character() {
        if (last_is_literal_) current_.pop_back();
        end_run();
    }

    void end_run() {
        if (!current_.empty()) runs_.push_back({std::move(current_), current_starts_pattern_});
        current_.clear();
        last_is_literal_ = false;
    }

    struct Run {
        std::string text;
        bool at_start;  // the pattern begins with it
    };

    std::string_view pattern_;
    std::size_t at_ = 0;
    std::string current_;
    bool current_starts_pattern_ = false;
    bool last_is_literal_ = false;
    std::vector<Run> runs_;
};

bool contains_ignoring_case(std::string_view text, std::string_view lowered) {
    if (lowered.empty()) return true;
    if (lowered.size() > text.size()) return false;
    // The first character is compared in both cases rather than folded: this scan is most of a
    // regex test's cost on the names that lack the literal.
    const char first = lowered.front();
    const char first_upper = (first >= 'a' && first <= 'z') ? static_cast<char>(first - 'a' + 'A') : first;
    const std::size_t last_start = text.size() - lowered.size();
    for (std::size_t start = 0; start <= last_start; ++start) {
        if (text[start] != first && text[start] != first_upper) continue;
        std::size_t i = 1;
        while (i < lowered.size() && fold(text[start + i]) == lowered[i]) ++i;
        if (i == lowered.size()) return true;
    }
    return false;
}

}  // namespace

std::vector<std::string> required_literals(std::string_view pattern) { return LiteralRuns(pattern).read(); }

bool contains_all_ignoring_case(std::string_view text, const std::vector<std::string>& literals) {
    for (const std::string& literal : literals) {
        if (!contains_ignoring_case(text, literal)) return false;
    }
    return true;
}

}  // namespace smbreaper
