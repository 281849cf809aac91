#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace smbreaper::cli {

// The --format values of every command. Each name is spelled here only; a command lists the
// formats it can write, the first being its default.
enum class OutputFormat {
    Text,       // "text": prose for a person
    Table,      // "table": aligned columns for a terminal
    Json,       // "json": one JSON document
    JsonLines,  // "json": one JSON object per line (for commands that stream)
    Csv,        // "csv": RFC 4180, for Excel
};

std::string_view format_name(OutputFormat format);

// Adds --format to a command, accepting the names of `allowed` only and setting `format` to the
// first of them until the option is given.
CLI::Option* add_format_option(CLI::App& command, OutputFormat& format, std::initializer_list<OutputFormat> allowed,
                               const std::string& description);

}  // namespace smbreaper::cli
