#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit_test_support.h"
#include "service/posix/systemd_notifier.h"

using smbreaper::daemon::SystemdNotifier;

using namespace smbreaper;
using namespace std::chrono_literals;
using test::TempDir;

namespace {

// The datagram socket systemd listens on for a Type=notify unit (its path goes in NOTIFY_SOCKET).
class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
        if (fd_ < 0 || bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
            throw std::runtime_error("cannot bind a notification socket at " + path.string());
    }
    ~NotifySocket() { close(fd_); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // The next message, or nothing if none comes within the time.
    std::optional<std::string> receive(std::chrono::milliseconds within = 10s) const {
        pollfd ready{fd_, POLLIN, 0};
        if (poll(&ready, 1, static_cast<int>(within.count())) != 1) return std::nullopt;
        char buffer[4096];
        const ssize_t size = recv(fd_, buffer, sizeof(buffer), 0);
        if (size < 0) return std::nullopt;
        return std::string(buffer, static_cast<std::size_t>(size));
    }

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

// Sets environment variables for the life of a test, and restores what was there before.
class ScopedEnvironment {
public:
    ~ScopedEnvironment() {
        for (const auto& [name, previous] : saved_) {
            if (previous)
                setenv(name.c_str(), previous->c_str(), 1);
            else
                unsetenv(name.c_str());
        }
    }
    void set(const std::string& name, const std::string& value) {
        remember(name);
        setenv(name.c_str(), value.c_str(), 1);
    }
    void unset(const std::string& name) {
        remember(name);
        unsetenv(name.c_str());
    }

private:
    void remember(const std::string& name) {
        if (saved_.count(name)) return;
        const char* value = std::getenv(name.c_str());
        saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
    }
    std::map<std::string, std::optional<std::string>> saved_;
};

bool starts_with(const std::optional<std::string>& message, const std::string& prefix) {
    return message && message->rfind(prefix, 0) == 0;
}

// `smbreaper run` as systemd starts it for a Type=notify unit with WatchdogSec: NOTIFY_SOCKET,
// WATCHDOG_USEC, and WATCHDOG_PID naming the service's own process.
std::unique_ptr<test::BackgroundSmbreaper> start_notified(const NotifySocket& socket,
                                                          const std::vector<std::string>& arguments,
                                                          std::chrono::microseconds watchdog) {
    return std::make_unique<test::BackgroundSmbreaper>(arguments, "/dev/null", [&] {
        setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);
        setenv("WATCHDOG_USEC", std::to_string(watchdog.count()).c_str(), 1);
        setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
    });
}

std::filesystem::path write_policy(const TempDir& dir) {
    test::write_file(dir / "table.json", "[]");
    test::write_file(dir / "policy.yaml",
                     "version: 1\nsettings:\n  mode: audit\n  poll_interval: 1s\n  source: snapshot:table.json\n"
                     "  audit_db: audit.db\nrules:\n  - {name: idle-1h, action: close, match: {idle: '>= 1h'}}\n");
    return dir / "policy.yaml";
}

}  // namespace

TEST_CASE("the notifier sends READY, WATCHDOG and STOPPING to NOTIFY_SOCKET", "[service][systemd]") {
    TempDir dir;
    NotifySocket socket(dir / "notify");
    ScopedEnvironment environment;
    environment.set("NOTIFY_SOCKET", socket.path().string());
    environment.set("WATCHDOG_USEC", "3000000");
    environment.set("WATCHDOG_PID", std::to_string(getpid()));

    const SystemdNotifier notifier;
    CHECK(notifier.watchdog_interval() == 1500ms);
    notifier.ready();
    CHECK(starts_with(socket.receive(), "READY=1\n"));
    notifier.watchdog();
    CHECK(socket.receive() == "WATCHDOG=1");
    notifier.stopping();
    CHECK(starts_with(socket.receive(), "STOPPING=1\n"));
}

TEST_CASE("the notifier has no watchdog when the unit's watchdog is for another process", "[service][systemd]") {
    ScopedEnvironment environment;
    environment.set("WATCHDOG_USEC", "3000000");
    environment.set("WATCHDOG_PID", std::to_string(getpid() + 1));
    CHECK(SystemdNotifier().watchdog_interval() == 0ms);
}

TEST_CASE("without NOTIFY_SOCKET the notifier sends nothing and has no watchdog", "[service][systemd]") {
    TempDir dir;
    NotifySocket socket(dir / "notify");
    ScopedEnvironment environment;
    environment.unset("NOTIFY_SOCKET");
    environment.unset("WATCHDOG_USEC");
    environment.unset("WATCHDOG_PID");

    const SystemdNotifier notifier;
    CHECK(notifier.watchdog_interval() == 0ms);
    notifier.ready();
    notifier.watchdog();
    notifier.stopping();
    CHECK_FALSE(socket.receive(200ms));
}

TEST_CASE("smbreaper run in a notify unit: READY, then heartbeats at half WatchdogSec, STOPPING on SIGTERM",
          "[service][systemd][cli]") {
    TempDir dir;
    NotifySocket socket(dir / "notify");
    const auto policy = write_policy(dir);
    const auto service = start_notified(socket, {"run", "--no-syslog", "--policy", policy.string()}, 400ms);

    REQUIRE(starts_with(socket.receive(), "READY=1\n"));
    // Every 200 ms: the first and the fifth heartbeat are 800 ms apart (a full 400 ms interval
    // would make it 1600 ms, and let systemd kill a healthy service).
    REQUIRE(socket.receive(1s) == "WATCHDOG=1");
    const auto first = std::chrono::steady_clock::now();
    for (int beat = 1; beat < 5; ++beat) REQUIRE(socket.receive(1s) == "WATCHDOG=1");
    const auto span = std::chrono::steady_clock::now() - first;
    CHECK(span >= 700ms);
    CHECK(span < 1400ms);

    service->signal(SIGTERM);
    std::optional<std::string> message;
    do {
        message = socket.receive();
    } while (message == "WATCHDOG=1");
    CHECK(starts_with(message, "STOPPING=1\n"));
    CHECK(service->wait() == 0);
}

TEST_CASE("smbreaper run that cannot start never says READY", "[service][systemd][cli]") {
    TempDir dir;
    NotifySocket socket(dir / "notify");
    test::write_file(dir / "policy.yaml", "version: 1\nrules: [oops\n");
    const auto service =
        start_notified(socket, {"run", "--no-syslog", "--policy", (dir / "policy.yaml").string()}, 400ms);

    CHECK(service->wait() == 1);
    CHECK_FALSE(socket.receive(200ms));
}
