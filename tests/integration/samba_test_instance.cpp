#include "samba_test_instance.h"

#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>
#include <iostream>
#include <thread>

#include "sessions/posix/process_runner.h"
#include "sessions/samba/proc_process.h"

using namespace std::chrono_literals;

namespace {

const std::string script = std::string(SMBREAPER_SOURCE_DIR) + "/scripts/samba-test-instance";

std::string value_in_env_file(const std::string& path, const std::string& name) {
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line)) {
        if (line.starts_with(name + "=")) return line.substr(name.size() + 1);
    }
    return {};
}

}  // namespace

SambaTestInstance::SambaTestInstance() {
    const smbreaper::sessions::ProcessResult started = smbreaper::sessions::run_process({script, {"start"}, 60s});
    INFO(started.describe() << "\n" << started.standard_error);
    REQUIRE(started.succeeded());
    conf_ = started.standard_output.substr(0, started.standard_output.find('\n'));
    running_ = true;
    const std::string env_file = conf_.substr(0, conf_.rfind('/')) + "/instance.env";
    share_path_ = value_in_env_file(env_file, "SHARE_PATH");
    const std::string port = value_in_env_file(env_file, "PORT");
    const std::string smbd_pid = value_in_env_file(env_file, "SMBD_PID");
    if (share_path_.empty() || port.empty() || smbd_pid.empty()) {
        stop();  // the destructor of a half-built object does not run
        FAIL("no SHARE_PATH, PORT or SMBD_PID in " << env_file);
    }
    port_ = static_cast<std::uint16_t>(std::stoi(port));
    smbd_pid_ = static_cast<pid_t>(std::stoi(smbd_pid));
}

SambaTestInstance::~SambaTestInstance() { stop(); }

void SambaTestInstance::stop_smbd_only() {
    REQUIRE(running_);
    REQUIRE(::kill(smbd_pid_, SIGTERM) == 0);
    for (int attempt = 0; attempt < 400 && smbreaper::sessions::process_is_running(smbd_pid_); ++attempt)
        std::this_thread::sleep_for(25ms);
    REQUIRE_FALSE(smbreaper::sessions::process_is_running(smbd_pid_));
}

void SambaTestInstance::stop() {
    if (!running_) return;
    running_ = false;
    const smbreaper::sessions::ProcessResult stopped = smbreaper::sessions::run_process({script, {"stop", conf_}, 60s});
    if (!stopped.succeeded()) std::cerr << "samba-test-instance stop " << stopped.describe() << "\n";
}
