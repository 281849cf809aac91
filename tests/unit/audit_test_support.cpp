#include "audit_test_support.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace smbreaper::test {
namespace {

class Connection {
public:
    explicit Connection(const std::filesystem::path& db) {
        if (sqlite3_open_v2(db.c_str(), &handle_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
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

// Reads everything from a file descriptor until end of file.
std::string drain(int fd) {
    std::string text;
    char buffer[4096];
    ssize_t count;
    while ((count = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(count));
    return text;
}

}  // namespace

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "smbreaper-audit-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
}

SessionRecord sample_session(std::uint64_t session_id, const std::string& user, const std::string& client) {
    SessionRecord s;
    s.session_id = session_id;
    s.client_computer_name = client;
    s.client_user_name = user;
    s.scope_name = "*";
    s.cluster_node_name = "fs01";
    s.num_opens = 0;
    s.seconds_idle = 7300;
    s.seconds_exists = 86000;
    s.dialect = "3.1.1";
    s.dialect_revision = Dialect::Smb3_1_1;
    s.transport_name = "tcp";
    s.shares = std::vector<std::string>{"projects"};
    return s;
}

AuditEntry sample_closure(std::uint64_t session_id, Outcome outcome, const std::string& user,
                          const std::string& client, const std::string& rule) {
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

void write_file(const std::filesystem::path& file, const std::string& contents) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
}

CommandResult run_smbreaper(const std::vector<std::string>& arguments) {
    // stderr goes to a file so that neither pipe can fill up while the other is read.
    TempDir scratch;
    const std::filesystem::path err_file = scratch / "stderr";
    int out_pipe[2];
    if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    const pid_t child = fork();
    if (child == 0) {
        const int err_fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        close(out_pipe[0]);
        std::vector<char*> argv;
        std::string program = SMBREAPER_BINARY;
        argv.push_back(program.data());
        std::vector<std::string> copies = arguments;
        for (std::string& argument : copies) argv.push_back(argument.data());
        argv.push_back(nullptr);
        execv(program.c_str(), argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    CommandResult result;
    result.out = drain(out_pipe[0]);
    close(out_pipe[0]);
    int status = 0;
    waitpid(child, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.err = read_file(err_file);
    return result;
}

}  // namespace smbreaper::test
