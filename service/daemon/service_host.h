#pragma once

#include <filesystem>
#include <string>

namespace smbreaper::daemon {

// The name the service is installed under unless told otherwise.
inline constexpr const char* kDefaultServiceName = "smbreaper";

// The service control that asks a running service to re-read its policy (a user-defined control:
// 128 to 255).
inline constexpr unsigned kReloadServiceControl = 128;

struct ServiceInstallOptions {
    std::string name = kDefaultServiceName;
    std::filesystem::path policy;  // empty: the default policy path
};

// The Windows service host (service/windows/): `smbreaper service ...`. Each function prints what
// it did on standard output, or why it failed on standard error, and returns the command's exit
// code. On other platforms they say that the service commands are Windows-only.
int install_service(const ServiceInstallOptions& options);
int uninstall_service(const std::string& name);
int start_service(const std::string& name);
int stop_service(const std::string& name);
int print_service_status(const std::string& name);
int reload_service(const std::string& name);

// What the Service Control Manager starts (`smbreaper service host`): connects to it and runs the
// reaper, the same cycle as `smbreaper run`, until the service is stopped.
int run_as_service(const std::string& name, const std::filesystem::path& policy);

}  // namespace smbreaper::daemon
