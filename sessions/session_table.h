#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/phase_timing.h"
#include "sessions/block_target.h"
#include "sessions/open_file_record.h"
#include "sessions/session_record.h"

namespace smbreaper::sessions {

// A session table read at one moment.
struct SessionSnapshot {
    std::vector<SessionRecord> sessions;
    std::chrono::system_clock::time_point taken_at;
    common::PhaseTimings phases;  // how long reading it took, step by step, when the source measures that
    // The files the sessions hold open, read at the same moment; absent when the source did not
    // read them (then nothing is known about them, which is not the same as none).
    std::optional<std::vector<OpenFileRecord>> open_files;
};

enum class CloseOutcome { Closed, Vanished, Failed };

struct CloseResult {
    CloseOutcome outcome = CloseOutcome::Failed;
    std::string detail;  // why it failed, or what was observed
};

// What kind of failure a SourceError is, for the metrics (smbreaper_source_errors_total{kind}).
enum class SourceErrorKind {
    Unavailable,  // the server or the management service does not answer (smbd down, WMI unreachable)
    Timeout,      // a bounded call ran past its bound
    Failed,       // a program or call failed (an exit status, an error code)
    Malformed,    // the answer could not be read (syntax, types, nesting, encoding)
};
std::string_view to_string(SourceErrorKind kind);  // "unavailable", "timeout", "failed", "malformed"

// Thrown by a source that cannot produce a trustworthy table (server down, program failed,
// unreadable file). Callers close nothing when they catch it.
class SourceError : public std::runtime_error {
public:
    explicit SourceError(const std::string& message, SourceErrorKind kind = SourceErrorKind::Failed)
        : std::runtime_error(message), kind_(kind) {}
    SourceErrorKind kind() const noexcept { return kind_; }

private:
    SourceErrorKind kind_;
};

// Where session records come from and how they are ended: Samba, WMI, or a snapshot file.
class SessionTable {
public:
    virtual ~SessionTable() = default;

    // A short name for logs and the audit trail: "samba", "wmi", "snapshot".
    virtual std::string name() const = 0;

    // The whole table now. Throws SourceError when it cannot be read.
    virtual SessionSnapshot list() = 0;

    // Ends one session. "Vanished" when it was already gone; "Failed" with the reason otherwise.
    // Must be safe to call from several threads at once (`smbreaper close --throttle-limit`);
    // list() is never called while a close() runs.
    virtual CloseResult close(const SessionRecord& session) = 0;

    // The files open now, what Get-SmbOpenFile lists. Throws SourceError when they cannot be read,
    // or when the source does not list open files. By default the open files of list().
    virtual std::vector<OpenFileRecord> list_open_files();

    // Ends one open, what Close-SmbOpenFile does; the session stays. "Vanished" when the open was
    // already gone. A source that cannot close single opens says why in its descriptor
    // (SourceDescriptor::cannot_close_files) and Fails here.
    virtual CloseResult close_open_file(const OpenFileRecord& open);

    // Puts exactly `blocks` in force on the server (replacing the set it put in force before; an
    // empty list lifts them all), so that the users and clients named cannot connect again; the
    // sessions they have stay (the caller closes them). Returns warnings about what the server's
    // setup leaves open. Throws SourceError when it cannot; by default, a source with no way to
    // keep anyone out says so.
    virtual std::vector<std::string> enforce_blocks(const std::vector<BlockTarget>& blocks);
    // Why this source's mechanism cannot hold `target` (a name it cannot write), or nothing.
    virtual std::optional<std::string> block_problem(const BlockTarget& target) const;
    // What in the server's setup keeps blocks from working, for `check` (none by default).
    // Throws SourceError when the setup cannot be read.
    virtual std::vector<std::string> block_setup_problems() { return {}; }

    // Called from any thread when the service is stopping: a list() or close() waiting on another
    // service (WMI) gives up within a fraction of a second, failing with what it was doing, and
    // later calls fail at once. A source whose calls are all bounded by their own timeouts (the
    // Samba programs, a snapshot file) needs nothing more.
    virtual void stop_waiting() {}
};

}  // namespace smbreaper::sessions
