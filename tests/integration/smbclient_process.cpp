#include "smbclient_process.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "samba_test_instance.h"

using namespace std::chrono_literals;

namespace {

std::string temporary_file_path() {
    std::string pattern = "/tmp/smbreaper-smbclient.XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    REQUIRE(fd >= 0);
    ::close(fd);
    return pattern;
}

}  // namespace

SmbClientProcess::SmbClientProcess(const SambaTestInstance& instance, const std::string& user, Address address,
                                   const std::string& extra_option)
    : output_path_(temporary_file_path()) {
    std::vector<std::string> arguments{"stdbuf", "-oL", "smbclient", "-p", std::to_string(instance.port())};
    if (address == Address::Ipv6) {
        arguments.insert(arguments.end(), {"-I", "::1", "//localhost/share"});
    } else {
        arguments.emplace_back("//127.0.0.1/share");
    }
    arguments.insert(arguments.end(), {"-U", user + "%" + SambaTestInstance::password_of(user)});
    if (!extra_option.empty()) arguments.push_back(extra_option);
    start(std::move(arguments));
}

SmbClientProcess::SmbClientProcess(std::vector<std::string> command) : output_path_(temporary_file_path()) {
    command.insert(command.begin(), {"stdbuf", "-oL"});
    start(std::move(command));
}

void SmbClientProcess::start(std::vector<std::string> arguments) {
    int input[2];
    REQUIRE(::pipe2(input, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attributes);
    ::posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);
    ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path_.c_str(), O_WRONLY | O_TRUNC, 0);
    ::posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    ::posix_spawnattr_setpgroup(&attributes, 0);
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    char path[] = "PATH=/usr/bin:/bin";
    char locale[] = "LC_ALL=C";
    char* environment[] = {path, locale, nullptr};
    const int error = ::posix_spawnp(&pid_, "stdbuf", &actions, &attributes, argv.data(), environment);
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attributes);
    ::close(input[0]);
    input_fd_ = input[1];
    REQUIRE(error == 0);
}

SmbClientProcess::~SmbClientProcess() {
    if (input_fd_ >= 0) ::close(input_fd_);
    if (pid_ > 0) {
        ::kill(-pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
    }
    ::unlink(output_path_.c_str());
}

bool SmbClientProcess::send(std::string_view command) {
    if (input_fd_ < 0) return false;
    const std::string line = std::string(command) + "\n";
    return ::write(input_fd_, line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

std::string SmbClientProcess::output() const {
    std::ifstream file(output_path_);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

bool SmbClientProcess::wait_for_output(std::string_view text, std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (output().find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

bool SmbClientProcess::wait_until_connected(std::chrono::milliseconds limit) const {
    return wait_for_output("Try \"help\"", limit);
}

bool SmbClientProcess::has_exited() {
    if (pid_ <= 0) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    pid_ = -1;
    return true;
}

bool SmbClientProcess::quit(std::chrono::milliseconds limit) {
    if (input_fd_ >= 0) ::close(input_fd_);
    input_fd_ = -1;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!has_exited()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}
