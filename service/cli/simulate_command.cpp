#include <cstdio>
#include <string>

#include "common/utf8.h"
#include "config/policy_loader.h"
#include "rules/simulation.h"
#include "service/cli/commands.h"
#include "service/cli/error_output.h"
#include "service/cli/output_format.h"
#include "service/cli/simulation_report.h"
#include "sessions/open_file_summary.h"
#include "sessions/snapshot/snapshot_file.h"

namespace smbreaper::cli {
using smbreaper::common::path_from_utf8;
using smbreaper::config::load_policy_file;
using smbreaper::config::PolicyLoadResult;
using smbreaper::rules::local_time_now;
using smbreaper::rules::LocalTime;
using smbreaper::rules::parse_local_time;
using smbreaper::rules::Policy;
using smbreaper::rules::simulate;
using smbreaper::rules::Simulation;
using smbreaper::sessions::read_open_files_file;
using smbreaper::sessions::read_snapshot_file;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::summarize_open_files_by_session_id;

namespace {

struct SimulateOptions {
    std::string policy;
    std::string snapshot;
    std::string open_files;
    std::string at;
    OutputFormat format = OutputFormat::Text;
};

int run_simulate(const SimulateOptions& options) {
    LocalTime now = local_time_now();
    if (!options.at.empty()) {
        const auto parsed = parse_local_time(options.at);
        if (!parsed) {
            std::fprintf(stderr, "smbreaper: --at '%s' is not a local time; write YYYY-MM-DDTHH:MM:SS\n",
                         options.at.c_str());
            return kExitUsage;
        }
        now = *parsed;
    }

    const PolicyLoadResult loaded = load_policy_file(path_from_utf8(options.policy));
    if (!loaded.policy) {
        std::fputs(loaded.diagnostics.render_text().c_str(), stderr);
        std::fprintf(stderr, "%s: invalid policy; nothing simulated\n", options.policy.c_str());
        return kExitFailure;
    }
    const Policy& policy = *loaded.policy;

    SessionSnapshot table;
    try {
        table = read_snapshot_file(path_from_utf8(options.snapshot));
        if (!options.open_files.empty()) {
            if (table.open_files) {
                print_error(options.snapshot +
                            " lists its open files already (an smbstatus document); --open-files goes with a "
                            "Get-SmbSession export");
                return kExitUsage;
            }
            table.open_files = read_open_files_file(path_from_utf8(options.open_files));
            summarize_open_files_by_session_id(table.sessions, *table.open_files, table.taken_at);
        }
    } catch (const SourceError& error) {
        print_error(error.what());
        return kExitFailure;
    }

    const Simulation simulation = simulate(policy, table.sessions, now, table.open_files, table.taken_at);
    const std::string report = options.format == OutputFormat::Json ? simulation_json(policy, table, simulation)
                                                                    : simulation_text(policy, table, simulation);
    std::fwrite(report.data(), 1, report.size(), stdout);
    return kExitOk;
}

}  // namespace

void add_simulate_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SimulateOptions>();
    CLI::App* command =
        app.add_subcommand("simulate", "Show what a policy would do to a session table, closing nothing");
    command->add_option("--policy", options->policy, "The policy file")->required();
    command
        ->add_option("--snapshot", options->snapshot,
                     "A session table: Get-SmbSession | ConvertTo-Json output, or smbstatus --json output")
        ->required();
    command->add_option("--open-files", options->open_files,
                        "The open files beside a Get-SmbSession export: Get-SmbOpenFile | ConvertTo-Json output");
    command->add_option("--at", options->at, "Local time to evaluate 'when' at (YYYY-MM-DDTHH:MM:SS); default now");
    add_format_option(*command, options->format, {OutputFormat::Text, OutputFormat::Json}, "text or json");
    command->callback([options, &exit_code] { exit_code = run_simulate(*options); });
}

}  // namespace smbreaper::cli
