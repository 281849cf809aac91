#include <cstdio>

#include "service/daemon/service_host.h"

namespace smbreaper::daemon {
namespace {

int windows_only() {
    std::fprintf(stderr,
                 "smbreaper service: the service commands manage the Windows service; on Linux run "
                 "`smbreaper run` under systemd (installer/linux/)\n");
    return 1;
}

}  // namespace

int install_service(const ServiceInstallOptions&) { return windows_only(); }
int uninstall_service(const std::string&) { return windows_only(); }
int start_service(const std::string&) { return windows_only(); }
int stop_service(const std::string&) { return windows_only(); }
int print_service_status(const std::string&) { return windows_only(); }
int reload_service(const std::string&) { return windows_only(); }
int run_as_service(const std::string&, const std::filesystem::path&) { return windows_only(); }

}  // namespace smbreaper::daemon
