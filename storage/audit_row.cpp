#include "storage/audit_row.h"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <charconv>
#include <stdexcept>

#include "storage/audit_errors.h"

namespace smbreaper::storage {
namespace {

constexpr std::string_view kColumnNames[kAuditColumnCount] = {
    "seq",
    "time",
    "kind",
    "host",
    "source",
    "mode",
    "rule",
    "action",
    "outcome",
    "error",
    "policy_sha256",
    "SessionId",
    "ClientComputerName",
    "ClientUserName",
    "ScopeName",
    "ClusterNodeName",
    "SmbInstance",
    "NumOpens",
    "SecondsIdle",
    "SecondsExists",
    "Dialect",
    "TransportName",
    "passthru_json",
    "details_json",
    "resolves_entry",
    "prev_hash",
    "hash",
};

SqlValue text_or_null(std::string_view text) {
    if (text.empty()) return std::monostate{};
    return std::string(text);
}

SqlValue integer_or_null(const std::optional<std::int64_t>& number) {
    if (!number) return std::monostate{};
    return *number;
}

[[noreturn]] void unreadable(const AuditRow& row, AuditColumn column, std::string_view problem) {
    throw AuditReadError("audit entry " + row.text(AuditColumn::Seq) + ": " + std::string(column_name(column)) + " " +
                         std::string(problem) + " (run `smbreaper audit verify`)");
}

template <typename Enum>
std::optional<Enum> parse_optional(const AuditRow& row, AuditColumn column,
                                   std::optional<Enum> (*parse)(std::string_view)) {
    const std::string text = row.text(column);
    if (text.empty()) return std::nullopt;
    const auto parsed = parse(text);
    if (!parsed) unreadable(row, column, "holds the unknown value '" + text + "'");
    return parsed;
}

std::optional<std::int64_t> integer_column(const AuditRow& row, AuditColumn column) {
    const SqlValue& value = row[column];
    if (std::holds_alternative<std::monostate>(value)) return std::nullopt;
    if (!std::holds_alternative<std::int64_t>(value)) unreadable(row, column, "is not an integer");
    return std::get<std::int64_t>(value);
}

std::string hex_text(const void* data, int size) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "x'";
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (int i = 0; i < size; ++i) {
        out.push_back(hex[bytes[i] >> 4]);
        out.push_back(hex[bytes[i] & 0xF]);
    }
    out.push_back('\'');
    return out;
}

}  // namespace

std::string_view column_name(AuditColumn column) { return kColumnNames[static_cast<std::size_t>(column)]; }
std::string_view column_name(std::size_t index) { return kColumnNames[index]; }

std::string AuditRow::text(AuditColumn column) const {
    const SqlValue& value = (*this)[column];
    if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    if (const auto* foreign = std::get_if<ForeignValue>(&value)) return foreign->text;
    return {};
}

std::optional<std::int64_t> AuditRow::integer(AuditColumn column) const {
    const SqlValue& value = (*this)[column];
    if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
    return std::nullopt;
}

AuditRow to_row(const AuditEntry& e) {
    using C = AuditColumn;
    AuditRow row;
    row[C::Seq] = e.seq;
    row[C::Time] = text_or_null(e.time);
    row[C::Kind] = std::string(to_string(e.kind));
    row[C::Host] = text_or_null(e.host);
    row[C::Source] = text_or_null(e.source);
    row[C::Mode] = e.mode ? text_or_null(to_string(*e.mode)) : std::monostate{};
    row[C::Rule] = text_or_null(e.rule);
    row[C::Action] = text_or_null(e.action);
    row[C::Outcome] = e.outcome ? text_or_null(to_string(*e.outcome)) : std::monostate{};
    row[C::Error] = text_or_null(e.error);
    row[C::PolicySha256] = text_or_null(e.policy_sha256);
    if (e.session) {
        const SessionColumns& s = *e.session;
        // Stored as decimal text: SessionId is a uint64, wider than SQLite's signed integers.
        row[C::SessionId] = std::to_string(s.session_id);
        row[C::ClientComputerName] = text_or_null(s.client_computer_name);
        row[C::ClientUserName] = text_or_null(s.client_user_name);
        row[C::ScopeName] = text_or_null(s.scope_name);
        row[C::ClusterNodeName] = text_or_null(s.cluster_node_name);
        row[C::SmbInstance] = text_or_null(s.smb_instance);
        row[C::NumOpens] = integer_or_null(s.num_opens);
        row[C::SecondsIdle] = integer_or_null(s.seconds_idle);
        row[C::SecondsExists] = integer_or_null(s.seconds_exists);
        row[C::Dialect] = text_or_null(s.dialect);
        row[C::TransportName] = text_or_null(s.transport_name);
    }
    row[C::PassthruJson] = text_or_null(e.passthru_json);
    row[C::DetailsJson] = text_or_null(e.details_json);
    row[C::ResolvesEntry] = integer_or_null(e.resolves_entry);
    row[C::PrevHash] = text_or_null(e.prev_hash);
    row[C::Hash] = text_or_null(e.hash);
    return row;
}

AuditEntry from_row(const AuditRow& row) {
    using C = AuditColumn;
    AuditEntry e;
    e.seq = integer_column(row, C::Seq).value_or(0);
    e.time = row.text(C::Time);
    const auto kind = parse_optional<EntryKind>(row, C::Kind, &parse_entry_kind);
    if (!kind) unreadable(row, C::Kind, "is empty");
    e.kind = *kind;
    e.host = row.text(C::Host);
    e.source = row.text(C::Source);
    e.mode = parse_optional<Mode>(row, C::Mode, &parse_mode);
    e.rule = row.text(C::Rule);
    e.action = row.text(C::Action);
    e.outcome = parse_optional<Outcome>(row, C::Outcome, &parse_outcome);
    e.error = row.text(C::Error);
    e.policy_sha256 = row.text(C::PolicySha256);
    const std::string session_id = row.text(C::SessionId);
    if (!session_id.empty()) {
        SessionColumns s;
        const char* end = session_id.data() + session_id.size();
        const auto parsed = std::from_chars(session_id.data(), end, s.session_id);
        if (parsed.ec != std::errc() || parsed.ptr != end) unreadable(row, C::SessionId, "is not a decimal number");
        s.client_computer_name = row.text(C::ClientComputerName);
        s.client_user_name = row.text(C::ClientUserName);
        s.scope_name = row.text(C::ScopeName);
        s.cluster_node_name = row.text(C::ClusterNodeName);
        s.smb_instance = row.text(C::SmbInstance);
        s.num_opens = integer_column(row, C::NumOpens);
        s.seconds_idle = integer_column(row, C::SecondsIdle);
        s.seconds_exists = integer_column(row, C::SecondsExists);
        s.dialect = row.text(C::Dialect);
        s.transport_name = row.text(C::TransportName);
        e.session = std::move(s);
    }
    e.passthru_json = row.text(C::PassthruJson);
    e.details_json = row.text(C::DetailsJson);
    e.resolves_entry = integer_column(row, C::ResolvesEntry);
    e.prev_hash = row.text(C::PrevHash);
    e.hash = row.text(C::Hash);
    return e;
}

const std::string& all_columns_sql() {
    static const std::string list = [] {
        std::string out;
        for (const std::string_view name : kColumnNames) {
            if (!out.empty()) out += ", ";
            out += name;
        }
        return out;
    }();
    return list;
}

AuditRow read_row(const SQLite::Statement& statement) {
    AuditRow row;
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        const SQLite::Column column = statement.getColumn(static_cast<int>(i));
        switch (column.getType()) {
            case SQLITE_INTEGER: row.at(i) = column.getInt64(); break;
            case SQLITE_TEXT: {
                // Text is kept byte for byte (embedded NULs included): the hash covers the bytes.
                const char* text = column.getText();
                row.at(i) = std::string(text, static_cast<std::size_t>(column.getBytes()));
                break;
            }
            case SQLITE_FLOAT: row.at(i) = ForeignValue{"REAL", column.getText()}; break;
            case SQLITE_BLOB: row.at(i) = ForeignValue{"BLOB", hex_text(column.getBlob(), column.getBytes())}; break;
            default: row.at(i) = std::monostate{}; break;
        }
    }
    return row;
}

void bind_row(SQLite::Statement& statement, const AuditRow& row) {
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        const int parameter = static_cast<int>(i) + 1;
        const SqlValue& value = row.at(i);
        if (const auto* number = std::get_if<std::int64_t>(&value)) {
            statement.bind(parameter, *number);
        } else if (const auto* text = std::get_if<std::string>(&value)) {
            statement.bind(parameter, *text);
        } else if (std::holds_alternative<std::monostate>(value)) {
            statement.bind(parameter);
        } else {
            throw std::logic_error("bind_row: foreign values are never written");
        }
    }
}

}  // namespace smbreaper::storage
