// `smbreaper sessions`: the session table, as Get-SmbSession shows it, with the policy's verdicts.
#include <cstdio>
#include <memory>
#include <string>

#include "rules/evaluator.h"
#include "service/cli/commands.h"
#include "service/cli/error_output.h"
#include "service/cli/output_format.h"
#include "service/cli/record_filter.h"
#include "service/cli/session_options.h"
#include "service/cli/session_report.h"
#include "service/session_source_factory.h"

namespace smbreaper::cli {
using smbreaper::rules::Evaluator;
using smbreaper::rules::local_time_now;
using smbreaper::rules::Verdict;
using smbreaper::service::make_session_table;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;

namespace {

struct SessionsOptions {
    SourceOptions source;
    FilterOptions filters;
    OutputFormat format = OutputFormat::Table;
};

int list_sessions(const SessionsOptions& options) {
    const SessionFilter filter(options.filters.values());
    const ConfiguredSource configured = configure_source(options.source);
    const std::unique_ptr<SessionTable> table = make_session_table(configured.settings);
    const SessionSnapshot snapshot = table->list();
    const SessionSelection selection = filter.select(snapshot.sessions);

    std::vector<Verdict> verdicts;
    if (configured.policy) {
        const Evaluator evaluator(configured.policy->policy, local_time_now());
        for (const SessionRecord* session : selection.records) verdicts.push_back(evaluator.evaluate(*session));
    }
    std::string report;
    if (options.format == OutputFormat::Json) {
        report = sessions_json(selection.records, verdicts);
    } else if (options.format == OutputFormat::Csv) {
        report = sessions_csv(selection.records, verdicts);
    } else if (!selection.records.empty()) {
        report = sessions_text(selection.records, verdicts);
    }
    std::fwrite(report.data(), 1, report.size(), stdout);
    for (const std::string& message : selection.unmatched) print_error(message);
    return selection.unmatched.empty() ? kExitOk : kExitFailure;
}

}  // namespace

void add_sessions_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SessionsOptions>();
    CLI::App* command =
        app.add_subcommand("sessions", "List the SMB sessions (Get-SmbSession), with what the policy decides for each");
    add_source_options(*command, options->source, false);
    add_filter_options(*command, options->filters);
    add_format_option(*command, options->format, {OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv},
                      "table, json (a snapshot file) or csv (for Excel)");
    command->callback([options, &exit_code] { exit_code = list_sessions(*options); });
}

}  // namespace smbreaper::cli
