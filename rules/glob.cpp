#include "rules/glob.h"

#include <algorithm>

namespace smbreaper::rules {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The bytes of the character at `at`: a whole UTF-8 sequence, or one byte that starts none. So
// '?' matches "ö" in "j?rg", and a '*' never resumes in the middle of a character.
std::size_t character_length(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1;
    if (at + length > text.size()) return 1;
    for (std::size_t i = 1; i < length; ++i) {
        if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) return 1;
    }
    return length;
}

// Iterative glob matching: on a mismatch after a '*', retry from one character further. Linear
// in practice, never exponential. Literal bytes compare one by one: a character of the pattern
// matches the same bytes in the text, which always begin a character there too.
bool general_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (t < text.size()) {
        // Wildcards first: a '*' or '?' in the text is no reason to read the pattern's literally.
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == '?') {
            ++p;
            t += character_length(text, t);
        } else if (p < pattern.size() && pattern[p] == fold(text[t])) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            resume += character_length(text, resume);
            t = resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (fold(a[i]) != fold(b[i])) return false;
    }
    return true;
}

Glob::Glob(std::string_view pattern) : pattern_(pattern) {
    folded_.reserve(pattern.size());
    for (char c : pattern) folded_.push_back(fold(c));

    const auto wildcards = std::count_if(folded_.begin(), folded_.end(), [](char c) { return c == '*' || c == '?'; });
    const bool has_question = folded_.find('?') != std::string::npos;
    if (wildcards == 0) {
        shape_ = Shape::Exact;
    } else if (std::all_of(folded_.begin(), folded_.end(), [](char c) { return c == '*'; })) {
        shape_ = Shape::Everything;
    } else if (!has_question && wildcards == 1 && folded_.back() == '*') {
        shape_ = Shape::Prefix;
        folded_.pop_back();
    } else if (!has_question && wildcards == 1 && folded_.front() == '*') {
        shape_ = Shape::Suffix;
        folded_.erase(0, 1);
    } else {
        shape_ = Shape::General;
    }
}

bool Glob::matches_general(std::string_view text) const { return general_match(folded_, text); }

}  // namespace smbreaper::rules
