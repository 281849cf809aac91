#include "audit_test_support.h"

#include <sqlite3.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace smbreaper::test {
using smbreaper::sessions::Dialect;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::storage::all_columns_sql;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::AuditRow;
using smbreaper::storage::closure_entry;
using smbreaper::storage::kAuditColumnCount;
using smbreaper::storage::Mode;
using smbreaper::storage::Outcome;
using smbreaper::storage::SqlValue;

namespace {

class Connection {
public:
    explicit Connection(const std::filesystem::path& db) {
        if (sqlite3_open_v2(db.string().c_str(), &handle_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            const std::string message = sqlite3_errmsg(handle_);
            sqlite3_close(handle_);
            throw std::runtime_error("cannot open " + db.string() + ": " + message);
        }
        sqlite3_busy_timeout(handle_, 5000);
    }
    ~Connection() { sqlite3_close(handle_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(const std::string& statements) {
        char* error = nullptr;
        if (sqlite3_exec(handle_, statements.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string message = error ? error : "unknown error";
            sqlite3_free(error);
            throw std::runtime_error("SQL failed: " + message + " in: " + statements);
        }
    }

    sqlite3* get() const { return handle_; }

private:
    sqlite3* handle_ = nullptr;
};

}  // namespace

SessionRecord sample_session(std::uint64_t session_id, const std::string& user, const std::string& client) {
    SessionRecord s;
    s.session_id = session_id;
    s.client_computer_name = client;
    s.client_user_name = user;
    s.scope_name = "*";
    s.cluster_node_name = "fs01";
    s.smb_instance = SmbInstance::Default;
    s.num_opens = 0;
    s.seconds_idle = 7300;
    s.seconds_exists = 86000;
    s.dialect = "3.1.1";
    s.dialect_revision = Dialect::Smb3_1_1;
    s.transport_name = "tcp";
    s.shares = std::vector<std::string>{"projects"};
    return s;
}

AuditEntry sample_closure(std::uint64_t session_id, Outcome outcome, const std::string& user, const std::string& client,
                          const std::string& rule) {
    AuditEntry entry = closure_entry(sample_session(session_id, user, client), outcome);
    entry.host = "fs01";
    entry.source = "samba";
    entry.mode = Mode::Enforce;
    entry.rule = rule;
    entry.action = "close";
    entry.policy_sha256 = std::string(64, 'a');
    return entry;
}

void run_sql(const std::filesystem::path& db, const std::string& statements) { Connection(db).exec(statements); }

void tamper(const std::filesystem::path& db, const std::string& statements) {
    Connection connection(db);
    connection.exec("DROP TRIGGER IF EXISTS audit_entry_no_update; DROP TRIGGER IF EXISTS audit_entry_no_delete;");
    connection.exec(statements);
}

std::string insert_row_sql(const AuditRow& row) {
    std::string values;
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        const SqlValue& value = row.at(i);
        std::string literal = "NULL";
        if (const auto* number = std::get_if<std::int64_t>(&value)) {
            literal = std::to_string(*number);
        } else if (const auto* text = std::get_if<std::string>(&value)) {
            literal = "'";
            for (const char c : *text) literal += c == '\'' ? std::string("''") : std::string(1, c);
            literal += "'";
        }
        values += (i ? ", " : "") + literal;
    }
    return "INSERT INTO audit_entry (" + all_columns_sql() + ") VALUES (" + values + ");\n";
}

std::string query_text(const std::filesystem::path& db, const std::string& query) {
    Connection connection(db);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(connection.get(), query.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
        throw std::runtime_error("cannot prepare: " + query);
    }
    std::string value;
    if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL) {
        value.assign(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement, 0)));
    }
    sqlite3_finalize(statement);
    return value;
}

}  // namespace smbreaper::test
