#include "service/cli/wildcard_pattern.h"

#include <stdexcept>

#include "common/case_folding.h"

namespace smbreaper::cli {
using smbreaper::common::fold_case;

namespace {

constexpr char32_t kEscape = U'`';

std::invalid_argument bad_pattern(std::string_view pattern, std::string_view why) {
    return std::invalid_argument("the wildcard pattern '" + std::string(pattern) +
                                 "' is not valid: " + std::string(why));
}

}  // namespace

WildcardPattern::WildcardPattern(std::string_view pattern) : pattern_(pattern) {
    const std::u32string text = fold_case(pattern);
    for (std::size_t i = 0; i < text.size(); ++i) {
        Element element;
        if (text[i] == kEscape && i + 1 < text.size()) {
            element.literal = text[++i];
        } else if (text[i] == U'*') {
            element.kind = Element::Kind::AnyRun;
        } else if (text[i] == U'?') {
            element.kind = Element::Kind::AnyOne;
        } else if (text[i] == U'[') {
            element.kind = Element::Kind::OneOf;
            std::u32string members;  // the characters inside, escapes resolved; '-' kept where it makes a range
            std::vector<bool> is_range_dash;
            for (++i; i < text.size() && text[i] != U']'; ++i) {
                const bool escaped = text[i] == kEscape && i + 1 < text.size();
                if (escaped) ++i;
                members.push_back(text[i]);
                is_range_dash.push_back(!escaped && text[i] == U'-');
            }
            if (i == text.size()) throw bad_pattern(pattern, "a '[' has no matching ']'");
            if (members.empty()) throw bad_pattern(pattern, "'[]' lists no character");
            for (std::size_t m = 0; m < members.size(); ++m) {
                const bool range = m + 2 < members.size() && is_range_dash[m + 1];
                if (range) {
                    if (members[m] > members[m + 2]) throw bad_pattern(pattern, "a range runs backwards");
                    element.ranges.emplace_back(members[m], members[m + 2]);
                    m += 2;
                } else {
                    element.ranges.emplace_back(members[m], members[m]);
                }
            }
        } else {
            element.literal = text[i];
        }
        has_wildcards_ = has_wildcards_ || element.kind != Element::Kind::Literal;
        elements_.push_back(std::move(element));
    }
}

bool WildcardPattern::matches_one(const Element& element, char32_t folded) {
    switch (element.kind) {
        case Element::Kind::Literal: return element.literal == folded;
        case Element::Kind::AnyOne: return true;
        case Element::Kind::AnyRun: return false;
        case Element::Kind::OneOf:
            for (const auto& [first, last] : element.ranges) {
                if (folded >= first && folded <= last) return true;
            }
            return false;
    }
    return false;
}

bool WildcardPattern::matches(std::string_view text) const {
    const std::u32string folded = fold_case(text);
    // Every element but `*` takes exactly one character, so one remembered `*` is enough: on a
    // mismatch, let the last `*` take one more character and try again from there.
    std::size_t p = 0, t = 0;
    std::size_t last_run = std::u32string::npos, resume_at = 0;
    while (t < folded.size()) {
        if (p < elements_.size() && elements_[p].kind == Element::Kind::AnyRun) {
            last_run = p++;
            resume_at = t;
        } else if (p < elements_.size() && matches_one(elements_[p], folded[t])) {
            ++p;
            ++t;
        } else if (last_run != std::u32string::npos) {
            p = last_run + 1;
            t = ++resume_at;
        } else {
            return false;
        }
    }
    while (p < elements_.size() && elements_[p].kind == Element::Kind::AnyRun) ++p;
    return p == elements_.size();
}

}  // namespace smbreaper::cli
