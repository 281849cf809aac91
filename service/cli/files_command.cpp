// `smbreaper files`: the files open on the server, as Get-SmbOpenFile shows them.
#include <cstdio>
#include <memory>
#include <string>

#include "service/cli/commands.h"
#include "service/cli/error_output.h"
#include "service/cli/open_file_report.h"
#include "service/cli/output_format.h"
#include "service/cli/record_filter.h"
#include "service/cli/session_options.h"
#include "service/session_source_factory.h"
#include "sessions/open_file_json.h"

namespace smbreaper::cli {
using smbreaper::service::make_session_table;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::to_open_files_json;

namespace {

struct FilesOptions {
    SourceOptions source;
    FilterOptions filters;
    OutputFormat format = OutputFormat::Table;
};

int list_files(const FilesOptions& options) {
    const OpenFileFilter filter(options.filters.values());
    const ConfiguredSource configured = configure_source(options.source);
    const std::unique_ptr<SessionTable> table = make_session_table(configured.settings);
    const std::vector<OpenFileRecord> opens = table->list_open_files();
    const OpenFileSelection selection = filter.select(opens);

    std::string report;
    if (options.format == OutputFormat::Json) {
        report = to_open_files_json(selection.records);
    } else if (options.format == OutputFormat::Csv) {
        report = open_files_csv(selection.records);
    } else if (!selection.records.empty()) {
        report = open_files_text(selection.records, std::chrono::system_clock::now());
    }
    std::fwrite(report.data(), 1, report.size(), stdout);
    for (const std::string& message : selection.unmatched) print_error(message);
    return selection.unmatched.empty() ? kExitOk : kExitFailure;
}

}  // namespace

void add_files_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<FilesOptions>();
    CLI::App* command = app.add_subcommand("files", "List the files the clients hold open (Get-SmbOpenFile)");
    add_source_options(*command, options->source, false);
    add_file_id_option(*command, options->filters);
    add_filter_options(*command, options->filters);
    add_format_option(*command, options->format, {OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv},
                      "table, json (an open-file snapshot) or csv (for Excel)");
    command->callback([options, &exit_code] { exit_code = list_files(*options); });
}

}  // namespace smbreaper::cli
