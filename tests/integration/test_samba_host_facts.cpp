// What this host says about a real smbd: its connections (netlink sock_diag), its processes
// (/proc), its pid file and its smb.conf (testparm).
#include <catch2/catch.hpp>

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "samba_test_instance.h"
#include "sessions/posix/process_runner.h"
#include "sessions/samba/pid_file.h"
#include "sessions/samba/proc_process.h"
#include "sessions/samba/smb_conf_reader.h"
#include "sessions/samba/tcp_socket_diag.h"
#include "sessions/session_table.h"
#include "smbclient_process.h"

using smbreaper::sessions::dump_tcp_connections;
using smbreaper::sessions::process_age;
using smbreaper::sessions::process_is_running;
using smbreaper::sessions::ProcessResult;
using smbreaper::sessions::run_process;
using smbreaper::sessions::running_pid_file_owner;
using smbreaper::sessions::SmbConfReader;
using smbreaper::sessions::socket_inodes_of;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::TcpConnection;

using namespace smbreaper;
using namespace std::chrono_literals;

namespace {

// The process holding a socket, found the slow way: every /proc/PID/fd of the system.
std::optional<pid_t> holder_of(std::uint64_t inode) {
    const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
    while (const dirent* entry = ::readdir(proc.get())) {
        const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0) continue;
        const std::optional<std::set<std::uint64_t>> inodes = socket_inodes_of(pid);
        if (inodes && inodes->contains(inode)) return pid;
    }
    return std::nullopt;
}

std::string command_name(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(file, name);
    return name;
}

std::vector<TcpConnection> smb_connections(const SambaTestInstance& instance, std::size_t expected) {
    std::vector<TcpConnection> connections;
    for (int attempt = 0; attempt < 100; ++attempt) {
        connections = dump_tcp_connections({instance.port()});
        if (connections.size() == expected) break;
        std::this_thread::sleep_for(50ms);
    }
    return connections;
}

}  // namespace

TEST_CASE("sock_diag reports each SMB connection, IPv4 and IPv6, with its counters and inode") {
    SambaTestInstance instance;
    SmbClientProcess over_ipv4(instance, "alice");
    SmbClientProcess over_ipv6(instance, "bob", SmbClientProcess::Address::Ipv6);
    REQUIRE(over_ipv4.wait_until_connected());
    REQUIRE(over_ipv6.wait_until_connected());

    const std::vector<TcpConnection> connections = smb_connections(instance, 2);
    REQUIRE(connections.size() == 2);
    const auto ipv4 = std::find_if(connections.begin(), connections.end(), [](auto& c) { return c.peer.is_ipv4(); });
    const auto ipv6 = std::find_if(connections.begin(), connections.end(), [](auto& c) { return !c.peer.is_ipv4(); });
    REQUIRE(ipv4 != connections.end());
    REQUIRE(ipv6 != connections.end());
    CHECK(ipv4->local.to_string() == "127.0.0.1:" + std::to_string(instance.port()));
    CHECK(ipv6->local.to_string() == "[::1]:" + std::to_string(instance.port()));
    CHECK(ipv6->peer.to_string().starts_with("[::1]:"));

    for (const TcpConnection& connection : connections) {
        INFO(connection.peer.to_string());
        CHECK(connection.state == 1);  // established
        REQUIRE(connection.counters);
        // Negotiate, session setup and tree connect came in: more than a thousand bytes.
        CHECK(connection.counters->bytes_received > 1000);
        CHECK(connection.counters->data_segments_received >= 3);
        CHECK(connection.counters->since_last_data_received < 60s);

        // The socket belongs to the smbd child that serves this connection, and /proc says so.
        REQUIRE(connection.inode != 0);
        const std::optional<pid_t> holder = holder_of(connection.inode);
        REQUIRE(holder);
        CHECK(command_name(*holder) == "smbd");
        CHECK(process_is_running(*holder));
        const std::optional<std::chrono::seconds> age = process_age(*holder);
        REQUIRE(age);
        CHECK(*age < 120s);
    }
}

TEST_CASE("sock_diag filters by local port, in the kernel and beyond its filter's limit") {
    SambaTestInstance instance;
    SmbClientProcess client(instance, "alice");
    REQUIRE(client.wait_until_connected());
    REQUIRE(smb_connections(instance, 1).size() == 1);

    // The smbclient side of the connection has another local port: it must not appear.
    CHECK(dump_tcp_connections({1, instance.port(), 2}).size() == 1);
    CHECK(dump_tcp_connections({instance.port(), 139, 445}).size() == 1);
    std::vector<std::uint16_t> many_ports;
    for (std::uint16_t port = 1; port <= 20; ++port) many_ports.push_back(port);
    many_ports.push_back(instance.port());
    CHECK(dump_tcp_connections(many_ports).size() == 1);
    CHECK(dump_tcp_connections({1}).empty());
    CHECK(dump_tcp_connections({}).empty());
}

TEST_CASE("the smbd of a connection whose client quit ends and holds no socket") {
    SambaTestInstance instance;
    SmbClientProcess client(instance, "alice");
    REQUIRE(client.wait_until_connected());
    const std::vector<TcpConnection> connections = smb_connections(instance, 1);
    REQUIRE(connections.size() == 1);
    const std::optional<pid_t> smbd = holder_of(connections[0].inode);
    REQUIRE(smbd);

    REQUIRE(client.quit());
    for (int attempt = 0; attempt < 200 && process_is_running(*smbd); ++attempt) std::this_thread::sleep_for(25ms);
    CHECK_FALSE(process_is_running(*smbd));
    const std::optional<std::set<std::uint64_t>> inodes = socket_inodes_of(*smbd);
    CHECK((!inodes || inodes->empty()));
    CHECK(smb_connections(instance, 0).empty());
}

TEST_CASE("smb.conf gives the instance's port and pid directory, re-read when the file changes") {
    SambaTestInstance instance;
    const std::string folder = instance.conf().substr(0, instance.conf().rfind('/'));
    SmbConfReader reader("testparm", instance.conf(), 10s);
    CHECK(reader.values().smb_ports == std::vector<std::uint16_t>{instance.port()});
    CHECK(reader.values().pid_directory == folder + "/run");

    std::ofstream(instance.conf(), std::ios::app) << "[global]\n    smb ports = 445 139\n";
    CHECK(reader.values().smb_ports == std::vector<std::uint16_t>{445, 139});

    SmbConfReader missing("testparm", folder + "/no-such.conf", 10s);
    CHECK_THROWS_AS(missing.values(), SourceError);
}

TEST_CASE("the pid file of a running smbd names it; once stopped, nothing") {
    SambaTestInstance instance;
    const std::string pid_file = instance.conf().substr(0, instance.conf().rfind('/')) + "/run/smbd.pid";
    const std::optional<pid_t> smbd = running_pid_file_owner(pid_file);
    REQUIRE(smbd);
    CHECK(command_name(*smbd) == "smbd");
    instance.stop();
    CHECK_FALSE(running_pid_file_owner(pid_file));
}

TEST_CASE("stopping a test instance also stops the samba-dcerpcd that smbd started, and removes its folder") {
    SambaTestInstance instance;
    const std::string folder = instance.conf().substr(0, instance.conf().rfind('/'));
    // Listing the shares is an RPC: smbd starts samba-dcerpcd for it, which outlives smbd.
    const ProcessResult listing = run_process({"smbclient",
                                               {"-p", std::to_string(instance.port()), "-L", "127.0.0.1", "-U",
                                                "alice%" + SambaTestInstance::password_of("alice")},
                                               30s});
    INFO(listing.describe() << "\n" << listing.standard_output);
    REQUIRE(listing.succeeded());
    CHECK(listing.standard_output.find("share") != std::string::npos);
    const std::optional<pid_t> dcerpcd = running_pid_file_owner(folder + "/run/samba-dcerpcd.pid");
    REQUIRE(dcerpcd);
    CHECK(command_name(*dcerpcd) == "samba-dcerpcd");

    instance.stop();
    CHECK_FALSE(process_is_running(*dcerpcd));
    CHECK(::access(folder.c_str(), F_OK) != 0);
}
