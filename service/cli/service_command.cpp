#include <memory>
#include <string>

#include "common/utf8.h"
#include "service/cli/commands.h"
#include "service/daemon/service_host.h"
#include "service/default_paths.h"

namespace smbreaper::cli {
using smbreaper::common::path_from_utf8;
using smbreaper::daemon::install_service;
using smbreaper::daemon::kDefaultServiceName;
using smbreaper::daemon::print_service_status;
using smbreaper::daemon::reload_service;
using smbreaper::daemon::run_as_service;
using smbreaper::daemon::start_service;
using smbreaper::daemon::stop_service;
using smbreaper::daemon::uninstall_service;
using smbreaper::service::default_policy_path;

namespace {

struct ServiceOptions {
    std::string name = kDefaultServiceName;
    std::string policy;
};

CLI::App* add_action(CLI::App& service, const std::string& name, const std::string& description,
                     const std::shared_ptr<ServiceOptions>& options) {
    CLI::App* action = service.add_subcommand(name, description);
    action->add_option("--name", options->name, "The service's name (default: smbreaper)");
    return action;
}

}  // namespace

void add_service_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ServiceOptions>();
    CLI::App* service = app.add_subcommand("service", "Manage the Windows service (Service Control Manager)");
    service->require_subcommand(1);

    CLI::App* install =
        add_action(*service, "install",
                   "Register the service: automatic start, restarted on failure, logging to the Event Log", options);
    install->add_option("--policy", options->policy,
                        "The policy file the service obeys (default: " + default_policy_path().string() + ")");
    install->callback([options, &exit_code] {
        exit_code = install_service(
            {options->name, options->policy.empty() ? std::filesystem::path() : path_from_utf8(options->policy)});
    });

    add_action(*service, "uninstall", "Stop and remove the service (the policy and the audit trail are kept)", options)
        ->callback([options, &exit_code] { exit_code = uninstall_service(options->name); });
    add_action(*service, "start", "Start the service and wait until it runs", options)->callback([options, &exit_code] {
        exit_code = start_service(options->name);
    });
    add_action(*service, "stop", "Stop the service gracefully and wait until it has stopped", options)
        ->callback([options, &exit_code] { exit_code = stop_service(options->name); });
    add_action(*service, "status", "Print whether the service is installed and running (exit 0 when running)", options)
        ->callback([options, &exit_code] { exit_code = print_service_status(options->name); });
    add_action(*service, "reload", "Ask the running service to re-read its policy", options)
        ->callback([options, &exit_code] { exit_code = reload_service(options->name); });

    // Started by the Service Control Manager with the command line `service install` registered.
    CLI::App* host =
        add_action(*service, "host", "Run as the service (started by the Service Control Manager)", options);
    host->group("");
    host->add_option("--policy", options->policy, "The policy file");
    host->callback([options, &exit_code] {
        exit_code = run_as_service(options->name,
                                   options->policy.empty() ? default_policy_path() : path_from_utf8(options->policy));
    });
}

}  // namespace smbreaper::cli
