#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sessions/samba/proc_process.h"
#include "sessions/samba/socket_owners.h"

using smbreaper::sessions::process_start_ticks;
using smbreaper::sessions::SocketOwners;

using namespace smbreaper;

namespace {

// A socket of this process, closed with the object.
struct OwnSocket {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ~OwnSocket() { ::close(fd); }
    std::uint64_t inode() const {
        struct stat info {};
        REQUIRE(::fstat(fd, &info) == 0);
        return info.st_ino;
    }
};

}  // namespace

TEST_CASE("a process is seen to hold its own sockets and no others") {
    const OwnSocket socket;
    const pid_t self = ::getpid();
    const auto started = process_start_ticks(self);
    REQUIRE(started.has_value());

    SocketOwners owners;
    CHECK(owners.holds(self, *started, socket.inode()));
    CHECK_FALSE(owners.holds(self, *started, socket.inode() + 1'000'000));
    // Another start time is another process that had this pid: its sockets are read afresh.
    CHECK(owners.holds(self, *started + 1, socket.inode()));
    CHECK(owners.processes_known() == 2);
}

TEST_CASE("a process' sockets are read at most once a poll, and forgotten when no longer asked about") {
    const pid_t self = ::getpid();
    const auto started = process_start_ticks(self);
    REQUIRE(started.has_value());
    SocketOwners owners;
    const OwnSocket first;
    REQUIRE(owners.holds(self, *started, first.inode()));

    const OwnSocket later;  // opened after this poll read /proc/PID/fd
    CHECK_FALSE(owners.holds(self, *started, later.inode()));
    owners.end_poll();
    CHECK(owners.holds(self, *started, later.inode()));  // the next poll reads again
    CHECK(owners.holds(self, *started, first.inode()));

    owners.end_poll();
    CHECK(owners.processes_known() == 1);
    owners.end_poll();  // a poll that did not ask about it
    CHECK(owners.processes_known() == 0);
}
