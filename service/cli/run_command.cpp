#include <string>

#include "common/utf8.h"
#include "service/cli/commands.h"
#include "service/daemon/reaper_service.h"
#include "service/daemon/service_manager_link.h"
#include "service/default_paths.h"

namespace smbreaper::cli {
using smbreaper::common::path_from_utf8;
using smbreaper::daemon::connect_to_service_manager;
using smbreaper::daemon::ReaperService;
using smbreaper::service::default_policy_path;

namespace {

struct RunOptions {
    std::string policy;
    bool once = false;
    bool what_if = false;
    bool no_system_log = false;
};

int run_service(const RunOptions& options) {
    ReaperService::Options service_options;
    service_options.policy_file = options.policy.empty() ? default_policy_path() : path_from_utf8(options.policy);
    service_options.once = options.once;
    service_options.what_if = options.what_if;
    service_options.system_log = !options.no_system_log;
    connect_to_service_manager(service_options);
    ReaperService service(service_options);
    return service.run();
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<RunOptions>();
    CLI::App* command = app.add_subcommand("run", "Run the reaper in the foreground: poll, evaluate, close, audit");
    command->add_option("--policy", options->policy,
                        "The policy file (default: " + default_policy_path().string() + ")");
    command->add_flag("--once", options->once, "Run one cycle and exit");
    command->add_flag("--what-if", options->what_if, "Close nothing: record what would be closed (forces audit mode)");
    command->add_flag("--no-syslog", options->no_system_log, "Do not log to the system log (console and file only)");
    command->callback([options, &exit_code] { exit_code = run_service(*options); });
}

}  // namespace smbreaper::cli
