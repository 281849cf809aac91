#include "service/cli/output_format.h"

#include <map>
#include <stdexcept>
#include <vector>

namespace smbreaper::cli {

std::string_view format_name(OutputFormat format) {
    switch (format) {
        case OutputFormat::Text: return "text";
        case OutputFormat::Table: return "table";
        case OutputFormat::Json: return "json";
        case OutputFormat::JsonLines: return "json";
        case OutputFormat::Csv: return "csv";
    }
    throw std::logic_error("format_name: an output format without a name");
}

CLI::Option* add_format_option(CLI::App& command, OutputFormat& format, std::initializer_list<OutputFormat> allowed,
                               const std::string& description) {
    if (allowed.size() == 0) throw std::logic_error("add_format_option: a command writes at least one format");
    std::map<std::string, OutputFormat, std::less<>> by_name;
    std::vector<std::string> names;
    for (const OutputFormat each : allowed) {
        names.emplace_back(format_name(each));
        if (!by_name.emplace(names.back(), each).second) {
            throw std::logic_error("add_format_option: two formats of one command share a name");
        }
    }
    format = *allowed.begin();
    return command
        .add_option_function<std::string>(
            "--format", [&format, by_name](const std::string& name) { format = by_name.find(name)->second; },
            description)
        ->check(CLI::IsMember(names))
        ->default_str(names.front());
}

}  // namespace smbreaper::cli
