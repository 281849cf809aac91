#include "sessions/snapshot/snapshot_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/json_writer.h"
#include "common/regular_file.h"
#include "sessions/connection_key.h"
#include "sessions/json_input.h"
#include "sessions/open_file_json.h"
#include "sessions/session_json.h"
#include "sessions/snapshot/windows_open_files_reader.h"
#include "sessions/snapshot/windows_snapshot_reader.h"

namespace smbreaper::sessions {
using smbreaper::common::FileReadError;
using smbreaper::common::JsonWriter;
using smbreaper::common::read_regular_file;
using smbreaper::common::replace_file_atomically;

namespace {

namespace fs = std::filesystem;

// Notes the member names of the top-level object and stops the parse once they show the format.
class TopLevelMemberNames final : public nlohmann::json_sax<nlohmann::json> {
public:
    bool has_sessions = false;
    bool has_smbstatus_header = false;  // "version" or "timestamp"

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return ++depth_ <= max_json_nesting; }
    bool start_array(std::size_t) override { return ++depth_ <= max_json_nesting; }
    bool end_object() override { return --depth_, true; }
    bool end_array() override { return --depth_, true; }
    bool key(string_t& name) override {
        if (depth_ == 1) {
            has_sessions = has_sessions || name == "sessions";
            has_smbstatus_header = has_smbstatus_header || name == "version" || name == "timestamp";
        }
        return !(has_sessions && has_smbstatus_header);  // false ends the parse: the format is known
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
    std::size_t depth_ = 0;
};

std::string read_whole_file(const fs::path& path) {
    try {
        return read_regular_file(path, "the snapshot file", kMaxSnapshotBytes);
    } catch (const FileReadError& error) {
        throw SourceError(error.what());
    }
}

std::chrono::system_clock::time_point modification_time(const fs::path& path) {
    std::error_code error;
    const fs::file_time_type modified = fs::last_write_time(path, error);
    if (error) throw SourceError(path.string() + ": cannot read its modification time: " + error.message());
    return std::chrono::time_point_cast<std::chrono::system_clock::duration>(std::chrono::file_clock::to_sys(modified));
}

}  // namespace

SnapshotFormat detect_snapshot_format(std::string_view json) {
    const std::string_view text = skip_utf8_bom(json);
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return SnapshotFormat::Windows;
    if (looks_like_open_files(text)) return SnapshotFormat::WindowsOpenFiles;
    if (text[first] != '{') return SnapshotFormat::Windows;
    TopLevelMemberNames names;
    nlohmann::json::sax_parse(text.begin(), text.end(), &names);
    return names.has_sessions && names.has_smbstatus_header ? SnapshotFormat::Smbstatus : SnapshotFormat::Windows;
}

SessionSnapshot read_snapshot_file(const fs::path& path, const SmbstatusParseOptions& samba_options) {
    const std::string contents = read_whole_file(path);
    const std::string origin = path.string();
    SessionSnapshot snapshot;
    switch (detect_snapshot_format(contents)) {
        case SnapshotFormat::Smbstatus: {
            SmbstatusDocument document = parse_smbstatus_json(contents, origin, samba_options);
            snapshot.sessions = std::move(document.sessions);
            snapshot.open_files = std::move(document.open_files);
            snapshot.taken_at = document.timestamp;
            break;
        }
        case SnapshotFormat::Windows:
            snapshot.sessions = parse_windows_sessions_json(contents, origin);
            snapshot.taken_at = modification_time(path);
            break;
        case SnapshotFormat::WindowsOpenFiles:
            throw SourceError(origin +
                                  ": this is a list of open files (Get-SmbOpenFile), not of sessions: `smbreaper files "
                                  "--source snapshot:" +
                                  origin + "` lists them",
                              SourceErrorKind::Malformed);
    }
    return snapshot;
}

std::vector<OpenFileRecord> read_open_files_file(const fs::path& path, const SmbstatusParseOptions& samba_options) {
    const std::string contents = read_whole_file(path);
    const std::string origin = path.string();
    switch (detect_snapshot_format(contents)) {
        case SnapshotFormat::WindowsOpenFiles: return parse_windows_open_files_json(contents, origin);
        case SnapshotFormat::Smbstatus: {
            SmbstatusDocument document = parse_smbstatus_json(contents, origin, samba_options);
            if (!document.open_files) {
                throw SourceError(origin +
                                      ": this smbstatus document has no \"open_files\" (smbstatus --json "
                                      "prints them unless told to print only some parts)",
                                  SourceErrorKind::Malformed);
            }
            return std::move(*document.open_files);
        }
        case SnapshotFormat::Windows:
            // An empty list is no open files; a list of sessions is the wrong export.
            if (parse_windows_sessions_json(contents, origin).empty()) return {};
            throw SourceError(origin +
                                  ": this is a list of sessions (Get-SmbSession), which says nothing about open files: "
                                  "export Get-SmbOpenFile | Select-Object * | ConvertTo-Json instead",
                              SourceErrorKind::Malformed);
    }
    return {};
}

std::string to_windows_snapshot_json(const std::vector<SessionRecord>& sessions) {
    std::string out;
    out.reserve(sessions.size() * 400 + 4);
    out += '[';
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        JsonWriter json(out);
        json.begin_object();
        write_session_properties(json, sessions[i]);
        json.end_object();
    }
    out += sessions.empty() ? "]\n" : "\n]\n";
    return out;
}

SnapshotSessionTable::SnapshotSessionTable(fs::path file, SmbstatusParseOptions samba_options)
    : file_(std::move(file)), samba_options_(std::move(samba_options)) {}

SessionSnapshot SnapshotSessionTable::list() { return read_snapshot_file(file_, samba_options_); }

std::vector<OpenFileRecord> SnapshotSessionTable::list_open_files() {
    return read_open_files_file(file_, samba_options_);
}

std::filesystem::path SnapshotSessionTable::blocks_file_of(const std::filesystem::path& snapshot_file) {
    std::filesystem::path file = snapshot_file;
    file += ".blocks.json";
    return file;
}

std::vector<std::string> SnapshotSessionTable::enforce_blocks(const std::vector<BlockTarget>& blocks) {
    std::string text;
    JsonWriter json(text);
    json.begin_array();
    for (const BlockTarget& block : blocks) {
        json.begin_object();
        json.key("target").value(to_string(block.kind));
        json.key("name").value(block.name);
        if (!block.shares.empty()) {
            json.key("shares").begin_array();
            for (const std::string& share : block.shares) json.value(share);
            json.end_array();
        }
        json.end_object();
    }
    json.end_array();
    text.push_back('\n');
    try {
        replace_file_atomically(blocks_file_of(file_), text);
    } catch (const std::exception& error) {
        throw SourceError(error.what());
    }
    return {};
}

CloseResult SnapshotSessionTable::close_open_file(const OpenFileRecord& open) {
    const std::lock_guard<std::mutex> one_close_at_a_time(close_mutex_);
    std::vector<OpenFileRecord> opens;
    try {
        const std::string contents = read_whole_file(file_);
        if (detect_snapshot_format(contents) != SnapshotFormat::WindowsOpenFiles) {
            return {CloseOutcome::Failed, file_.string() +
                                              " is not a list of open files (Get-SmbOpenFile): "
                                              "only such a file can have one open removed"};
        }
        opens = parse_windows_open_files_json(contents, file_.string());
    } catch (const SourceError& error) {
        return {CloseOutcome::Failed, error.what()};
    }
    const auto removed =
        std::erase_if(opens, [&open](const OpenFileRecord& record) { return record.file_id == open.file_id; });
    if (removed == 0) return {CloseOutcome::Vanished, "FileId " + open.file_id + " is no longer in " + file_.string()};
    try {
        std::vector<const OpenFileRecord*> remaining;
        remaining.reserve(opens.size());
        for (const OpenFileRecord& record : opens) remaining.push_back(&record);
        replace_file_atomically(file_, to_open_files_json(remaining));
    } catch (const std::exception& error) {
        return {CloseOutcome::Failed, error.what()};
    }
    return {CloseOutcome::Closed, "FileId " + open.file_id + " removed from " + file_.string()};
}

CloseResult SnapshotSessionTable::close(const SessionRecord& session) {
    const std::string id = std::to_string(session.session_id);
    const std::lock_guard<std::mutex> one_close_at_a_time(close_mutex_);
    SessionSnapshot snapshot;
    try {
        snapshot = read_snapshot_file(file_, samba_options_);
    } catch (const SourceError& error) {
        return {CloseOutcome::Failed, error.what()};
    }
    // The connection as the file records it (the caller's record may be older).
    const auto recorded =
        std::find_if(snapshot.sessions.begin(), snapshot.sessions.end(),
                     [&session](const SessionRecord& record) { return record.session_id == session.session_id; });
    const std::string connection = recorded == snapshot.sessions.end() ? std::string() : connection_key(*recorded);
    const auto removed = std::erase_if(snapshot.sessions, [&session, &connection](const SessionRecord& record) {
        return record.session_id == session.session_id || connection_key(record) == connection;
    });
    if (removed == 0) return {CloseOutcome::Vanished, "SessionId " + id + " is no longer in " + file_.string()};
    try {
        replace_file_atomically(file_, to_windows_snapshot_json(snapshot.sessions));
    } catch (const std::exception& error) {
        return {CloseOutcome::Failed, error.what()};
    }
    return {CloseOutcome::Closed, "SessionId " + id + " removed from " + file_.string()};
}

}  // namespace smbreaper::sessions
