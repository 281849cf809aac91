#pragma once

#include <string>
#include <vector>

namespace smbreaper::cli {

// Columns aligned for a terminal, two spaces apart. Cells are escaped for display
// (sessions/display_text.h: names come from clients and must not drive the terminal), a tab shown
// as a space, an empty cell as '-'.
class TextTable {
public:
    explicit TextTable(std::vector<std::string> headers);

    void add_row(std::vector<std::string> cells);
    std::string render() const;

private:
    std::vector<std::vector<std::string>> rows_;  // the headers first
};

}  // namespace smbreaper::cli
