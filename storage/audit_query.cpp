#include "storage/audit_query.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/audit_errors.h"

namespace smbreaper::storage {
namespace {

// Builds a WHERE clause and the values for its parameters, in order.
class WhereClause {
public:
    void add(const std::string& condition, std::vector<std::string> values) {
        conditions_.push_back(condition);
        for (auto& value : values) values_.push_back(std::move(value));
    }

    // "(column LIKE ? ESCAPE '!' OR ...)": one glob per value.
    void add_globs(std::string_view column, const std::vector<std::string>& globs) {
        if (globs.empty()) return;
        std::string condition;
        std::vector<std::string> patterns;
        for (const std::string& glob : globs) {
            condition += condition.empty() ? "(" : " OR ";
            condition += std::string(column) + " LIKE ? ESCAPE '!'";
            patterns.push_back(glob_to_like(glob));
        }
        add(condition + ")", std::move(patterns));
    }

    // "column IN (?, ?)"
    void add_in(std::string_view column, const std::vector<std::string>& values) {
        if (values.empty()) return;
        std::string condition = std::string(column) + " IN (";
        for (std::size_t i = 0; i < values.size(); ++i) condition += i == 0 ? "?" : ", ?";
        add(condition + ")", values);
    }

    std::string sql() const {
        std::string out;
        for (const std::string& condition : conditions_) out += (out.empty() ? " WHERE " : " AND ") + condition;
        return out;
    }

    void bind(SQLite::Statement& statement) const {
        for (std::size_t i = 0; i < values_.size(); ++i) statement.bind(static_cast<int>(i) + 1, values_[i]);
    }

private:
    std::vector<std::string> conditions_;
    std::vector<std::string> values_;
};

}  // namespace

std::string glob_to_like(const std::string& glob) {
    std::string like;
    for (const char c : glob) {
        switch (c) {
            case '*': like += '%'; break;
            case '?': like += '_'; break;
            case '%':
            case '_':
            case '!':
                like += '!';
                like += c;
                break;
            default: like += c;
        }
    }
    return like;
}

void for_each_entry(const AuditStore& store, const EntryFilter& filter,
                    const std::function<void(const AuditRow&)>& visit) {
    WhereClause where;
    if (filter.since) where.add("time >= ?", {*filter.since});
    if (filter.until) where.add("time < ?", {*filter.until});
    where.add_globs("ClientUserName", filter.users);
    where.add_globs("ClientComputerName", filter.clients);
    where.add_globs("rule", filter.rules);
    where.add_in("outcome", filter.outcomes);
    std::vector<std::string> session_ids;
    for (const std::uint64_t id : filter.session_ids) session_ids.push_back(std::to_string(id));
    where.add_in("SessionId", session_ids);

    try {
        SQLite::Statement query(store.connection(),
                                "SELECT " + all_columns_sql() + " FROM audit_entry" + where.sql() + " ORDER BY seq");
        where.bind(query);
        while (query.executeStep()) visit(read_row(query));
    } catch (const SQLite::Exception& e) {
        throw AuditReadError("cannot read the audit trail " + store.path().string() + ": " + e.what());
    }
}

}  // namespace smbreaper::storage
