#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/open_file_record.h"
#include "sessions/session_record.h"

namespace smbreaper::storage {

// What an entry records: a decision about one session, or something that happened to the service.
enum class EntryKind {
    Closure,         // a session closed, about to be closed, or that would be closed
    Start,           // the service started
    Stop,            // the service stopped
    PolicyLoaded,    // a policy was loaded (and is now in force)
    PolicyRejected,  // a policy failed validation; the previous one stays in force
    LimitTripped,    // a safety limit stopped a cycle from closing sessions
    SourceError,     // the session table could not be read
    Pruned,          // old entries were removed (written by the store itself, see AuditStore::prune_before)
    BlockSet,        // an incident block was put in force (storage/block_entry.h); its seq is the block's id
    BlockLifted,     // a block ended, expired or lifted by a person; resolves_entry is its block-set entry
};

// The outcome of a closure entry.
enum class Outcome {
    Pending,   // written before the session is touched; a later entry resolves it
    Closed,    // the session was closed
    WhatIf,    // the session would have been closed (audit mode or an `action: audit` rule)
    Vanished,  // the session was gone by the time it was to be closed
    Failed,    // closing it failed (error says why)
    Refused,   // it was selected but deliberately not closed (a guard, a limit, a re-check)
};

inline constexpr Outcome kAllOutcomes[] = {Outcome::Pending,  Outcome::Closed, Outcome::WhatIf,
                                           Outcome::Vanished, Outcome::Failed, Outcome::Refused};

// How the service was running when it wrote the entry.
enum class Mode {
    Enforce,  // closing sessions
    Audit,    // recording what it would close
    Manual,   // `smbreaper close` run by a person
};

std::string_view to_string(EntryKind kind);
std::string_view to_string(Outcome outcome);
std::string_view to_string(Mode mode);
std::optional<EntryKind> parse_entry_kind(std::string_view text);
std::optional<Outcome> parse_outcome(std::string_view text);
std::optional<Mode> parse_mode(std::string_view text);

// The session's MSFT_SmbSession columns as the audit table stores them.
struct SessionColumns {
    std::uint64_t session_id = 0;
    std::string client_computer_name;
    std::string client_user_name;
    std::string scope_name;
    std::string cluster_node_name;
    std::string smb_instance;  // "Default", "CSV", "SBL", "SR"
    std::optional<std::int64_t> num_opens;
    std::optional<std::int64_t> seconds_idle;
    std::optional<std::int64_t> seconds_exists;
    std::string dialect;
    std::string transport_name;
};

SessionColumns session_columns(const sessions::SessionRecord& session);

// One entry of the audit trail. Text members left empty are stored as NULL.
struct AuditEntry {
    // Assigned by the store when the entry is appended; ignored on input.
    std::int64_t seq = 0;
    std::string prev_hash;
    std::string hash;

    // When it happened, in the stored form (see common/utc_time.h). The store stamps the current time
    // when this is empty.
    std::string time;

    EntryKind kind = EntryKind::Closure;
    std::string host;    // the file server's name
    std::string source;  // the session source: "samba", "wmi", "snapshot"
    std::optional<Mode> mode;
    std::string rule;                // the policy rule that selected the session
    std::string action;              // that rule's action: "close", "audit"
    std::optional<Outcome> outcome;  // closures only
    std::string error;               // why a close failed or was refused; what went wrong for an event
    std::string policy_sha256;       // SHA-256 of the policy file in force, 64 lowercase hex digits

    std::optional<SessionColumns> session;  // closures only (events may carry one too)
    std::string passthru_json;              // the whole session record (to_passthru_json)
    std::string details_json;               // a JSON object with whatever else the writer knows (events, manual closes)

    std::optional<std::int64_t> resolves_entry;  // for an outcome entry: the seq of the pending entry it resolves
};

// A closure entry about `session` with the given outcome: kind, outcome, session columns and
// PassThru JSON filled in; the caller adds host, source, mode, rule, action and policy_sha256.
// When the source listed the open files (`listed_opens`), those the session holds
// (sessions::opens_held_by) go into the PassThru JSON as "OpenFiles", each as `smbreaper files
// --format json` writes it: what the client may lose when the session is closed.
AuditEntry closure_entry(const sessions::SessionRecord& session, Outcome outcome,
                         const std::optional<std::vector<sessions::OpenFileRecord>>& listed_opens = std::nullopt);

// A closure entry about one open file (`smbreaper close-file`): action `close_file`, the columns
// of the session holding it (SessionId, client, user, scope, node, instance; the caller makes sure
// its SessionId is known), and the open as Close-SmbOpenFile -PassThru would return it in
// passthru_json. It follows the closure protocol of sessions: pending, then its outcome.
AuditEntry file_closure_entry(const sessions::OpenFileRecord& open, Outcome outcome);

// The entry that records how a pending closure ended: a copy of `pending` (same session, rule,
// mode...) with the new outcome and error, the current time, and resolves_entry = pending.seq.
AuditEntry outcome_entry(const AuditEntry& pending, Outcome outcome, std::string error = {});

// A service event; details_json is a JSON object or empty.
AuditEntry event_entry(EntryKind kind, std::string details_json = {});

}  // namespace smbreaper::storage
