#include "bench/generator/smbstatus_table.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <sstream>
#include <string_view>
#include <vector>

#include "bench/generator/chunked_output.h"
#include "common/json_writer.h"

namespace smbreaper::bench {
using smbreaper::common::append_json_string;
using smbreaper::sessions::Dialect;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;

namespace {

// The moment every generated document is taken at, so that tables are the same every time.
constexpr std::time_t kTimestamp = 1795510800;  // 2026-11-24T09:00:00Z
constexpr std::size_t kSharedFiles = 40;

std::string quoted(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

// Samba's time format: "2026-11-24T08:59:12.123456+00:00".
std::string samba_time(std::time_t seconds, unsigned microseconds) {
    using namespace std::chrono;
    const sys_seconds at{std::chrono::seconds(seconds)};
    const sys_days day = floor<days>(at);
    const year_month_day date(day);
    const hh_mm_ss<std::chrono::seconds> time(at - day);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%06u+00:00", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()), microseconds);
    return text;
}

std::string server_id(const SambaServerId& id) {
    return "{\"pid\": \"" + std::to_string(id.pid) + "\", \"task_id\": \"0\", \"vnn\": \"" + std::to_string(id.vnn) +
           "\", \"unique_id\": \"" + std::to_string(id.unique_id) + "\"}";
}

std::string_view samba_dialect(Dialect dialect) {
    switch (dialect) {
        case Dialect::Smb2_0_2: return "SMB2_02";
        case Dialect::Smb2_1: return "SMB2_10";
        case Dialect::Smb3_0: return "SMB3_00";
        case Dialect::Smb3_0_2: return "SMB3_02";
        case Dialect::Smb3_1_1: return "SMB3_11";
        case Dialect::Smb1: return "NT1";
    }
    return "SMB3_11";
}

// "ipv4:10.1.2.3:51234" -> "10.1.2.3": what smbstatus shows as remote_machine for SMB2 clients.
std::string_view address_of(std::string_view peer) {
    peer.remove_prefix(peer.find(':') + 1);
    return peer.substr(0, peer.rfind(':'));
}

std::string crypto(std::string_view cipher, bool full, bool partial) {
    return "{\"cipher\": \"" + std::string(full || partial ? cipher : "-") + "\", \"degree\": \"" +
           (full      ? "full"
            : partial ? "partial"
                      : "none") +
           "\"}";
}

void write_session(std::string& out, const SessionRecord& s) {
    const std::string id = std::to_string(s.session_id);
    out += quoted(id) + ": {\"session_id\": " + quoted(id) + ", \"server_id\": " + server_id(*s.samba_server_id) +
           ", \"uid\": " + std::to_string(*s.uid) + ", \"gid\": " + std::to_string(*s.gid) +
           ", \"username\": " + quoted(*s.client_user_name) + ", \"groupname\": " + quoted(*s.group_name) +
           ", \"remote_machine\": " + quoted(address_of(*s.peer_address)) +
           ", \"hostname\": " + quoted(*s.peer_address) + ", \"session_dialect\": \"" +
           std::string(samba_dialect(*s.dialect_revision)) +
           "\", \"encryption\": " + crypto("AES-128-GCM", *s.encrypted, false) +
           ", \"signing\": " + crypto("AES-128-GMAC", *s.signing, !*s.signing) + "}";
}

// One tree connect per share; the first at the session's start (a fraction of a second before
// the whole seconds of SecondsExists, so that the parser's rounding down gives SecondsExists back),
// the others later. Samba draws tcon ids at random but unique on the server; here they grow by
// random steps from `next_id`.
void write_tcons(std::string& out, const SessionRecord& s, Random& random, std::uint64_t& next_id, bool& first) {
    const std::time_t started = kTimestamp - static_cast<std::time_t>(*s.seconds_exists);
    for (std::size_t i = 0; i < s.shares->size(); ++i) {
        next_id += random.between(1, 9);
        const std::string tcon_id = std::to_string(next_id);
        const std::time_t connected = i == 0 ? started - 1 : started + static_cast<std::time_t>(random.below(60));
        if (!first) out += ", ";
        first = false;
        out += quoted(tcon_id) + ": {\"service\": " + quoted((*s.shares)[i]) +
               ", \"server_id\": " + server_id(*s.samba_server_id) + ", \"tcon_id\": " + quoted(tcon_id) +
               ", \"session_id\": " + quoted(std::to_string(s.session_id)) +
               ", \"machine\": " + quoted(address_of(*s.peer_address)) + ", \"connected_at\": " +
               quoted(samba_time(connected, static_cast<unsigned>(random.between(1, 999'999)))) +
               ", \"encryption\": " + crypto("AES-128-GCM", *s.encrypted, false) +
               ", \"signing\": " + crypto("AES-128-GMAC", *s.signing, false) + "}";
    }
}

// One entry of a file's "opens", with every detail Samba prints for a read-write open.
std::string open_entry(const SessionRecord& s, std::uint64_t share_file_id, std::time_t opened) {
    const std::string key = std::to_string(s.samba_server_id->pid) + "/" + std::to_string(share_file_id);
    return quoted(key) + ": {\"server_id\": " + server_id(*s.samba_server_id) + ", \"uid\": " + std::to_string(*s.uid) +
           ", \"share_file_id\": \"" + std::to_string(share_file_id) +
           "\", \"sharemode\": {\"hex\": \"0x00000003\", \"READ\": true, \"WRITE\": true, \"DELETE\": false, "
           "\"text\": \"RW\"}, \"access_mask\": {\"hex\": \"0x00000003\", \"READ_DATA\": true, \"WRITE_DATA\": true, "
           "\"APPEND_DATA\": false, \"READ_EA\": false, \"WRITE_EA\": false, \"EXECUTE\": false, "
           "\"READ_ATTRIBUTES\": false, \"WRITE_ATTRIBUTES\": false, \"DELETE_CHILD\": false, \"DELETE\": false, "
           "\"READ_CONTROL\": false, \"WRITE_DAC\": false, \"SYNCHRONIZE\": false, \"ACCESS_SYSTEM_SECURITY\": false, "
           "\"text\": \"RW\"}, \"caching\": {\"READ\": false, \"WRITE\": false, \"HANDLE\": false, \"hex\": "
           "\"0x00000000\", \"text\": \"\"}, \"oplock\": {}, \"lease\": {}, \"opened_at\": " +
           quoted(samba_time(opened, 0)) + "}";
}

std::string file_entry(std::string_view share, const std::string& name, std::uint64_t inode, const std::string& opens) {
    const std::string service_path = "/srv/samba/" + std::string(share);
    return quoted(service_path + "/" + name) + ": {\"service_path\": " + quoted(service_path) +
           ", \"filename\": " + quoted(name) + ", \"fileid\": {\"devid\": 65024, \"inode\": " + std::to_string(inode) +
           ", \"extid\": 0}, \"num_pending_deletes\": 0, \"opens\": {" + opens + "}}";
}

}  // namespace

void write_smbstatus_table(std::ostream& out, const SmbstatusTableOptions& options) {
    std::string chunk = "{\"timestamp\": \"" + samba_time(kTimestamp, 0).replace(26, 6, "+0000") +
                        "\", \"version\": \"4.17.12-Debian\", \"smb_conf\": \"/etc/samba/smb.conf\", \"sessions\": {";
    {
        SessionMix mix(options.seed);
        for (std::size_t i = 0; i < options.sessions; ++i) {
            if (i > 0) chunk += ", ";
            write_session(chunk, mix.next());
            write_chunk_if_large(out, chunk);
        }
    }
    chunk += "}, \"tcons\": {";
    {
        SessionMix mix(options.seed);
        Random random(options.seed ^ 0x7C0A5ull);
        std::uint64_t next_id = 40'000'000;
        bool first = true;
        for (std::size_t i = 0; i < options.sessions; ++i) {
            write_tcons(chunk, mix.next(), random, next_id, first);
            write_chunk_if_large(out, chunk);
        }
    }
    chunk += "}, \"open_files\": {";
    {
        SessionMix mix(options.seed);
        Random random(options.seed ^ 0x0FE45ull);
        std::vector<std::string> shared_opens(kSharedFiles);  // the opens of each shared file
        std::uint64_t inode = 5'000'000;
        std::uint64_t share_file_id = 0;  // per process in Samba; unique here, so opens never clash
        bool first = true;
        for (std::size_t i = 0; i < options.sessions; ++i) {
            const SessionRecord s = mix.next();
            const std::time_t started = kTimestamp - static_cast<std::time_t>(*s.seconds_exists);
            for (std::uint64_t open = 1; open <= *s.num_opens; ++open) {
                const std::time_t opened = started + static_cast<std::time_t>(random.below(*s.seconds_exists + 1));
                const std::string entry = open_entry(s, ++share_file_id, opened);
                if (random.percent(20)) {
                    std::string& opens = shared_opens[random.below(kSharedFiles)];
                    if (!opens.empty()) opens += ", ";
                    opens += entry;
                    continue;
                }
                const std::string_view share = (*s.shares)[random.below(s.shares->size())];
                const std::string name =
                    "dept" + std::to_string(random.below(100)) + "/doc-" + std::to_string(inode) + ".docx";
                if (!first) chunk += ", ";
                first = false;
                chunk += file_entry(share, name, inode++, entry);
                write_chunk_if_large(out, chunk);
            }
        }
        for (std::size_t file = 0; file < kSharedFiles; ++file) {
            if (shared_opens[file].empty()) continue;
            if (!first) chunk += ", ";
            first = false;
            chunk +=
                file_entry("finance", "ledger-" + std::to_string(file) + ".xlsx", 4'000'000 + file, shared_opens[file]);
            write_chunk_if_large(out, chunk);
        }
    }
    chunk += "}}\n";
    write_chunk(out, chunk);
}

std::string smbstatus_table(const SmbstatusTableOptions& options) {
    std::ostringstream out;
    write_smbstatus_table(out, options);
    return std::move(out).str();
}

}  // namespace smbreaper::bench
