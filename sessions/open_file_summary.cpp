#include "sessions/open_file_summary.h"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace smbreaper::sessions {

void summarize_open_files(std::vector<SessionRecord>& sessions, const std::vector<OpenFileRecord>& opens,
                          const std::vector<std::vector<SessionRecord*>>& holders,
                          std::chrono::system_clock::time_point taken_at) {
    for (SessionRecord& session : sessions) {
        session.write_opens = 0;
        session.oldest_open_seconds = 0;
        session.open_paths.emplace();
    }
    std::set<const SessionRecord*> time_unknown;
    std::set<const SessionRecord*> path_unknown;
    std::unordered_map<const SessionRecord*, std::uint64_t> listed;
    for (std::size_t i = 0; i < opens.size() && i < holders.size(); ++i) {
        const OpenFileRecord& open = opens[i];
        const std::optional<bool> may_write = writes(open);
        const auto since = open_since(open);
        const std::optional<std::string>& path = open.share_relative_path ? open.share_relative_path : open.path;
        for (SessionRecord* session : holders[i]) {
            ++listed[session];
            if (may_write != false) ++*session->write_opens;
            if (path)
                session->open_paths->push_back(*path);
            else
                path_unknown.insert(session);
            if (!since) {
                time_unknown.insert(session);
                continue;
            }
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(taken_at - *since).count();
            const auto clamped = static_cast<std::uint32_t>(std::clamp<long long>(seconds, 0, 0xFFFFFFFFLL));
            session->oldest_open_seconds = std::max(*session->oldest_open_seconds, clamped);
        }
    }
    for (SessionRecord& session : sessions) {
        // Fewer opens listed than the session holds (Windows counts NumOpens apart from listing
        // MSFT_SmbOpenFile): what the missing ones would say is unknown.
        if (!session.num_opens || listed[&session] < *session.num_opens) {
            session.write_opens.reset();
            session.oldest_open_seconds.reset();
            session.open_paths.reset();
            continue;
        }
        if (time_unknown.count(&session)) session.oldest_open_seconds.reset();
        if (path_unknown.count(&session)) {
            session.open_paths.reset();
            continue;
        }
        std::vector<std::string>& paths = *session.open_paths;
        std::sort(paths.begin(), paths.end());
        paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    }
}

void summarize_open_files_by_session_id(std::vector<SessionRecord>& sessions, const std::vector<OpenFileRecord>& opens,
                                        std::chrono::system_clock::time_point taken_at) {
    std::unordered_map<std::uint64_t, SessionRecord*> by_id;
    for (SessionRecord& session : sessions) by_id.emplace(session.session_id, &session);
    std::vector<std::vector<SessionRecord*>> holders(opens.size());
    for (std::size_t i = 0; i < opens.size(); ++i) {
        if (!opens[i].session_id) continue;
        if (const auto found = by_id.find(*opens[i].session_id); found != by_id.end()) holders[i] = {found->second};
    }
    summarize_open_files(sessions, opens, holders, taken_at);
}

std::vector<OpenFileRecord> opens_held_by(const SessionRecord& session, const std::vector<OpenFileRecord>& opens) {
    std::vector<OpenFileRecord> held;
    for (const OpenFileRecord& open : opens) {
        const bool named = open.session_id == session.session_id;
        const bool same_process = !open.session_id && session.samba_server_id && open.samba_pid &&
                                  *open.samba_pid == session.samba_server_id->pid &&
                                  open.samba_vnn == session.samba_server_id->vnn;
        if (named || same_process) held.push_back(open);
    }
    return held;
}

}  // namespace smbreaper::sessions
