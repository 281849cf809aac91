#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "sessions/posix/process_runner.h"

using smbreaper::sessions::ProcessRequest;
using smbreaper::sessions::ProcessResult;
using smbreaper::sessions::run_process;

using namespace smbreaper;
using namespace std::chrono_literals;

namespace {

ProcessResult run_shell(const std::string& script, std::chrono::milliseconds timeout = 10s) {
    return run_process({"sh", {"-c", script}, timeout});
}

// No child of this test process is left to reap: nothing running, no zombie.
bool no_children_left() {
    int status = 0;
    return ::waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;
}

// Whether a process exists and has not ended (a zombie counts as ended: PID 1 reaps it later).
bool is_running(const std::string& pid) {
    std::ifstream stat("/proc/" + pid + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const std::size_t name_end = line.rfind(')');
    return name_end != std::string::npos && line.size() > name_end + 2 && line[name_end + 2] != 'Z';
}

// A SIGKILLed process ends at once, but not within the kill() call: give it a moment.
bool ends_soon(const std::string& pid) {
    for (int attempt = 0; attempt < 200 && is_running(pid); ++attempt) std::this_thread::sleep_for(10ms);
    return !is_running(pid);
}

}  // namespace

TEST_CASE("run_process reports the exit status and both outputs") {
    const ProcessResult result = run_shell("echo out; echo err >&2; exit 3");
    CHECK(result.ending == ProcessResult::Ending::Exited);
    CHECK(result.exit_code == 3);
    CHECK(result.standard_output == "out\n");
    CHECK(result.standard_error == "err\n");
    CHECK_FALSE(result.succeeded());
    CHECK(result.describe() == "exited with status 3: err");
    CHECK(no_children_left());
}

TEST_CASE("run_process succeeds on status 0") {
    const ProcessResult result = run_process({"true", {}});
    CHECK(result.succeeded());
    CHECK(result.standard_output.empty());
}

TEST_CASE("run_process passes arguments without a shell") {
    const ProcessResult result = run_process({"printf", {"[%s]", "a b", "$HOME", "'quoted'", ""}});
    CHECK(result.standard_output == "[a b][$HOME]['quoted'][]");
}

TEST_CASE("run_process gives a clean environment, stdin from /dev/null and no inherited descriptors") {
    const ProcessResult environment = run_process({"env", {}});
    CHECK(environment.standard_output == "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLC_ALL=C\n");

    CHECK(run_process({"cat", {}, 5s}).standard_output.empty());

    // The shell's own listing of its descriptors: 0, 1, 2 and the directory ls reads.
    const ProcessResult descriptors = run_shell("ls /proc/self/fd | wc -l");
    CHECK(descriptors.standard_output == "4\n");
}

TEST_CASE("run_process reads big outputs on both streams without deadlock") {
    const ProcessResult result = run_shell(
        "head -c 3000000 /dev/zero >&2; head -c 5000000 /dev/zero; "
        "head -c 3000000 /dev/zero >&2");
    CHECK(result.succeeded());
    CHECK(result.standard_output.size() == 5'000'000);
    CHECK(result.standard_error.size() == 6'000'000);
}

TEST_CASE("run_process drops output beyond the limit and says so") {
    ProcessRequest request{"sh", {"-c", "head -c 100000 /dev/zero"}, 10s};
    request.max_output_bytes = 1000;
    const ProcessResult result = run_process(request);
    CHECK(result.ending == ProcessResult::Ending::Exited);
    CHECK(result.exit_code == 0);
    CHECK(result.output_truncated);
    CHECK_FALSE(result.succeeded());
    CHECK(result.standard_output.size() == 1000);
}

TEST_CASE("run_process kills the whole process group on timeout") {
    const auto started = std::chrono::steady_clock::now();
    // The shell starts a helper in its group and prints its pid, then both sleep past the timeout.
    const ProcessResult result = run_shell("sleep 60 & echo $!; sleep 60", 300ms);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(result.ending == ProcessResult::Ending::TimedOut);
    CHECK_FALSE(result.succeeded());
    CHECK(elapsed < 5s);
    CHECK(result.describe().starts_with("timed out after "));
    const std::string helper_pid = result.standard_output.substr(0, result.standard_output.find('\n'));
    REQUIRE_FALSE(helper_pid.empty());
    CHECK(ends_soon(helper_pid));
    CHECK(no_children_left());
}

TEST_CASE("run_process times out a program that closed its outputs but keeps running") {
    const ProcessResult result = run_shell("exec >&- 2>&-; sleep 60", 300ms);
    CHECK(result.ending == ProcessResult::Ending::TimedOut);
    CHECK(no_children_left());
}

TEST_CASE("run_process reports a program killed by a signal") {
    const ProcessResult result = run_shell("kill -TERM $$");
    CHECK(result.ending == ProcessResult::Ending::Signalled);
    CHECK(result.signal == SIGTERM);
    CHECK(result.describe() == "was killed by signal 15");
}

TEST_CASE("run_process reports a missing program without starting anything") {
    const ProcessResult by_name = run_process({"no-such-program-smbreaper", {}});
    CHECK(by_name.ending == ProcessResult::Ending::Failed);
    CHECK(by_name.describe() ==
          "could not be run: 'no-such-program-smbreaper' not found in "
          "/usr/sbin:/usr/bin:/sbin:/bin");

    const ProcessResult by_path = run_process({"/nonexistent/smbstatus", {}});
    CHECK(by_path.ending == ProcessResult::Ending::Failed);
    CHECK(by_path.error.find("No such file or directory") != std::string::npos);
    CHECK(no_children_left());
}

namespace {
void ignore_alarm(int) {}
}  // namespace

TEST_CASE("run_process keeps going when signals interrupt it") {
    struct sigaction action {};
    action.sa_handler = ignore_alarm;  // no SA_RESTART: poll, read and waitpid see EINTR
    struct sigaction previous {};
    REQUIRE(::sigaction(SIGALRM, &action, &previous) == 0);
    const itimerval every_millisecond{{0, 1000}, {0, 1000}};
    REQUIRE(::setitimer(ITIMER_REAL, &every_millisecond, nullptr) == 0);

    const ProcessResult result = run_shell("sleep 0.2; echo done");

    const itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    ::sigaction(SIGALRM, &previous, nullptr);
    CHECK(result.succeeded());
    CHECK(result.standard_output == "done\n");
    CHECK(no_children_left());
}
