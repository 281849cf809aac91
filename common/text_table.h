#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smbreaper::common {

// Columns aligned for a terminal, two spaces apart, measured in characters (`Jörg` is four wide,
// however many bytes UTF-8 takes; display_width()). Cells are escaped for display (common/display_text.h: names
// come from clients and must not drive the terminal) and a tab is shown as a space; an empty cell
// shows `empty_cell`. Lines carry no trailing spaces.
class TextTable {
public:
    explicit TextTable(std::vector<std::string> headers, std::string empty_cell = "-");

    void add_row(std::vector<std::string> cells);
    std::string render() const;

private:
    std::vector<std::vector<std::string>> rows_;  // the headers first
    std::string empty_cell_;
};

// How many columns `text` takes on a terminal: one per character, two for an East Asian wide one,
// none for a combining mark.
std::size_t display_width(std::string_view text);

}  // namespace smbreaper::common
