#include "sessions/posix/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

namespace smbreaper::sessions {
namespace {

using Clock = std::chrono::steady_clock;

// A file descriptor closed when it goes out of scope.
class OwnedFd {
public:
    OwnedFd() = default;
    explicit OwnedFd(int fd) : fd_(fd) {}
    OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    OwnedFd& operator=(OwnedFd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    ~OwnedFd() { reset(); }

    int get() const { return fd_; }
    bool is_open() const { return fd_ >= 0; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    OwnedFd read_end;
    OwnedFd write_end;
};

std::optional<Pipe> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    Pipe pipe;
    pipe.read_end = OwnedFd(fds[0]);
    pipe.write_end = OwnedFd(fds[1]);
    return pipe;
}

std::string errno_text(int error) { return std::strerror(error); }

}  // namespace

std::string find_program(const std::string& program) {
    if (program.find('/') != std::string::npos) return program;
    std::string_view directories = clean_path;
    while (!directories.empty()) {
        const std::size_t colon = directories.find(':');
        const std::string_view directory = directories.substr(0, colon);
        std::string candidate = std::string(directory) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        directories = colon == std::string_view::npos ? std::string_view{} : directories.substr(colon + 1);
    }
    return {};
}

namespace {

// posix_spawn's attributes and file actions, destroyed with the object.
class SpawnSetup {
public:
    SpawnSetup() {
        ::posix_spawnattr_init(&attributes_);
        ::posix_spawn_file_actions_init(&actions_);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
    ~SpawnSetup() {
        ::posix_spawn_file_actions_destroy(&actions_);
        ::posix_spawnattr_destroy(&attributes_);
    }

    // Own process group (pgid = its pid), default signal handling and an empty signal mask
    // whatever the caller uses, stdin /dev/null, stdout and stderr into the pipes, nothing else.
    int prepare(int stdout_fd, int stderr_fd) {
        sigset_t all_signals;
        sigset_t no_signals;
        sigfillset(&all_signals);
        sigemptyset(&no_signals);
        int error = ::posix_spawnattr_setflags(&attributes_,
                                               POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
        if (error == 0) error = ::posix_spawnattr_setpgroup(&attributes_, 0);
        if (error == 0) error = ::posix_spawnattr_setsigdefault(&attributes_, &all_signals);
        if (error == 0) error = ::posix_spawnattr_setsigmask(&attributes_, &no_signals);
        if (error == 0) error = ::posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (error == 0) error = ::posix_spawn_file_actions_adddup2(&actions_, stdout_fd, STDOUT_FILENO);
        if (error == 0) error = ::posix_spawn_file_actions_adddup2(&actions_, stderr_fd, STDERR_FILENO);
        if (error == 0) error = ::posix_spawn_file_actions_addclosefrom_np(&actions_, STDERR_FILENO + 1);
        return error;
    }

    const posix_spawnattr_t* attributes() const { return &attributes_; }
    const posix_spawn_file_actions_t* actions() const { return &actions_; }

private:
    posix_spawnattr_t attributes_;
    posix_spawn_file_actions_t actions_;
};

// Reads what is there into `sink` (up to the limit, dropping the rest). Returns false at end of
// file or on a read error, when the stream is finished.
bool drain(int fd, std::string& sink, std::size_t limit, bool& truncated) {
    std::array<char, 65536> buffer;
    const ssize_t count = ::read(fd, buffer.data(), buffer.size());
    if (count < 0) return errno == EINTR || errno == EAGAIN;
    if (count == 0) return false;
    const std::size_t room = sink.size() < limit ? limit - sink.size() : 0;
    const std::size_t kept = std::min(room, static_cast<std::size_t>(count));
    sink.append(buffer.data(), kept);
    if (kept < static_cast<std::size_t>(count)) truncated = true;
    return true;
}

int milliseconds_until(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
}

// A started child. Whatever happens to the caller, the destructor kills and reaps it, so no
// zombie and no stray process group survives an exception.
class Child {
public:
    // What the wait functions return when the status cannot be had (the host ignores SIGCHLD, so
    // the kernel reaped the child itself): neither "exited" nor "signalled".
    static constexpr int lost_status = -1;

    explicit Child(pid_t pid) : pid_(pid) {}
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (pid_ > 0) {
            kill_group();
            wait_blocking();
        }
    }

    // The child's own group: it and every helper it started that stayed in it.
    void kill_group() const { ::kill(-pid_, SIGKILL); }

    // Reaps the child if it has ended. Returns its wait status.
    std::optional<int> try_wait() {
        int status = 0;
        pid_t result;
        do {
            result = ::waitpid(pid_, &status, WNOHANG);
        } while (result < 0 && errno == EINTR);
        if (result == 0) return std::nullopt;
        pid_ = -1;
        return result > 0 ? status : lost_status;
    }

    int wait_blocking() {
        int status = 0;
        pid_t result;
        do {
            result = ::waitpid(pid_, &status, 0);
        } while (result < 0 && errno == EINTR);
        pid_ = -1;
        return result > 0 ? status : lost_status;
    }

private:
    pid_t pid_;
};

// Polls for the child's end with short, growing pauses (it usually ends as its pipes close).
std::optional<int> wait_until(Child& child, Clock::time_point deadline) {
    std::optional<int> status = child.try_wait();
    for (auto pause = std::chrono::microseconds(100); !status && Clock::now() < deadline;
         pause = std::min(pause * 2, std::chrono::microseconds(10'000))) {
        std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - Clock::now()));
        status = child.try_wait();
    }
    return status;
}

void record_status(ProcessResult& result, int status) {
    if (status == Child::lost_status) {
        result.ending = ProcessResult::Ending::Failed;
        result.error = "its exit status was lost (is SIGCHLD ignored?)";
    } else if (WIFEXITED(status)) {
        result.ending = ProcessResult::Ending::Exited;
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.ending = ProcessResult::Ending::Signalled;
        result.signal = WTERMSIG(status);
    }
}

std::string first_line(const std::string& text) {
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return {};
    const std::size_t end = text.find('\n', start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

bool ProcessResult::succeeded() const { return ending == Ending::Exited && exit_code == 0 && !output_truncated; }

std::string ProcessResult::describe() const {
    std::string text;
    switch (ending) {
        case Ending::Exited: text = "exited with status " + std::to_string(exit_code); break;
        case Ending::Signalled: text = "was killed by signal " + std::to_string(signal); break;
        case Ending::TimedOut: text = "timed out after " + std::to_string(duration.count()) + " ms"; break;
        case Ending::Failed: return "could not be run: " + error;
    }
    if (output_truncated) text += " (output truncated)";
    const std::string reason = first_line(standard_error);
    if (!reason.empty()) text += ": " + reason;
    return text;
}

ProcessResult run_process(const ProcessRequest& request) {
    ProcessResult result;
    const Clock::time_point started = Clock::now();
    const Clock::time_point deadline = started + request.timeout;

    const std::string path = find_program(request.program);
    if (path.empty()) {
        result.error = "'" + request.program + "' not found in " + clean_path;
        return result;
    }
    std::optional<Pipe> output = make_pipe();
    std::optional<Pipe> errors = make_pipe();
    if (!output || !errors) {
        result.error = "pipe: " + errno_text(errno);
        return result;
    }
    SpawnSetup setup;
    if (const int error = setup.prepare(output->write_end.get(), errors->write_end.get()); error != 0) {
        result.error = "posix_spawn setup: " + errno_text(error);
        return result;
    }

    std::vector<std::string> argv_storage;
    argv_storage.push_back(request.program);
    argv_storage.insert(argv_storage.end(), request.arguments.begin(), request.arguments.end());
    std::vector<char*> argv;
    argv.reserve(argv_storage.size() + 1);
    for (std::string& argument : argv_storage) argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::string path_variable = std::string("PATH=") + clean_path;
    std::string locale_variable = "LC_ALL=C";
    char* environment[] = {path_variable.data(), locale_variable.data(), nullptr};

    pid_t pid = 0;
    if (const int error =
            ::posix_spawn(&pid, path.c_str(), setup.actions(), setup.attributes(), argv.data(), environment);
        error != 0) {
        result.error = path + ": " + errno_text(error);
        return result;
    }
    Child child(pid);
    output->write_end.reset();
    errors->write_end.reset();

    // Read both pipes until both reach end of file or the deadline passes.
    bool output_open = true;
    bool errors_open = true;
    bool timed_out = false;
    while ((output_open || errors_open) && !timed_out) {
        std::array<pollfd, 2> fds{pollfd{output_open ? output->read_end.get() : -1, POLLIN, 0},
                                  pollfd{errors_open ? errors->read_end.get() : -1, POLLIN, 0}};
        const int ready = ::poll(fds.data(), fds.size(), milliseconds_until(deadline));
        if (ready <= 0) {  // the deadline came, or a signal (EINTR) interrupted the wait
            timed_out = Clock::now() >= deadline;
            continue;
        }
        if (fds[0].revents != 0)
            output_open = drain(fds[0].fd, result.standard_output, request.max_output_bytes, result.output_truncated);
        if (fds[1].revents != 0)
            errors_open = drain(fds[1].fd, result.standard_error, request.max_output_bytes, result.output_truncated);
    }

    // The pipes are closed, but the program may still run (it closed them itself): wait for it
    // within the same deadline.
    std::optional<int> status;
    if (!timed_out) status = wait_until(child, deadline);
    if (status) {
        record_status(result, *status);
    } else {
        child.kill_group();
        child.wait_blocking();
        result.ending = ProcessResult::Ending::TimedOut;
    }
    result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return result;
}

}  // namespace smbreaper::sessions
