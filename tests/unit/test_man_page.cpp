// The man page smbreaper(8) (docs/smbreaper.8.md) against the program's own --help: every
// subcommand and every option that --help lists must be documented, so the two cannot drift apart.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "audit_test_support.h"

using namespace smbreaper;

namespace {

// The names in one section ("Subcommands:", "Options:") of `smbreaper WORDS... --help`: the first
// column of its lines, split at commas ("-o,--output").
std::vector<std::string> help_items(const std::string& section, std::vector<std::string> words) {
    words.push_back("--help");
    const test::CommandResult help = test::run_smbreaper(words);
    REQUIRE(help.exit_code == 0);
    std::vector<std::string> items;
    std::istringstream lines(help.out);
    bool inside = false;
    for (std::string line; std::getline(lines, line);) {
        if (line == section + ":") {
            inside = true;
        } else if (!line.empty() && line[0] != ' ') {
            inside = false;
        } else if (inside && line.size() > 2 && line.compare(0, 2, "  ") == 0 && line[2] != ' ') {
            std::istringstream names(line.substr(2, line.find(' ', 2) - 2));
            for (std::string name; std::getline(names, name, ',');) items.push_back(name);
        }
    }
    return items;
}

// The text of a "## NAME" section of the man page, up to the next heading.
std::string man_section(const std::string& page, const std::string& name) {
    const std::string heading = "\n## " + name + "\n";
    const auto start = page.find(heading);
    if (start == std::string::npos) return {};
    const auto end = page.find("\n#", start + heading.size());
    return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool mentions(const std::string& text, const std::string& bold) {
    return text.find("**" + bold + "**") != std::string::npos;
}

// Every option of `smbreaper WORDS...` is in `documentation`, as **--name** (--help aside).
void check_options_documented(const std::vector<std::string>& words, const std::string& documentation) {
    for (const std::string& option : help_items("Options", words)) {
        if (option == "-h" || option == "--help") continue;
        INFO("smbreaper " << Catch::Detail::stringify(words) << " " << option);
        CHECK(mentions(documentation, option));
    }
}

}  // namespace

TEST_CASE("the man page documents every subcommand and option that --help lists", "[docs][cli]") {
    const std::string page = test::read_file(test::source_path("docs/smbreaper.8.md"));
    check_options_documented({}, page);

    const auto commands = help_items("Subcommands", {});
    REQUIRE(commands.size() >= 4);
    for (const std::string& command : commands) {
        INFO("smbreaper " << command);
        const std::string section = man_section(page, command);
        REQUIRE_FALSE(section.empty());
        CHECK(mentions(page, "smbreaper " + command));  // in the synopsis
        check_options_documented({command}, section);
        for (const std::string& subcommand : help_items("Subcommands", {command})) {
            INFO("smbreaper " << command << " " << subcommand);
            CHECK(section.find("**" + command + " " + subcommand + "**") != std::string::npos);
            check_options_documented({command, subcommand}, section);
        }
    }
}
