#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "sessions/samba/pid_file.h"

using smbreaper::sessions::running_pid_file_owner;

using namespace smbreaper;

namespace {

class TemporaryFile {
public:
    TemporaryFile() {
        const int fd = ::mkstemp(path_.data());
        REQUIRE(fd >= 0);
        ::close(fd);
    }
    ~TemporaryFile() { ::unlink(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_ = "/tmp/smbreaper-pid-file.XXXXXX";
};

// A child process that writes its pid into the file and holds a write lock on it, as smbd does,
// until the object goes.
class LockingProcess {
public:
    explicit LockingProcess(const std::string& path) {
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            const int fd = ::open(path.c_str(), O_RDWR);
            struct flock lock {};
            lock.l_type = F_WRLCK;
            lock.l_whence = SEEK_SET;
            if (fd < 0 || ::fcntl(fd, F_SETLK, &lock) != 0) ::_exit(1);
            const std::string text = std::to_string(::getpid()) + "\n";
            if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) ::_exit(1);
            if (::write(ready[1], "x", 1) != 1) ::_exit(1);
            ::pause();
            ::_exit(0);
        }
        ::close(ready[1]);
        char signal_byte = 0;
        REQUIRE(::read(ready[0], &signal_byte, 1) == 1);
        ::close(ready[0]);
    }
    ~LockingProcess() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("a pid file locked by the process it names is that running process") {
    TemporaryFile file;
    const LockingProcess smbd(file.path());
    CHECK(running_pid_file_owner(file.path()) == smbd.pid());
}

TEST_CASE("a pid file nobody locks is left from a crash: no process runs") {
    TemporaryFile file;
    std::ofstream(file.path()) << ::getpid() << "\n";  // a running process, but no lock
    CHECK_FALSE(running_pid_file_owner(file.path()));
}

TEST_CASE("a locked pid file that names another process is not believed") {
    TemporaryFile file;
    const LockingProcess holder(file.path());
    std::ofstream(file.path()) << ::getpid() << "\n";
    CHECK_FALSE(running_pid_file_owner(file.path()));
}

TEST_CASE("a missing, empty or garbled pid file names no process") {
    CHECK_FALSE(running_pid_file_owner("/nonexistent/smbd.pid"));
    TemporaryFile file;
    CHECK_FALSE(running_pid_file_owner(file.path()));
    std::ofstream(file.path()) << "smbd\n";
    CHECK_FALSE(running_pid_file_owner(file.path()));
}
