// SambaSessionTable against a real smbd with real smbclient sessions.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include "samba_test_instance.h"
#include "sessions/connection_key.h"
#include "sessions/samba/ip_endpoint.h"
#include "sessions/samba/proc_process.h"
#include "sessions/samba/samba_session_table.h"
#include "sessions/samba/tcp_socket_diag.h"
#include "smbclient_process.h"

using smbreaper::sessions::CloseOutcome;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::connection_key;
using smbreaper::sessions::Dialect;
using smbreaper::sessions::dump_tcp_connections;
using smbreaper::sessions::IpEndpoint;
using smbreaper::sessions::parse_samba_peer_address;
using smbreaper::sessions::process_is_running;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SambaSessionTable;
using smbreaper::sessions::SambaSettings;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SessionSnapshot;
using smbreaper::sessions::SessionTable;
using smbreaper::sessions::shown;
using smbreaper::sessions::smb2_echo_request_bytes;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::SourceError;
using smbreaper::sessions::TcpConnection;
using smbreaper::sessions::TcpReceiveCounters;

using namespace smbreaper;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

SambaSettings settings_for(const SambaTestInstance& instance) {
    SambaSettings settings;
    settings.smb_conf = instance.conf();
    settings.timeout = 10s;
    return settings;
}

const SessionRecord* session_of(const SessionSnapshot& snapshot, const std::string& user) {
    const auto found = std::find_if(snapshot.sessions.begin(), snapshot.sessions.end(),
                                    [&](const SessionRecord& s) { return s.client_user_name == user; });
    return found == snapshot.sessions.end() ? nullptr : &*found;
}

// Lists until `done` holds for the snapshot (sessions take a moment to appear and to go).
SessionSnapshot list_until(SessionTable& table, const std::function<bool(const SessionSnapshot&)>& done,
                           std::chrono::milliseconds limit = 20s) {
    const auto deadline = Clock::now() + limit;
    SessionSnapshot snapshot = table.list();
    while (!done(snapshot) && Clock::now() < deadline) {
        std::this_thread::sleep_for(100ms);
        snapshot = table.list();
    }
    return snapshot;
}

SessionSnapshot list_until_users(SessionTable& table, std::vector<std::string> users) {
    std::sort(users.begin(), users.end());
    return list_until(table, [&](const SessionSnapshot& snapshot) {
        std::vector<std::string> listed;
        for (const SessionRecord& session : snapshot.sessions) listed.push_back(shown(session.client_user_name));
        std::sort(listed.begin(), listed.end());
        return listed == users;
    });
}

std::string host_name() {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return name;
}

// After its connection was closed, a client finds it gone at its next request (or has gone already).
bool sees_disconnect(SmbClientProcess& client) {
    return !client.send("ls") || client.wait_for_output("NT_STATUS_CONNECTION_DISCONNECTED", 10s) ||
           client.has_exited();
}

// A script that stands for a program and never answers.
class HangingProgram {
public:
    HangingProgram() {
        std::ofstream(path_) << "#!/bin/sh\nsleep 60\n";
        ::chmod(path_.c_str(), 0755);
    }
    ~HangingProgram() { ::unlink(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_ = "/tmp/smbreaper-hanging-program-" + std::to_string(::getpid());
};

// What the kernel says the client sent on the connection from `peer`.
std::optional<TcpReceiveCounters> counters_of_peer(const SambaTestInstance& instance, const std::string& peer) {
    const std::optional<IpEndpoint> endpoint = parse_samba_peer_address(peer);
    for (const TcpConnection& connection : dump_tcp_connections({instance.port()}))
        if (endpoint && connection.peer == *endpoint) return connection.counters;
    return std::nullopt;
}

// A throwaway smbd with one connected smbclient per user, and a table that lists them all.
struct SambaWithClients {
    struct Client {
        std::string user;
        SmbClientProcess::Address address = SmbClientProcess::Address::Ipv4;
    };

    explicit SambaWithClients(const std::vector<Client>& wanted) : table(settings_for(instance)) {
        std::vector<std::string> users;
        for (const Client& client : wanted) {
            clients.emplace(client.user, std::make_unique<SmbClientProcess>(instance, client.user, client.address));
            users.push_back(client.user);
        }
        for (const auto& [user, client] : clients) {
            INFO(user);
            REQUIRE(client->wait_until_connected());
        }
        snapshot = list_until_users(table, users);
    }

    SmbClientProcess& client(const std::string& user) { return *clients.at(user); }
    const SessionRecord& session(const std::string& user) const {
        const SessionRecord* found = session_of(snapshot, user);
        REQUIRE(found);
        return *found;
    }

    SambaTestInstance instance;
    std::map<std::string, std::unique_ptr<SmbClientProcess>> clients;
    SambaSessionTable table;
    SessionSnapshot snapshot;  // once every client was listed
};

}  // namespace

TEST_CASE("list shows each smbclient session with its user, dialect, shares, opens and times") {
    SambaWithClients samba({{"alice"}, {"bob"}, {"carol", SmbClientProcess::Address::Ipv6}});
    const std::string file = samba.instance.share_path() + "/hello.txt";
    std::ofstream(file) << "hello\n";
    ::chmod(file.c_str(), 0666);
    // smbclient's "open" opens a file and keeps it open until "close" or the end of the session.
    REQUIRE(samba.client("alice").send("open hello.txt"));
    REQUIRE(samba.client("alice").wait_for_output("open file \\hello.txt", 10s));

    CHECK(samba.table.name() == "samba");
    const SessionSnapshot snapshot = samba.table.list();
    REQUIRE(snapshot.sessions.size() == 3);
    CHECK(std::chrono::system_clock::now() - snapshot.taken_at < 60s);

    for (const SessionRecord& session : snapshot.sessions) {
        INFO(shown(session.client_user_name));
        CHECK(session.dialect == "3.1.1");
        CHECK(session.dialect_revision == Dialect::Smb3_1_1);
        CHECK(session.transport_name == "tcp");
        CHECK(session.cluster_node_name == host_name());
        CHECK(session.smb_instance == SmbInstance::Default);
        REQUIRE(session.shares);
        CHECK(*session.shares == std::vector<std::string>{"share"});
        REQUIRE(session.seconds_exists);
        CHECK(*session.seconds_exists < 120);
        REQUIRE(session.seconds_idle);
        CHECK(*session.seconds_idle < 120);
        REQUIRE(session.samba_server_id);
        CHECK(process_is_running(static_cast<pid_t>(session.samba_server_id->pid)));
        REQUIRE(session.num_opens);
    }
    const SessionRecord* alice_session = session_of(snapshot, "alice");
    const SessionRecord* bob_session = session_of(snapshot, "bob");
    const SessionRecord* carol_session = session_of(snapshot, "carol");
    CHECK(*alice_session->num_opens == 1);
    CHECK(*bob_session->num_opens == 0);
    CHECK(alice_session->client_computer_name == "127.0.0.1");
    CHECK(alice_session->peer_address.value_or("").starts_with("ipv4:127.0.0.1:"));
    CHECK(carol_session->client_computer_name == "::1");
    CHECK(carol_session->peer_address.value_or("").starts_with("ipv6:::1:"));
    CHECK(alice_session->samba_server_id->pid != bob_session->samba_server_id->pid);
    CHECK(connection_key(*alice_session) != connection_key(*bob_session));
}

TEST_CASE("an idle smbclient's SecondsIdle grows through its echoes; one running commands stays low") {
    SambaWithClients samba({{"alice"}, {"bob"}});
    SmbClientProcess& busy_client = samba.client("bob");
    const std::string idle_peer = samba.session("alice").peer_address.value_or("");
    const std::optional<TcpReceiveCounters> idle_counters_before = counters_of_peer(samba.instance, idle_peer);
    REQUIRE(idle_counters_before);

    // 14 s: smbclient sends an echo after 5 s without traffic, so the idle client echoes at least
    // twice; the busy one lists the share every 2 s.
    const auto started = Clock::now();
    std::uint32_t previous_idle = 0;
    int polls = 0;
    while (Clock::now() - started < 14s) {
        if (polls % 2 == 0) REQUIRE(busy_client.send("ls"));
        std::this_thread::sleep_for(1s);
        const SessionSnapshot snapshot = samba.table.list();
        ++polls;
        const SessionRecord* idle_session = session_of(snapshot, "alice");
        const SessionRecord* busy_session = session_of(snapshot, "bob");
        REQUIRE(idle_session);
        REQUIRE(busy_session);
        REQUIRE(idle_session->seconds_idle);
        REQUIRE(busy_session->seconds_idle);
        CHECK(*idle_session->seconds_idle >= previous_idle);
        previous_idle = *idle_session->seconds_idle;
        CHECK(*busy_session->seconds_idle <= 5);
    }
    CHECK(previous_idle >= 12);

    // The idle client did talk meanwhile: only 72-byte echoes, each in a segment of its own.
    const std::optional<TcpReceiveCounters> idle_counters_after = counters_of_peer(samba.instance, idle_peer);
    REQUIRE(idle_counters_after);
    const std::uint64_t echo_bytes = idle_counters_after->bytes_received - idle_counters_before->bytes_received;
    const std::uint32_t echo_segments =
        idle_counters_after->data_segments_received - idle_counters_before->data_segments_received;
    CHECK(echo_bytes >= 2 * smb2_echo_request_bytes);
    CHECK(echo_bytes == echo_segments * smb2_echo_request_bytes);
    REQUIRE(busy_client.wait_for_output("blocks of size", 5s));
}

TEST_CASE("close ends exactly that connection; the client sees it, the others stay") {
    SambaWithClients samba({{"alice"}, {"bob"}});
    SambaSessionTable& table = samba.table;
    const SessionRecord alice_session = samba.session("alice");
    const pid_t alice_smbd = static_cast<pid_t>(alice_session.samba_server_id->pid);

    const auto started = Clock::now();
    const CloseResult result = table.close(alice_session);
    const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    std::cout << "close latency (ownership check, smbcontrol shutdown, confirmation): " << latency.count() << " ms\n";
    INFO(result.detail);
    CHECK(result.outcome == CloseOutcome::Closed);
    CHECK(result.detail.find("closed the connection between smbd " + std::to_string(alice_smbd)) == 0);
    // It has let go of the connection; its exit follows.
    for (int attempt = 0; attempt < 400 && process_is_running(alice_smbd); ++attempt) std::this_thread::sleep_for(25ms);
    CHECK_FALSE(process_is_running(alice_smbd));

    // alice's smbclient finds its connection gone at its next request (or has gone already).
    CHECK(sees_disconnect(samba.client("alice")));

    const SessionSnapshot after = list_until_users(table, {"bob"});
    CHECK(session_of(after, "alice") == nullptr);
    REQUIRE(session_of(after, "bob"));
    REQUIRE(samba.client("bob").send("ls"));
    CHECK(samba.client("bob").wait_for_output("blocks of size", 10s));
}

TEST_CASE("close of a session that has gone, or whose pid now serves another peer, is Vanished") {
    SambaWithClients samba({{"alice"}, {"bob"}, {"carol"}});
    SambaSessionTable& table = samba.table;
    const SessionRecord alice_session = samba.session("alice");

    REQUIRE(samba.client("alice").quit());
    list_until_users(table, {"bob", "carol"});
    const CloseResult gone = table.close(alice_session);
    INFO(gone.detail);
    CHECK(gone.outcome == CloseOutcome::Vanished);

    // As if bob's pid had been reused by the smbd serving carol: the pid is alive, but it does not
    // hold bob's connection. Nothing may be closed.
    SessionRecord reused = samba.session("bob");
    reused.samba_server_id->pid = samba.session("carol").samba_server_id->pid;
    const CloseResult not_his = table.close(reused);
    INFO(not_his.detail);
    CHECK(not_his.outcome == CloseOutcome::Vanished);
    CHECK(table.list().sessions.size() == 2);
}

TEST_CASE("two sessions on one connection share a connection key, and close ends both") {
    SambaWithClients samba({{"alice"}});
    SmbClientProcess& client = samba.client("alice");
    SambaSessionTable& table = samba.table;
    // smbclient's "logon" sets up a second session on the same connection.
    // smbclient drops input that arrives while "logon" runs: wait for it before the next command.
    REQUIRE(client.send("logon bob " + SambaTestInstance::password_of("bob")));
    REQUIRE(client.wait_for_output("Current VUID is", 10s));
    REQUIRE(client.send("tcon share"));
    const bool connected_twice = client.wait_for_output("tcon to share successful", 10s);
    INFO(client.output());
    REQUIRE(connected_twice);
    const SessionSnapshot snapshot = list_until_users(table, {"alice", "bob"});
    const SessionRecord* alice_session = session_of(snapshot, "alice");
    const SessionRecord* bob_session = session_of(snapshot, "bob");
    REQUIRE(alice_session);
    REQUIRE(bob_session);
    CHECK(alice_session->samba_server_id->pid == bob_session->samba_server_id->pid);
    CHECK(connection_key(*alice_session) == connection_key(*bob_session));
    CHECK(alice_session->seconds_idle == bob_session->seconds_idle);

    const CloseResult result = table.close(*bob_session);
    INFO(result.detail);
    CHECK(result.outcome == CloseOutcome::Closed);
    CHECK(list_until_users(table, {}).sessions.empty());
    CHECK(sees_disconnect(client));
}

TEST_CASE("smbd down is a SourceError, never an empty table") {
    SambaTestInstance instance;
    SambaSessionTable table(settings_for(instance));
    CHECK(table.list().sessions.empty());
    instance.stop_smbd_only();
    CHECK_THROWS_AS(table.list(), SourceError);
    CHECK_THROWS_WITH(table.list(), Catch::Contains("smbd is not running"));
    instance.stop();
    CHECK_THROWS_AS(table.list(), SourceError);  // and with its smb.conf gone too
}

TEST_CASE("a hung smbstatus is killed and gives a SourceError within the timeout") {
    SambaTestInstance instance;
    HangingProgram hanging;
    SambaSettings settings = settings_for(instance);
    settings.smbstatus = hanging.path();
    settings.timeout = 1s;
    SambaSessionTable table(settings);
    const auto started = Clock::now();
    CHECK_THROWS_WITH(table.list(), Catch::Contains("timed out after"));
    CHECK(Clock::now() - started < 8s);
}

TEST_CASE("with smbstatus given as a path, the testparm beside it reads smb.conf") {
    SambaTestInstance instance;
    const std::string folder = instance.conf().substr(0, instance.conf().rfind('/')) + "/samba-bin";
    const std::string called = folder + "/testparm-was-called";
    REQUIRE(::mkdir(folder.c_str(), 0755) == 0);
    REQUIRE(::symlink("/usr/bin/smbstatus", (folder + "/smbstatus").c_str()) == 0);
    std::ofstream(folder + "/testparm") << "#!/bin/sh\ntouch " << called << "\nexec /usr/bin/testparm \"$@\"\n";
    REQUIRE(::chmod((folder + "/testparm").c_str(), 0755) == 0);

    SambaSettings settings = settings_for(instance);
    settings.smbstatus = folder + "/smbstatus";
    SambaSessionTable table(settings);
    CHECK(table.list().sessions.empty());
    CHECK(::access(called.c_str(), F_OK) == 0);
}

TEST_CASE("a failing smbstatus gives a SourceError with its reason") {
    SambaTestInstance instance;
    SambaSettings settings = settings_for(instance);
    settings.smbstatus = "false";
    SambaSessionTable table(settings);
    CHECK_THROWS_WITH(table.list(), Catch::Contains("smbstatus exited with status 1"));
    settings.smbstatus = "/nonexistent/smbstatus";
    SambaSessionTable missing(settings);
    CHECK_THROWS_WITH(missing.list(), Catch::Contains("could not be run"));
}

TEST_CASE("a hung smbcontrol shutdown fails the close and leaves the session alone") {
    SambaWithClients samba({{"alice"}});
    const SessionRecord alice_session = samba.session("alice");

    HangingProgram hanging;
    SambaSettings settings = settings_for(samba.instance);
    settings.smbcontrol = hanging.path();
    settings.timeout = 1s;
    SambaSessionTable hanging_table(settings);
    const CloseResult result = hanging_table.close(alice_session);
    INFO(result.detail);
    CHECK(result.outcome == CloseOutcome::Failed);
    CHECK(result.detail.find("timed out after") != std::string::npos);
    CHECK(session_of(samba.table.list(), "alice"));
}

TEST_CASE("close refuses a session it cannot tie to a process of this host") {
    SambaTestInstance instance;
    SambaSessionTable table(settings_for(instance));
    SessionRecord clustered;
    clustered.session_id = 7;
    clustered.samba_server_id = SambaServerId{12345, 2, 99};
    clustered.peer_address = "ipv4:10.0.0.5:50000";
    CHECK(table.close(clustered).outcome == CloseOutcome::Failed);

    SessionRecord unknown_peer;
    unknown_peer.samba_server_id = SambaServerId{12345, 0xFFFFFFFFu, 99};
    unknown_peer.peer_address = "somewhere";
    CHECK(table.close(unknown_peer).outcome == CloseOutcome::Failed);
}
