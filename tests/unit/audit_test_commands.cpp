// Running programs from the audit tests (POSIX: fork and exec).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <thread>

#include "audit_test_support.h"
#include "program_under_test.h"

namespace smbreaper::test {
namespace {

// Reads everything from a file descriptor until end of file.
std::string drain(int fd) {
    std::string text;
    char buffer[4096];
    ssize_t count;
    while ((count = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(count));
    return text;
}

}  // namespace

CommandResult run_program(const std::string& program, const std::vector<std::string>& arguments) {
    // stderr goes to a file so that neither pipe can fill up while the other is read.
    TempDir scratch;
    const std::filesystem::path err_file = scratch / "stderr";
    int out_pipe[2];
    if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    const pid_t child = fork();
    if (child == 0) {
        // Standard input is never the terminal the tests may run on: a program that asks must see
        // that nobody can answer.
        const int null_fd = open("/dev/null", O_RDONLY);
        dup2(null_fd, STDIN_FILENO);
        const int err_fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        close(out_pipe[0]);
        std::vector<std::string> copies = arguments;
        copies.insert(copies.begin(), program);
        std::vector<char*> argv;
        for (std::string& argument : copies) argv.push_back(argument.data());
        argv.push_back(nullptr);
        execvp(program.c_str(), argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    CommandResult result;
    result.out = drain(out_pipe[0]);
    close(out_pipe[0]);
    int status = 0;
    waitpid(child, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.err = read_file(err_file);
    return result;
}

CommandResult run_smbreaper(const std::vector<std::string>& arguments) {
    return run_program(program_under_test(), arguments);
}

BackgroundSmbreaper::BackgroundSmbreaper(const std::vector<std::string>& arguments, const std::filesystem::path& log,
                                         const std::function<void()>& in_child) {
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(log_fd, STDERR_FILENO);
        const int null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        in_child();
        std::vector<std::string> copies = arguments;
        copies.insert(copies.begin(), program_under_test());
        std::vector<char*> argv;
        for (std::string& argument : copies) argv.push_back(argument.data());
        argv.push_back(nullptr);
        execv(copies.front().c_str(), argv.data());
        _exit(127);
    }
}

BackgroundSmbreaper::~BackgroundSmbreaper() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

void BackgroundSmbreaper::signal(int number) const {
    if (pid_ > 0) kill(pid_, number);
}

int BackgroundSmbreaper::wait() {
    if (pid_ <= 0) throw std::logic_error("the process was already waited for");
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace smbreaper::test
