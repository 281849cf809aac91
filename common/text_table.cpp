#include "common/text_table.h"

#include <algorithm>

#include "common/display_text.h"
#include "common/utf8.h"

namespace smbreaper::common {

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t at = 0; at < text.size();) {
        const Utf8Sequence sequence = decode_utf8(text, at);
        if (sequence.length == 0) {  // not UTF-8: escape_for_display has made it \xNN already
            ++width;
            ++at;
            continue;
        }
        const std::uint32_t c = sequence.code_point;
        const bool combining = (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
                               (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
                               (c >= 0xFE20 && c <= 0xFE2F);
        // East Asian wide characters (CJK, Hangul, full-width forms) take two columns.
        const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
                          (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                          (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                          (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
        if (!combining) width += wide ? 2 : 1;
        at += sequence.length;
    }
    return width;
}

TextTable::TextTable(std::vector<std::string> headers, std::string empty_cell) : empty_cell_(std::move(empty_cell)) {
    rows_.push_back(std::move(headers));
}

void TextTable::add_row(std::vector<std::string> cells) {
    for (std::string& text : cells) {
        text = escape_for_display(text);
        std::replace(text.begin(), text.end(), '\t', ' ');  // a tab would break the columns
        if (text.empty()) text = empty_cell_;
    }
    rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
    std::vector<std::size_t> widths(rows_.front().size(), 0);
    for (const auto& row : rows_) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(row[i]));
    }
    std::string out;
    for (const auto& row : rows_) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size() && i < widths.size()) line.append(widths[i] + 2 - display_width(row[i]), ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line;
        out.push_back('\n');
    }
    return out;
}

}  // namespace smbreaper::common
