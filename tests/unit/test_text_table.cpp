#include <catch2/catch.hpp>

#include "common/text_table.h"

using smbreaper::common::display_width;
using smbreaper::common::TextTable;

using namespace smbreaper;

TEST_CASE("columns line up by characters, not bytes", "[text_table]") {
    TextTable table({"User", "Client"});
    table.add_row({"Jörg", "10.0.0.1"});
    table.add_row({"anna", "10.0.0.2"});
    table.add_row({"Zoë", ""});
    CHECK(table.render() ==
          "User  Client\n"
          "Jörg  10.0.0.1\n"
          "anna  10.0.0.2\n"
          "Zoë   -\n");
}

TEST_CASE("display width: combining marks take none, wide characters two", "[text_table]") {
    CHECK(display_width("Jörg") == 4);
    CHECK(display_width("Jo\xCC\x88rg") == 4);              // o + combining diaeresis
    CHECK(display_width("\xE7\x94\xB0\xE4\xB8\xAD") == 4);  // 田中
    CHECK(display_width("") == 0);
    CHECK(display_width("\xFF") == 1);  // not UTF-8: one column, as its escape will show it
}

TEST_CASE("cells are escaped for the terminal and tabs cannot break columns", "[text_table]") {
    TextTable table({"User", "Share"}, "(none)");
    table.add_row({"evil\x1b[2J", "a\tb"});
    table.add_row({"x", ""});
    const std::string out = table.render();
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find('\t') == std::string::npos);
    CHECK(out.find("a b") != std::string::npos);
    CHECK(out.find("(none)") != std::string::npos);
    // No line ends in a space.
    CHECK(out.find(" \n") == std::string::npos);
}
