#pragma once

#include <string>
#include <vector>

namespace smbreaper::cli {

// Columns aligned for a terminal, two spaces apart. Control characters in a cell are shown as '?'
// (names come from clients and must not drive the terminal), an empty cell as '-'.
class TextTable {
public:
    explicit TextTable(std::vector<std::string> headers);

    void add_row(std::vector<std::string> cells);
    std::string render() const;

private:
    std::vector<std::vector<std::string>> rows_;  // the headers first
};

}  // namespace smbreaper::cli
