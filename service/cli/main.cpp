#include <cstdio>
#include <exception>

#include <string>
#include <vector>

#include "service/cli/command_line.h"
#include "service/cli/commands.h"
#include "service/cli/error_output.h"
#include "service/version.h"

namespace {

int run_smbreaper(int argc, char** argv) {
    using namespace smbreaper::cli;

    CLI::App app{"smbreaper: reaps SMB sessions by policy and proves every closure in an audit trail"};
    app.set_version_flag("--version", std::string(smbreaper::service::kVersion));
    app.require_subcommand(1);

    int exit_code = kExitOk;
    add_check_command(app, exit_code);
    add_simulate_command(app, exit_code);
    add_run_command(app, exit_code);
    add_audit_command(app, exit_code);
    add_service_command(app, exit_code);
    add_sessions_command(app, exit_code);
    add_close_command(app, exit_code);
    add_files_command(app, exit_code);
    add_close_file_command(app, exit_code);
    add_block_command(app, exit_code);
    add_unblock_command(app, exit_code);
    add_blocks_command(app, exit_code);

    try {
        std::vector<std::string> arguments = smbreaper::cli::utf8_arguments(argc, argv);
        std::vector<char*> pointers;
        pointers.reserve(arguments.size());
        for (std::string& argument : arguments) pointers.push_back(argument.data());
        app.parse(static_cast<int>(pointers.size()), pointers.data());
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    } catch (const std::exception& e) {
        print_error(std::string("error: ") + e.what());
        return kExitFailure;
    }
    return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run_smbreaper(argc, argv);
    } catch (...) {  // setting up the commands failed (out of memory): still an exit code, not an abort
        std::fputs("smbreaper: could not start\n", stderr);
        return smbreaper::cli::kExitFailure;
    }
}
