#include "sessions/samba/smbstatus_parser.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "sessions/open_file_summary.h"
#include "sessions/samba/smbstatus_reader.h"

namespace smbreaper::sessions {
namespace {

using Clock = std::chrono::system_clock;

// An smbd process. Pids are unique only on one cluster node, so the node is part of the key.
using ProcessKey = std::pair<std::uint32_t /*vnn*/, std::uint64_t /*pid*/>;

// What the document's tree connects say about one session.
struct TconSummary {
    std::vector<std::string> shares;
    Clock::time_point first_connected_at = Clock::time_point::max();
};

std::uint32_t whole_seconds_between(Clock::time_point earlier, Clock::time_point later) {
    // In microseconds: the clock's own ticks (nanoseconds) could overflow between extreme times.
    using std::chrono::microseconds;
    const auto difference = std::chrono::floor<microseconds>(later) - std::chrono::floor<microseconds>(earlier);
    const long long seconds = std::chrono::floor<std::chrono::seconds>(difference).count();
    if (seconds <= 0) return 0;
    return static_cast<std::uint32_t>(std::min<long long>(seconds, 0xFFFFFFFFLL));
}

// Shares, and SecondsExists from the earliest tree connect. A session without any has no shares
// (known: none) and no SecondsExists.
void apply_tree_connects(std::vector<SessionRecord>& sessions, const std::vector<SmbstatusTreeConnect>& tree_connects,
                         Clock::time_point document_time) {
    std::unordered_map<std::uint64_t, TconSummary> by_session;
    for (const SmbstatusTreeConnect& tcon : tree_connects) {
        TconSummary& summary = by_session[tcon.session_id];
        summary.shares.push_back(tcon.share);
        summary.first_connected_at = std::min(summary.first_connected_at, tcon.connected_at);
    }
    for (SessionRecord& session : sessions) {
        const auto found = by_session.find(session.session_id);
        if (found == by_session.end()) {
            session.shares.emplace();
            continue;
        }
        std::vector<std::string>& shares = found->second.shares;
        std::sort(shares.begin(), shares.end());
        shares.erase(std::unique(shares.begin(), shares.end()), shares.end());
        session.shares = std::move(shares);
        session.seconds_exists = whole_seconds_between(found->second.first_connected_at, document_time);
    }
}

// The value every candidate agrees on, or unknown.
std::optional<std::string> agreed(const std::vector<SessionRecord*>& sessions,
                                  std::optional<std::string> SessionRecord::*member) {
    if (sessions.empty()) return std::nullopt;
    const std::optional<std::string>& first = sessions.front()->*member;
    for (const SessionRecord* session : sessions) {
        if (session->*member != first) return std::nullopt;
    }
    return first;
}

OpenFileRecord open_file_record(SmbstatusOpen&& open, const std::vector<SessionRecord*>& holders,
                                std::string_view local_node_name) {
    OpenFileRecord record;
    record.file_id = std::move(open.key);
    if (holders.size() == 1) record.session_id = holders.front()->session_id;
    record.client_computer_name = agreed(holders, &SessionRecord::client_computer_name);
    record.client_user_name = agreed(holders, &SessionRecord::client_user_name);
    record.path = std::move(open.path);
    record.share_relative_path = std::move(open.filename);
    record.permissions = open.access_mask;
    // Samba implements durable handles but not persistent ones: no open is continuously available.
    record.continuously_available = false;
    record.scope_name = "*";
    record.cluster_node_name = open.vnn == 0xFFFFFFFFu ? std::string(local_node_name) : std::to_string(open.vnn);
    record.smb_instance = SmbInstance::Default;
    record.opened_at = open.opened_at;
    record.samba_pid = open.pid;
    record.samba_vnn = open.vnn;
    record.uid = open.uid;
    return record;
}

// NumOpens, and the open-file records. smbstatus lists opens by process (server_id) and uid, not
// by session, and one process (one client connection) can carry several sessions. An open counts
// for each session of its process whose uid is the open's (or unknown on either side). An open
// whose uid matches none of them still belongs to that connection and ends with it, so it counts
// for all of the process' sessions. Sessions that cannot be told apart therefore share their opens'
// count: the count can be too high, never too low, which is the safe side for the open-files guard.
std::vector<OpenFileRecord> attribute_opens(std::vector<SessionRecord>& sessions, std::vector<SmbstatusOpen>& opens,
                                            std::string_view local_node_name, Clock::time_point document_time) {
    std::map<ProcessKey, std::vector<SessionRecord*>> sessions_of_process;
    for (SessionRecord& session : sessions) {
        session.num_opens = 0;
        sessions_of_process[{session.samba_server_id->vnn, session.samba_server_id->pid}].push_back(&session);
    }
    std::vector<OpenFileRecord> records;
    records.reserve(opens.size());
    std::vector<std::vector<SessionRecord*>> holders_of_open;
    holders_of_open.reserve(opens.size());
    for (SmbstatusOpen& open : opens) {
        std::vector<SessionRecord*>& holders = holders_of_open.emplace_back();
        const auto found = sessions_of_process.find({open.vnn, open.pid});
        if (found != sessions_of_process.end()) {
            const std::vector<SessionRecord*>& candidates = found->second;
            const auto same_user = [&open](const SessionRecord* session) {
                return !open.uid || !session->uid || *open.uid == *session->uid;
            };
            const bool any_same_user = std::any_of(candidates.begin(), candidates.end(), same_user);
            for (SessionRecord* session : candidates) {
                if (any_same_user && !same_user(session)) continue;
                ++*session->num_opens;
                holders.push_back(session);
            }
        }
        records.push_back(open_file_record(std::move(open), holders, local_node_name));
    }
    summarize_open_files(sessions, records, holders_of_open, document_time);
    std::sort(records.begin(), records.end(), [](const OpenFileRecord& a, const OpenFileRecord& b) {
        return std::tie(a.path, a.file_id) < std::tie(b.path, b.file_id);
    });
    return records;
}

}  // namespace

SmbstatusDocument parse_smbstatus_json(std::string_view json_text, std::string_view origin,
                                       const SmbstatusParseOptions& options) {
    SmbstatusParts parts = read_smbstatus_parts(json_text, origin, options.local_node_name);
    SmbstatusDocument result;
    result.timestamp = parts.timestamp;
    result.samba_version = std::move(parts.samba_version);
    result.sessions = std::move(parts.sessions);
    std::sort(result.sessions.begin(), result.sessions.end(),
              [](const SessionRecord& a, const SessionRecord& b) { return a.session_id < b.session_id; });
    // Without tcons or open_files (smbstatus -b, -S, -L print parts) shares, SecondsExists and
    // NumOpens stay absent: unknown, not zero.
    if (parts.tree_connects) apply_tree_connects(result.sessions, *parts.tree_connects, result.timestamp);
    if (parts.opens)
        result.open_files = attribute_opens(result.sessions, *parts.opens, options.local_node_name, result.timestamp);
    return result;
}

}  // namespace smbreaper::sessions
