#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "service/cli/output_format.h"

namespace smbreaper::cli {
using smbreaper::cli::add_format_option;
using smbreaper::cli::OutputFormat;

namespace {

OutputFormat parse(std::initializer_list<OutputFormat> allowed, std::vector<std::string> arguments) {
    CLI::App app;
    OutputFormat format = OutputFormat::Text;
    add_format_option(app, format, allowed, "the format");
    std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
    app.parse(reversed);
    return format;
}

TEST_CASE("--format defaults to a command's first format and takes the names of the others", "[cli][format]") {
    CHECK(parse({OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv}, {}) == OutputFormat::Table);
    CHECK(parse({OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv}, {"--format", "csv"}) ==
          OutputFormat::Csv);
    CHECK(parse({OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv}, {"--format", "json"}) ==
          OutputFormat::Json);
    CHECK(parse({OutputFormat::JsonLines, OutputFormat::Csv}, {}) == OutputFormat::JsonLines);
    CHECK(parse({OutputFormat::JsonLines, OutputFormat::Csv}, {"--format=json"}) == OutputFormat::JsonLines);
}

TEST_CASE("--format refuses a format the command does not write, and numbers", "[cli][format]") {
    CHECK_THROWS_AS(parse({OutputFormat::Text, OutputFormat::Json}, {"--format", "csv"}), CLI::ValidationError);
    CHECK_THROWS_AS(parse({OutputFormat::Text, OutputFormat::Json}, {"--format", "xml"}), CLI::ValidationError);
    CHECK_THROWS_AS(parse({OutputFormat::Text, OutputFormat::Json}, {"--format", "1"}), CLI::ValidationError);
}

TEST_CASE("a command cannot list two formats of one name", "[cli][format]") {
    CLI::App app;
    OutputFormat format = OutputFormat::Text;
    CHECK_THROWS_AS(add_format_option(app, format, {OutputFormat::Json, OutputFormat::JsonLines}, "x"),
                    std::logic_error);
    CHECK_THROWS_AS(add_format_option(app, format, {}, "x"), std::logic_error);
}

}  // namespace
}  // namespace smbreaper::cli
