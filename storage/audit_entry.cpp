#include "storage/audit_entry.h"

#include <limits>
#include <utility>

#include "common/json_writer.h"
#include "sessions/open_file_json.h"
#include "sessions/open_file_summary.h"
#include "sessions/session_json.h"

namespace smbreaper::storage {
using smbreaper::common::JsonWriter;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::opens_held_by;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::to_passthru_json;
using smbreaper::sessions::write_open_file_properties;
using smbreaper::sessions::write_session_properties;

namespace {

// Each enum's stored names, in enumerator order.
constexpr std::string_view kKindNames[] = {"closure",         "start",         "stop",         "policy-loaded",
                                           "policy-rejected", "limit-tripped", "source-error", "pruned",
                                           "block-set",       "block-lifted"};
constexpr std::string_view kOutcomeNames[] = {"pending", "closed", "what-if", "vanished", "failed", "refused"};
constexpr std::string_view kModeNames[] = {"enforce", "audit", "manual"};

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::string_view (&names)[N], std::string_view text) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == text) return static_cast<Enum>(i);
    }
    return std::nullopt;
}

std::int64_t saturate(std::uint64_t value) {
    // NumOpens is a uint64 in MSFT_SmbSession; SQLite integers are signed. A count above 2^63
    // cannot happen in practice, and the PassThru JSON keeps the exact value regardless.
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(value > max ? max : value);
}

}  // namespace

std::string_view to_string(EntryKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }
std::string_view to_string(Outcome outcome) { return kOutcomeNames[static_cast<std::size_t>(outcome)]; }
std::string_view to_string(Mode mode) { return kModeNames[static_cast<std::size_t>(mode)]; }

std::optional<EntryKind> parse_entry_kind(std::string_view text) { return parse_name<EntryKind>(kKindNames, text); }
std::optional<Outcome> parse_outcome(std::string_view text) { return parse_name<Outcome>(kOutcomeNames, text); }
std::optional<Mode> parse_mode(std::string_view text) { return parse_name<Mode>(kModeNames, text); }

SessionColumns session_columns(const SessionRecord& s) {
    SessionColumns columns;
    columns.session_id = s.session_id;
    // The columns store an unknown value as NULL; the PassThru JSON keeps every value exactly.
    columns.client_computer_name = s.client_computer_name.value_or("");
    columns.client_user_name = s.client_user_name.value_or("");
    columns.scope_name = s.scope_name.value_or("");
    columns.cluster_node_name = s.cluster_node_name.value_or("");
    if (s.smb_instance) columns.smb_instance = std::string(to_string(*s.smb_instance));
    if (s.num_opens) columns.num_opens = saturate(*s.num_opens);
    if (s.seconds_idle) columns.seconds_idle = *s.seconds_idle;
    if (s.seconds_exists) columns.seconds_exists = *s.seconds_exists;
    columns.dialect = s.dialect.value_or("");
    columns.transport_name = s.transport_name.value_or("");
    return columns;
}

AuditEntry closure_entry(const SessionRecord& session, Outcome outcome,
                         const std::optional<std::vector<OpenFileRecord>>& listed_opens) {
    AuditEntry entry;
    entry.kind = EntryKind::Closure;
    entry.outcome = outcome;
    entry.session = session_columns(session);
    if (!listed_opens) {
        entry.passthru_json = to_passthru_json(session);
        return entry;
    }
    JsonWriter json(entry.passthru_json);
    json.begin_object();
    write_session_properties(json, session);
    json.key("OpenFiles").begin_array();
    for (const OpenFileRecord& open : opens_held_by(session, *listed_opens)) {
        json.begin_object();
        write_open_file_properties(json, open);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    return entry;
}

AuditEntry file_closure_entry(const OpenFileRecord& open, Outcome outcome) {
    AuditEntry entry;
    entry.kind = EntryKind::Closure;
    entry.outcome = outcome;
    entry.action = "close_file";
    SessionColumns columns;
    columns.session_id = open.session_id.value_or(0);
    columns.client_computer_name = open.client_computer_name.value_or("");
    columns.client_user_name = open.client_user_name.value_or("");
    columns.scope_name = open.scope_name.value_or("");
    columns.cluster_node_name = open.cluster_node_name.value_or("");
    if (open.smb_instance) columns.smb_instance = std::string(to_string(*open.smb_instance));
    entry.session = columns;
    std::string json;
    JsonWriter writer(json);
    writer.begin_object();
    write_open_file_properties(writer, open);
    writer.end_object();
    entry.passthru_json = std::move(json);
    return entry;
}

AuditEntry outcome_entry(const AuditEntry& pending, Outcome outcome, std::string error) {
    AuditEntry entry = pending;
    entry.seq = 0;
    entry.prev_hash.clear();
    entry.hash.clear();
    entry.time.clear();
    entry.outcome = outcome;
    entry.error = std::move(error);
    entry.resolves_entry = pending.seq;
    return entry;
}

AuditEntry event_entry(EntryKind kind, std::string details_json) {
    AuditEntry entry;
    entry.kind = kind;
    entry.details_json = std::move(details_json);
    return entry;
}

}  // namespace smbreaper::storage
