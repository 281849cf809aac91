#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "storage/audit_entry.h"

namespace SQLite {
class Statement;
}

namespace smbreaper::storage {

// The columns of the audit_entry table, in table order. This order is also the order in which the
// hash covers them (see entry_hash.h): never reorder, only append in a new schema version.
enum class AuditColumn : std::size_t {
    Seq,
    Time,
    Kind,
    Host,
    Source,
    Mode,
    Rule,
    Action,
    Outcome,
    Error,
    PolicySha256,
    SessionId,
    ClientComputerName,
    ClientUserName,
    ScopeName,
    ClusterNodeName,
    SmbInstance,
    NumOpens,
    SecondsIdle,
    SecondsExists,
    Dialect,
    TransportName,
    PassthruJson,
    DetailsJson,
    ResolvesEntry,
    PrevHash,
    Hash,
};
inline constexpr std::size_t kAuditColumnCount = 27;

std::string_view column_name(AuditColumn column);
std::string_view column_name(std::size_t index);

// A value SQLite can hold that smbreaper never writes (REAL or BLOB). It can only appear when the
// file was edited by hand; verify reports it, list and export show it as text.
struct ForeignValue {
    std::string type;  // "REAL" or "BLOB"
    std::string text;  // a readable rendering
};

// One stored value: NULL, INTEGER or TEXT (or a foreign one, see above).
using SqlValue = std::variant<std::monostate, std::int64_t, std::string, ForeignValue>;

// One row of audit_entry exactly as stored, with no interpretation: what verify hashes and what
// list and export print, so that they work on any file, even a tampered one.
class AuditRow {
public:
    const SqlValue& operator[](AuditColumn column) const { return values_[static_cast<std::size_t>(column)]; }
    SqlValue& operator[](AuditColumn column) { return values_[static_cast<std::size_t>(column)]; }
    const SqlValue& at(std::size_t index) const { return values_.at(index); }
    SqlValue& at(std::size_t index) { return values_.at(index); }

    // The value as display text: "" for NULL, decimal for integers.
    std::string text(AuditColumn column) const;
    std::optional<std::int64_t> integer(AuditColumn column) const;

private:
    std::array<SqlValue, kAuditColumnCount> values_;
};

// The row an entry is stored as (empty strings become NULL).
AuditRow to_row(const AuditEntry& entry);

// The entry a row holds. Throws AuditReadError when a value is not one smbreaper writes (an unknown
// kind or outcome, a malformed number): the row was edited, and `audit verify` will say where.
AuditEntry from_row(const AuditRow& row);

// "seq, time, kind, ..., hash": every column, in table order, for SELECT and INSERT statements.
const std::string& all_columns_sql();

// The current row of a statement that selected all_columns_sql() first.
AuditRow read_row(const SQLite::Statement& statement);

// Binds the row's values to parameters 1..kAuditColumnCount.
void bind_row(SQLite::Statement& statement, const AuditRow& row);

}  // namespace smbreaper::storage
