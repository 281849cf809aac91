#include "sessions/samba/smbstatus_parser.h"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "sessions/json_input.h"
#include "sessions/samba/smbstatus_time.h"
#include "sessions/session_table.h"

namespace smbreaper {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr std::uint32_t not_clustered_vnn = 0xFFFFFFFFu;

// An smbd process. Pids are unique only on one cluster node, so the node is part of the key.
using ProcessKey = std::pair<std::uint32_t /*vnn*/, std::uint64_t /*pid*/>;

// What the document's tree connects say about one session.
struct TconSummary {
    std::vector<std::string> shares;
    Clock::time_point first_connected_at = Clock::time_point::max();
};

// One entry of open_files[*].opens.
struct Open {
    ProcessKey process;
    std::optional<std::uint32_t> uid;
};

std::string describe(const json& value) {
    switch (value.type()) {
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return quote_for_message(value.get_ref<const std::string&>());
        default: return value.dump();
    }
}

// Reads typed values out of the DOM; every error names the document and the value's JSON path.
class DocumentReader {
public:
    explicit DocumentReader(std::string_view origin) : origin_(origin) {}

    [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
        throw SourceError(std::string(origin_) + ": " + (path.empty() ? "(the document)" : path) + ": " + problem);
    }

    void expect_object(const json& value, const std::string& path) const {
        if (!value.is_object()) fail(path, "expected an object, got " + describe(value));
    }

    const json& member(const json& object, const std::string& path, std::string_view key) const {
        const json* found = optional_member(object, key);
        if (found == nullptr) fail(path, "the member \"" + std::string(key) + "\" is missing");
        return *found;
    }

    // nullptr when the member is missing or null.
    static const json* optional_member(const json& object, std::string_view key) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) return nullptr;
        return &*it;
    }

    std::string text(const json& value, const std::string& path) const {
        if (!value.is_string()) fail(path, "expected a string, got " + describe(value));
        return value.get<std::string>();
    }

    // Samba prints most identifiers as decimal strings; a plain number is accepted too.
    std::uint64_t whole_number(const json& value, const std::string& path,
                               std::uint64_t largest = std::numeric_limits<std::uint64_t>::max()) const {
        std::optional<std::uint64_t> number;
        if (value.is_number_unsigned()) number = value.get<std::uint64_t>();
        if (value.is_string()) number = parse_decimal_u64(value.get_ref<const std::string&>());
        if (!number || *number > largest) {
            fail(path, expected_whole_number(largest) + ", got " + describe(value));
        }
        return *number;
    }

    // uid and gid: Samba prints uid_t and gid_t through a C int, so ids above 2147483647 appear
    // negative; they are turned back into the 32-bit id. -1 (4294967295) is "no id": nullopt.
    std::optional<std::uint32_t> unix_id(const json& value, const std::string& path) const {
        std::optional<std::uint32_t> id;
        if (value.is_number_unsigned() && value.get<std::uint64_t>() <= 0xFFFFFFFFu) {
            id = static_cast<std::uint32_t>(value.get<std::uint64_t>());
        } else if (value.is_number_integer() && !value.is_number_unsigned() &&
                   value.get<std::int64_t>() >= std::numeric_limits<std::int32_t>::min()) {
            id = static_cast<std::uint32_t>(static_cast<std::int32_t>(value.get<std::int64_t>()));
        } else {
            fail(path, "expected a uid or gid (a whole number from -2147483648 to 4294967295), got " +
                           describe(value));
        }
        if (*id == 0xFFFFFFFFu) return std::nullopt;
        return id;
    }

    // username and groupname: a name, or the numeric id when Samba could not resolve it.
    std::string account_name(const json& value, const std::string& path) const {
        if (value.is_number_integer()) return value.dump();
        return text(value, path);
    }

    Clock::time_point time(const json& value, const std::string& path) const {
        const std::optional<Clock::time_point> parsed = parse_smbstatus_time(text(value, path));
        if (!parsed) {
            fail(path, "expected a time such as \"2026-11-23T23:56:06.193829+0000\", got " + describe(value));
        }
        return *parsed;
    }

    ProcessKey process(const json& server_id, const std::string& path) const {
        expect_object(server_id, path);
        const std::uint64_t pid = whole_number(member(server_id, path, "pid"), json_member_path(path, "pid"));
        const auto vnn = static_cast<std::uint32_t>(
            whole_number(member(server_id, path, "vnn"), json_member_path(path, "vnn"), 0xFFFFFFFFu));
        return {vnn, pid};
    }

private:
    std::string_view origin_;
};

// encryption.degree and signing.degree: "none", "partial", "full" (and "anonymous" since 4.20).
// Only "full" counts as encrypted or signed. "partial" means the session has seen both protected
// and unprotected packets: with SMB 3.1.1 clients that sign only what the protocol demands (the
// session setup) it is Samba's normal state, while the file traffic itself is unsigned; a rule
// asking `signed: true` must not take that for a signed session. "anonymous" protects with a key
// anyone can derive, so it is not protection either. An unknown degree leaves the value absent.
std::optional<bool> protected_fully(const DocumentReader& reader, const json& session, const std::string& path,
                                    std::string_view member_name) {
    const json* crypto = DocumentReader::optional_member(session, member_name);
    if (crypto == nullptr) return std::nullopt;
    const std::string crypto_path = json_member_path(path, member_name);
    reader.expect_object(*crypto, crypto_path);
    const std::string degree =
        reader.text(reader.member(*crypto, crypto_path, "degree"), json_member_path(crypto_path, "degree"));
    if (degree == "full") return true;
    if (degree == "none" || degree == "partial" || degree == "anonymous") return false;
    return std::nullopt;
}

SessionRecord read_session(const DocumentReader& reader, const json& session, const std::string& path,
                           const SmbstatusParseOptions& options) {
    reader.expect_object(session, path);
    const auto member_path = [&path](std::string_view key) { return json_member_path(path, key); };
    const auto required = [&](std::string_view key) -> const json& { return reader.member(session, path, key); };

    SessionRecord record;
    record.session_id = reader.whole_number(required("session_id"), member_path("session_id"));

    const json& server_id = required("server_id");
    const ProcessKey process = reader.process(server_id, member_path("server_id"));
    SambaServerId samba_id;
    samba_id.vnn = process.first;
    samba_id.pid = process.second;
    samba_id.unique_id = reader.whole_number(reader.member(server_id, member_path("server_id"), "unique_id"),
                                             json_member_path(member_path("server_id"), "unique_id"));
    record.samba_server_id = samba_id;
    record.cluster_node_name =
        samba_id.vnn == not_clustered_vnn ? options.local_node_name : std::to_string(samba_id.vnn);

    record.client_user_name = reader.account_name(required("username"), member_path("username"));
    if (const json* group = DocumentReader::optional_member(session, "groupname")) {
        record.group_name = reader.account_name(*group, member_path("groupname"));
    }
    if (const json* uid = DocumentReader::optional_member(session, "uid")) {
        record.uid = reader.unix_id(*uid, member_path("uid"));
    }
    if (const json* gid = DocumentReader::optional_member(session, "gid")) {
        record.gid = reader.unix_id(*gid, member_path("gid"));
    }
    record.client_computer_name = reader.text(required("remote_machine"), member_path("remote_machine"));
    record.peer_address = reader.text(required("hostname"), member_path("hostname"));

    const std::string dialect = reader.text(required("session_dialect"), member_path("session_dialect"));
    record.dialect_revision = parse_dialect(dialect);
    record.dialect = record.dialect_revision ? std::string(windows_spelling(*record.dialect_revision)) : dialect;

    record.encrypted = protected_fully(reader, session, path, "encryption");
    record.signing = protected_fully(reader, session, path, "signing");
    record.scope_name = "*";
    record.transport_name = "tcp";
    record.smb_instance = SmbInstance::Default;
    return record;
}

std::unordered_map<std::uint64_t, TconSummary> read_tcons(const DocumentReader& reader, const json& tcons) {
    reader.expect_object(tcons, "tcons");
    std::unordered_map<std::uint64_t, TconSummary> by_session;
    for (const auto& [key, tcon] : tcons.items()) {
        const std::string path = json_member_path("tcons", key);
        reader.expect_object(tcon, path);
        const std::uint64_t session_id =
            reader.whole_number(reader.member(tcon, path, "session_id"), json_member_path(path, "session_id"));
        TconSummary& summary = by_session[session_id];
        summary.shares.push_back(reader.text(reader.member(tcon, path, "service"), json_member_path(path, "service")));
        const Clock::time_point connected_at =
            reader.time(reader.member(tcon, path, "connected_at"), json_member_path(path, "connected_at"));
        summary.first_connected_at = std::min(summary.first_connected_at, connected_at);
    }
    for (auto& [session_id, summary] : by_session) {
        std::sort(summary.shares.begin(), summary.shares.end());
        summary.shares.erase(std::unique(summary.shares.begin(), summary.shares.end()), summary.shares.end());
    }
    return by_session;
}

std::vector<Open> read_opens(const DocumentReader& reader, const json& open_files) {
    reader.expect_object(open_files, "open_files");
    std::vector<Open> opens;
    for (const auto& [file_key, file] : open_files.items()) {
        const std::string file_path = json_member_path("open_files", file_key);
        reader.expect_object(file, file_path);
        const json& file_opens = reader.member(file, file_path, "opens");
        const std::string opens_path = json_member_path(file_path, "opens");
        reader.expect_object(file_opens, opens_path);
        for (const auto& [open_key, open] : file_opens.items()) {
            const std::string path = json_member_path(opens_path, open_key);
            reader.expect_object(open, path);
            Open entry;
            entry.process = reader.process(reader.member(open, path, "server_id"), json_member_path(path, "server_id"));
            if (const json* uid = DocumentReader::optional_member(open, "uid")) {
                entry.uid = reader.unix_id(*uid, json_member_path(path, "uid"));
            }
            opens.push_back(entry);
        }
    }
    return opens;
}

// NumOpens. smbstatus lists opens by process (server_id) and uid, not by session, and one process
// (one client connection) can carry several sessions. An open counts for each session of its
// process whose uid is the open's (or unknown on either side). An open whose uid matches none of
// them still belongs to that connection and ends with it, so it counts for all of the process'
// sessions. Sessions that cannot be told apart therefore share their opens' count: the count can
// be too high, never too low, which is the safe side for the open-files guard.
void count_opens(std::vector<SessionRecord>& sessions, const std::vector<Open>& opens) {
    std::map<ProcessKey, std::vector<SessionRecord*>> sessions_of_process;
    for (SessionRecord& session : sessions) {
        session.num_opens = 0;
        sessions_of_process[{session.samba_server_id->vnn, session.samba_server_id->pid}].push_back(&session);
    }
    for (const Open& open : opens) {
        const auto found = sessions_of_process.find(open.process);
        if (found == sessions_of_process.end()) continue;
        const std::vector<SessionRecord*>& candidates = found->second;
        const auto same_user = [&open](const SessionRecord* session) {
            return !open.uid || !session->uid || *open.uid == *session->uid;
        };
        const bool any_same_user = std::any_of(candidates.begin(), candidates.end(), same_user);
        for (SessionRecord* session : candidates) {
            if (!any_same_user || same_user(session)) ++*session->num_opens;
        }
    }
}

std::uint32_t whole_seconds_between(Clock::time_point earlier, Clock::time_point later) {
    // In microseconds: the clock's own ticks (nanoseconds) could overflow between extreme times.
    using std::chrono::microseconds;
    const auto difference = std::chrono::floor<microseconds>(later) - std::chrono::floor<microseconds>(earlier);
    const long long seconds = std::chrono::floor<std::chrono::seconds>(difference).count();
    if (seconds <= 0) return 0;
    return static_cast<std::uint32_t>(std::min<long long>(seconds, 0xFFFFFFFFLL));
}

// Of an open file, only which processes (and uids) hold it open matters here. Share modes, access
// masks, leases and the like stay out of the document tree: on a busy server they are most of it.
bool needed_by_parser(std::string_view top_level_member, std::size_t depth, std::string_view key) {
    if (top_level_member != "open_files") return true;
    if (depth == 3) return key == "opens";                      // open_files[FILE].KEY
    if (depth == 5) return key == "server_id" || key == "uid";  // open_files[FILE].opens[ID].KEY
    return true;
}

}  // namespace

SmbstatusDocument parse_smbstatus_json(std::string_view json_text, std::string_view origin,
                                       const SmbstatusParseOptions& options) {
    const json document = parse_json_document(json_text, origin, needed_by_parser);
    const DocumentReader reader(origin);
    reader.expect_object(document, "");

    SmbstatusDocument result;
    result.timestamp = reader.time(reader.member(document, "", "timestamp"), "timestamp");
    if (const json* version = DocumentReader::optional_member(document, "version")) {
        result.samba_version = reader.text(*version, "version");
    }
    const json* sessions = DocumentReader::optional_member(document, "sessions");
    if (sessions == nullptr) {
        reader.fail("", "no \"sessions\" member: this is not a session list (smbstatus prints such a stub "
                        "when it is not run as root)");
    }
    reader.expect_object(*sessions, "sessions");

    std::unordered_set<std::uint64_t> session_ids;
    for (const auto& [key, session] : sessions->items()) {
        const std::string path = json_member_path("sessions", key);
        SessionRecord record = read_session(reader, session, path, options);
        if (!session_ids.insert(record.session_id).second) {
            reader.fail(json_member_path(path, "session_id"),
                        "session_id " + std::to_string(record.session_id) + " appears twice");
        }
        result.sessions.push_back(std::move(record));
    }
    std::sort(result.sessions.begin(), result.sessions.end(),
              [](const SessionRecord& a, const SessionRecord& b) { return a.session_id < b.session_id; });

    // Without tcons or open_files (smbstatus -b, -S, -L print parts) shares, SecondsExists and
    // NumOpens stay absent: unknown, not zero.
    if (const json* tcons = DocumentReader::optional_member(document, "tcons")) {
        const auto tcons_of_session = read_tcons(reader, *tcons);
        for (SessionRecord& session : result.sessions) {
            const auto found = tcons_of_session.find(session.session_id);
            if (found == tcons_of_session.end()) {
                session.shares.emplace();
                continue;
            }
            session.shares = found->second.shares;
            session.seconds_exists = whole_seconds_between(found->second.first_connected_at, result.timestamp);
        }
    }
    if (const json* open_files = DocumentReader::optional_member(document, "open_files")) {
        count_opens(result.sessions, read_opens(reader, *open_files));
    }
    return result;
}

}  // namespace smbreaper
