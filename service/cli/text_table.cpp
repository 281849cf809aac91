#include "service/cli/text_table.h"

#include <algorithm>

#include "sessions/display_text.h"

namespace smbreaper::cli {
namespace {

// A tab, which escape_for_display keeps, would break the columns.
std::string cell(const std::string& text) {
    std::string out = escape_for_display(text);
    std::replace(out.begin(), out.end(), '\t', ' ');
    return out.empty() ? "-" : out;
}

}  // namespace

TextTable::TextTable(std::vector<std::string> headers) { rows_.push_back(std::move(headers)); }

void TextTable::add_row(std::vector<std::string> cells) {
    for (std::string& text : cells) text = cell(text);
    rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
    std::vector<std::size_t> widths(rows_.front().size(), 0);
    for (const auto& row : rows_) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows_) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out += row[i];
            if (i + 1 < row.size()) out.append(widths[i] + 2 - std::min(widths[i], row[i].size()), ' ');
        }
        out.push_back('\n');
    }
    return out;
}

}  // namespace smbreaper::cli
