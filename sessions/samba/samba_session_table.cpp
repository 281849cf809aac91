#include "sessions/samba/samba_session_table.h"

#include <unistd.h>

#include <algorithm>
#include <limits>
#include <set>
#include <thread>

#include "common/host_name.h"
#include "sessions/posix/process_runner.h"
#include "sessions/samba/ip_endpoint.h"
#include "sessions/samba/pid_file.h"
#include "sessions/samba/proc_process.h"
#include "sessions/samba/samba_blocks.h"
#include "sessions/samba/smbstatus_parser.h"
#include "sessions/samba/tcp_socket_diag.h"
#include "sessions/session_source.h"

namespace smbreaper::sessions {
using smbreaper::common::host_name;
using smbreaper::common::PhaseTimer;
using smbreaper::common::PhaseTimings;

namespace {

using std::chrono::milliseconds;

// server_id.vnn of a session served by this host when Samba is not clustered. A session of a CTDB
// node cannot be matched to this host's processes and sockets.
constexpr std::uint32_t not_clustered_vnn = 0xFFFFFFFFu;

// smbd leaves a connection within 35-55 ms of `smbcontrol PID shutdown` (measured on Samba 4.17).
constexpr milliseconds close_confirmation_limit{5'000};
constexpr milliseconds close_confirmation_poll{10};

std::uint32_t whole_seconds(milliseconds duration) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(seconds, 0, std::numeric_limits<std::uint32_t>::max()));
}

std::optional<pid_t> local_pid_of(const SessionRecord& session) {
    if (!session.samba_server_id || session.samba_server_id->vnn != not_clustered_vnn) return std::nullopt;
    const std::uint64_t pid = session.samba_server_id->pid;
    if (pid == 0 || pid > static_cast<std::uint64_t>(std::numeric_limits<pid_t>::max())) return std::nullopt;
    return static_cast<pid_t>(pid);
}

// The connection with `peer` among those whose socket is in `inodes`.
const TcpConnection* find_connection(const std::vector<TcpConnection>& connections, const IpEndpoint& peer,
                                     const std::set<std::uint64_t>& inodes) {
    for (const TcpConnection& connection : connections) {
        if (connection.inode != 0 && connection.peer == peer && inodes.contains(connection.inode)) return &connection;
    }
    return nullptr;
}

// The connections, in order of their peer, to find those with one peer without a linear search.
std::vector<const TcpConnection*> by_peer(const std::vector<TcpConnection>& connections) {
    std::vector<const TcpConnection*> sorted;
    sorted.reserve(connections.size());
    for (const TcpConnection& connection : connections) sorted.push_back(&connection);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->peer < b->peer; });
    return sorted;
}

ConnectionKey key_of(const TcpConnection& connection) { return {connection.inode, connection.local, connection.peer}; }

std::vector<TcpConnection> dump_connections(const std::vector<std::uint16_t>& ports) {
    try {
        return dump_tcp_connections(ports);
    } catch (const SocketDiagError& error) {
        throw SourceError(std::string("reading the kernel's socket information: ") + error.what());
    }
}

std::string testparm_program(const SambaSettings& settings) {
    if (!settings.testparm.empty()) return settings.testparm;
    const std::size_t slash = settings.smbstatus.rfind('/');
    if (slash != std::string::npos) {
        std::string beside = settings.smbstatus.substr(0, slash + 1) + "testparm";
        if (::access(beside.c_str(), X_OK) == 0) return beside;
    }
    return "testparm";
}

std::string elapsed_text(milliseconds elapsed) { return std::to_string(elapsed.count()) + " ms"; }

}  // namespace

std::vector<std::string> SambaSessionTable::programs(const SambaSettings& settings) {
    std::vector<std::string> found;
    for (const std::string& program : {settings.smbstatus, settings.smbcontrol, testparm_program(settings)}) {
        std::string file = find_program(program);
        if (!file.empty()) found.push_back(std::move(file));
    }
    return found;
}

SambaSessionTable::SambaSessionTable(SambaSettings settings)
    : settings_(std::move(settings)),
      host_name_(host_name()),
      smb_conf_(testparm_program(settings_), settings_.smb_conf, settings_.timeout) {}

// The locked pid file of a running smbd says it is up in well under a millisecond; only without
// one does smbcontrol's ping (20-50 ms) decide.
void SambaSessionTable::check_server_is_up() {
    const std::string pid_file = smb_conf_.values().pid_directory + "/smbd.pid";
    if (running_pid_file_owner(pid_file)) return;
    const auto seconds = std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(settings_.timeout).count());
    const ProcessResult ping = run_process({settings_.smbcontrol,
                                            {"-s", settings_.smb_conf, "-t", std::to_string(seconds), "smbd", "ping"},
                                            settings_.timeout});
    if (!ping.succeeded() || ping.standard_output.find("PONG") == std::string::npos) {
        throw SourceError(
            "smbd is not running: no running smbd holds " + pid_file + ", and smbcontrol smbd ping " + ping.describe(),
            SourceErrorKind::Unavailable);
    }
}

std::string SambaSessionTable::read_smbstatus() {
    ProcessResult status = run_process({settings_.smbstatus, {"--json", "-s", settings_.smb_conf}, settings_.timeout});
    if (!status.succeeded()) {
        throw SourceError("smbstatus " + status.describe(), status.ending == ProcessResult::Ending::TimedOut
                                                                ? SourceErrorKind::Timeout
                                                                : SourceErrorKind::Failed);
    }
    return std::move(status.standard_output);
}

// smbstatus prints empty lists when smbd is down, so the server must be up both before and after
// it runs: a server that stops meanwhile is an error, never an empty table.
SessionSnapshot SambaSessionTable::list() {
    SessionSnapshot snapshot;
    {
        const PhaseTimer timer(snapshot.phases, "server-check");
        check_server_is_up();
    }
    std::string json;
    {
        const PhaseTimer timer(snapshot.phases, "smbstatus");
        json = read_smbstatus();
    }
    {
        const PhaseTimer timer(snapshot.phases, "server-check");
        check_server_is_up();
    }
    snapshot.taken_at = std::chrono::system_clock::now();
    {
        const PhaseTimer timer(snapshot.phases, "parse");
        SmbstatusDocument document =
            parse_smbstatus_json(json, "smbstatus --json -s " + settings_.smb_conf, SmbstatusParseOptions{host_name_});
        snapshot.sessions = std::move(document.sessions);
        snapshot.open_files = std::move(document.open_files);
    }
    add_process_facts(snapshot.sessions, snapshot.phases);
    return snapshot;
}

void SambaSessionTable::add_process_facts(std::vector<SessionRecord>& sessions, PhaseTimings& phases) {
    std::vector<TcpConnection> connections;
    {
        const PhaseTimer timer(phases, "sockets");
        connections = dump_connections(smb_conf_.values().smb_ports);
        const IdleTracker::Clock::time_point observed_at = IdleTracker::Clock::now();
        std::vector<ConnectionSample> samples;
        for (const TcpConnection& connection : connections) {
            if (connection.counters) samples.push_back({key_of(connection), *connection.counters});
        }
        idle_tracker_.update(samples, observed_at);
    }

    // A session's connection: the one with the session's peer whose socket its smbd process holds.
    const PhaseTimer timer(phases, "processes");
    const std::vector<const TcpConnection*> sorted = by_peer(connections);
    for (SessionRecord& session : sessions) {
        const std::optional<pid_t> pid = local_pid_of(session);
        if (!pid) continue;
        const std::optional<std::uint64_t> started = start_times_.start_ticks(*pid, session.samba_server_id->unique_id);
        if (!started) continue;
        session.seconds_exists = whole_seconds(age_since(*started));

        if (!session.peer_address) continue;
        const std::optional<IpEndpoint> peer = parse_samba_peer_address(*session.peer_address);
        if (!peer) continue;
        auto candidate = std::lower_bound(sorted.begin(), sorted.end(), *peer,
                                          [](const TcpConnection* c, const IpEndpoint& p) { return c->peer < p; });
        for (; candidate != sorted.end() && (*candidate)->peer == *peer; ++candidate) {
            const TcpConnection& connection = **candidate;
            if (connection.inode == 0 || !socket_owners_.holds(*pid, *started, connection.inode)) continue;
            if (const std::optional<milliseconds> idle = idle_tracker_.idle_time(key_of(connection)))
                session.seconds_idle = whole_seconds(*idle);
            break;
        }
    }
    socket_owners_.end_poll();
    start_times_.end_poll();
}

SambaSessionTable::Ownership SambaSessionTable::connection_ownership(pid_t pid, const IpEndpoint& peer) {
    const std::vector<TcpConnection> connections = dump_connections(smb_conf_.values().smb_ports);
    if (!process_is_running(pid)) return Ownership::NotHeld;
    const std::optional<std::set<std::uint64_t>> inodes = socket_inodes_of(pid);
    if (!inodes) return process_is_running(pid) ? Ownership::Unknown : Ownership::NotHeld;
    return find_connection(connections, peer, *inodes) ? Ownership::Held : Ownership::NotHeld;
}

bool SambaSessionTable::wait_until_released(pid_t pid, const IpEndpoint& peer, milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (connection_ownership(pid, peer) != Ownership::NotHeld) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(close_confirmation_poll);
    }
    return true;
}

CloseResult SambaSessionTable::close(const SessionRecord& session) {
    const std::optional<pid_t> pid = local_pid_of(session);
    if (!pid) {
        return {CloseOutcome::Failed, "no smbd process of this host is known for session " +
                                          std::to_string(session.session_id) + " (clustered, or no server_id)"};
    }
    if (!session.peer_address) return {CloseOutcome::Failed, "the session's peer address is unknown"};
    const std::optional<IpEndpoint> peer = parse_samba_peer_address(*session.peer_address);
    if (!peer) return {CloseOutcome::Failed, "unrecognised peer address '" + *session.peer_address + "'"};
    const std::string connection_text = "smbd " + std::to_string(*pid) + " and " + peer->to_string();

    try {
        switch (connection_ownership(*pid, *peer)) {
            case Ownership::NotHeld:
                return {CloseOutcome::Vanished, "the connection between " + connection_text + " is gone"};
            case Ownership::Unknown:
                return {CloseOutcome::Failed, "cannot tell whether " + connection_text +
                                                  " are still connected: /proc/" + std::to_string(*pid) +
                                                  "/fd cannot be read (the service needs root with CAP_SYS_PTRACE)"};
            case Ownership::Held: break;
        }

        const auto started = std::chrono::steady_clock::now();
        const ProcessResult shutdown = run_process(
            {settings_.smbcontrol, {"-s", settings_.smb_conf, std::to_string(*pid), "shutdown"}, settings_.timeout});
        if (!shutdown.succeeded()) {
            const std::string failure = "smbcontrol " + std::to_string(*pid) + " shutdown " + shutdown.describe();
            // smbcontrol may have delivered the shutdown before it failed or hung: a connection
            // that is gone now may be this close's doing, so it is not recorded as vanished.
            if (connection_ownership(*pid, *peer) == Ownership::NotHeld)
                return {CloseOutcome::Failed,
                        failure + "; the connection between " + connection_text + " has ended since: outcome unknown"};
            return {CloseOutcome::Failed, failure};
        }
        const milliseconds limit = std::min(settings_.timeout, close_confirmation_limit);
        const bool released = wait_until_released(*pid, *peer, limit);
        const auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
        if (!released)
            return {CloseOutcome::Failed,
                    connection_text + " still connected " + elapsed_text(elapsed) + " after shutdown"};
        return {CloseOutcome::Closed,
                "closed the connection between " + connection_text + " in " + elapsed_text(elapsed)};
    } catch (const SourceError& error) {
        return {CloseOutcome::Failed, error.what()};
    }
}

std::vector<std::string> SambaSessionTable::enforce_blocks(const std::vector<BlockTarget>& blocks) {
    return enforce_samba_blocks(settings_, testparm_program(settings_), blocks);
}

std::optional<std::string> SambaSessionTable::block_problem(const BlockTarget& target) const {
    if (auto problem = samba_block_problem(target)) return problem;
    if (target.kind != BlockKind::Client) return std::nullopt;
    try {
        return samba_client_block_problem(settings_, testparm_program(settings_));
    } catch (const SourceError& error) {
        return std::string("cannot tell whether smb.conf lets a client be blocked: ") + error.what();
    }
}

std::vector<std::string> SambaSessionTable::block_setup_problems() {
    return samba_blocks_setup_problems(settings_, testparm_program(settings_));
}

// The samba source's opener (sessions/session_source.h): refuses programs `may_run` distrusts.
std::unique_ptr<SessionTable> open_samba_source(const SourceSettings& settings, const ProgramCheck& may_run) {
    for (const std::string& program : SambaSessionTable::programs(settings.samba)) {
        if (const auto problem = may_run(program)) throw SourceError(*problem);
    }
    return std::make_unique<SambaSessionTable>(settings.samba);
}

}  // namespace smbreaper::sessions
