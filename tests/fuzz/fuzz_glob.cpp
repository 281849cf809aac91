// Globs on names (`*` any run of characters, `?` one character, ASCII letters without case).
// Differential: Glob, with its fast paths and backtracking scan, must agree with a plain dynamic
// programming matcher over UTF-8 characters, for every valid UTF-8 pattern and any text.
// Input: the first byte is the pattern's length, then the pattern, then the text.

#include <vector>

#include "fuzz_check.h"
#include "rules/glob.h"

using smbreaper::rules::Glob;

using namespace smbreaper;

namespace {

// The length of the UTF-8 sequence at `at`; 1 for a byte that starts no valid sequence.
std::size_t sequence_length(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 1;
    if (at + length > text.size()) return 1;
    for (std::size_t i = 1; i < length; ++i) {
        if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) return 1;
    }
    return length;
}

std::vector<std::string> characters(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = sequence_length(text, at);
        std::string character(text.substr(at, length));
        for (char& c : character) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        out.push_back(std::move(character));
        at += length;
    }
    return out;
}

bool valid_utf8(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = sequence_length(text, at);
        if (length == 1 && static_cast<unsigned char>(text[at]) >= 0x80) return false;
        at += length;
    }
    return true;
}

// matched[i][j]: the first i pattern characters match the first j text characters.
bool reference_match(std::string_view pattern_text, std::string_view text) {
    const std::vector<std::string> pattern = characters(pattern_text), subject = characters(text);
    std::vector<std::vector<char>> matched(pattern.size() + 1, std::vector<char>(subject.size() + 1, 0));
    matched[0][0] = 1;
    for (std::size_t i = 1; i <= pattern.size(); ++i) {
        const std::string& p = pattern[i - 1];
        for (std::size_t j = 0; j <= subject.size(); ++j) {
            if (p == "*") {
                matched[i][j] = matched[i - 1][j] || (j > 0 && matched[i][j - 1]);
            } else if (j > 0) {
                matched[i][j] = matched[i - 1][j - 1] && (p == "?" || p == subject[j - 1]);
            }
        }
    }
    return matched[pattern.size()][subject.size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input = fuzz::as_text(data + 1, size - 1);
    const std::size_t split = std::min<std::size_t>(data[0], input.size());
    const std::string_view pattern = input.substr(0, split), text = input.substr(split);
    if (text.size() > 1024) return 0;  // keeps the reference's table small
    const Glob glob(pattern);
    const bool matched = glob.matches(text);
    if (valid_utf8(pattern)) fuzz::require(matched == reference_match(pattern, text), "Glob agrees with the reference");
    return 0;
}
