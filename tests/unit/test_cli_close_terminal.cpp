// `smbreaper close` on a terminal: the confirmation prompt, answered through a pseudo-terminal.
#include <catch2/catch.hpp>

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "program_under_test.h"
#include "snapshot_server.h"

using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::shown;

using namespace smbreaper;
using namespace std::chrono_literals;
using test::SnapshotServer;

namespace {

constexpr std::string_view kChoices = "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is \"Y\"): ";

// smbreaper with a pseudo-terminal as its standard input, output and error, as on an admin's console.
class Terminal {
public:
    explicit Terminal(std::vector<std::string> arguments) {
        pid_ = forkpty(&master_, nullptr, nullptr, nullptr);
        if (pid_ == 0) {
            std::string program = smbreaper::test::program_under_test();
            std::vector<char*> argv{program.data()};
            for (std::string& argument : arguments) argv.push_back(argument.data());
            argv.push_back(nullptr);
            execv(program.c_str(), argv.data());
            _exit(127);
        }
    }
    ~Terminal() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (master_ >= 0) close(master_);
    }

    // Reads until the output holds `text` `count` times; false when that did not come in time.
    bool wait_for(std::string_view text, int count = 1, std::chrono::milliseconds limit = 20s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (occurrences(text) < count) {
            if (std::chrono::steady_clock::now() >= deadline || !read_some(deadline)) return false;
        }
        return true;
    }
    void type(const std::string& line) {
        const std::string text = line + "\n";
        REQUIRE(write(master_, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
    // Reads the rest of the output and returns the exit code; a program still running after
    // that (waiting for an answer that will not come) is killed.
    int wait() {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (read_some(deadline)) {}
        int status = 0;
        while (waitpid(pid_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) kill(pid_, SIGKILL);
            std::this_thread::sleep_for(10ms);
        }
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    const std::string& output() const { return output_; }
    int occurrences(std::string_view text) const {
        int count = 0;
        for (auto at = output_.find(text); at != std::string::npos; at = output_.find(text, at + 1)) ++count;
        return count;
    }

private:
    // False at the end of the output (the program closed the terminal) or at the deadline.
    bool read_some(std::chrono::steady_clock::time_point deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd ready{master_, POLLIN, 0};
        if (left.count() <= 0 || poll(&ready, 1, static_cast<int>(left.count())) <= 0) return false;
        char buffer[4096];
        const ssize_t count = read(master_, buffer, sizeof buffer);
        if (count <= 0) return false;  // EIO once the program has exited
        output_.append(buffer, static_cast<std::size_t>(count));
        return true;
    }

    pid_t pid_ = -1;
    int master_ = -1;
    std::string output_;
};

// Runs close on a terminal (for sessions 1..4 unless told otherwise) and answers each prompt in turn.
struct PromptedClose {
    SnapshotServer server;
    Terminal terminal;
    explicit PromptedClose(const std::vector<std::string>& filters = {"--all"})
        : terminal(server.with_source("close", filters)) {}
    PromptedClose(const std::vector<SessionRecord>& sessions, const std::vector<std::string>& filters)
        : server(sessions), terminal(server.with_source("close", filters)) {}

    void answer(const std::vector<std::string>& answers) {
        for (std::size_t i = 0; i < answers.size(); ++i) {
            INFO(terminal.output());
            REQUIRE(terminal.wait_for(kChoices, static_cast<int>(i + 1)));
            terminal.type(answers[i]);
        }
    }
};

}  // namespace

TEST_CASE("on a terminal close asks for each session as PowerShell does", "[cli][close][terminal]") {
    PromptedClose close({"--session-id", "2"});
    close.answer({"y"});
    REQUIRE(close.terminal.wait() == 0);
    const std::string& shown = close.terminal.output();
    INFO(shown);
    CHECK(shown.find("Confirm\r\nAre you sure you want to perform this action?\r\n"
                     "Performing operation 'Close-Session' on Target '2'.\r\n" +
                     std::string(kChoices)) != std::string::npos);
    CHECK(shown.find("closed session 2") != std::string::npos);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{1, 3, 4});
    CHECK(close.server.outcomes() == std::vector<std::string>{"pending:2", "closed:2"});
}

TEST_CASE("Yes and No decide one session each", "[cli][close][terminal]") {
    PromptedClose close;
    close.answer({"y", "n", "Y", "N"});
    REQUIRE(close.terminal.wait() == 0);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{2, 4});
    CHECK(close.server.outcomes() == std::vector<std::string>{"pending:1", "pending:3", "closed:1", "closed:3"});
}

TEST_CASE("Enter takes the default, Yes", "[cli][close][terminal]") {
    PromptedClose close({"--session-id", "1", "--session-id", "4"});
    close.answer({"", "n"});
    REQUIRE(close.terminal.wait() == 0);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{2, 3, 4});
}

TEST_CASE("Yes to All closes this and every later session without asking again", "[cli][close][terminal]") {
    PromptedClose close;
    close.answer({"n", "a"});
    REQUIRE(close.terminal.wait() == 0);
    CHECK(close.terminal.occurrences(kChoices) == 2);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{1});
}

TEST_CASE("No to All closes nothing more and asks nothing more", "[cli][close][terminal]") {
    PromptedClose close;
    close.answer({"y", "l"});
    REQUIRE(close.terminal.wait() == 0);
    CHECK(close.terminal.occurrences(kChoices) == 2);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{2, 3, 4});
    CHECK(close.server.outcomes() == std::vector<std::string>{"pending:1", "closed:1"});
}

TEST_CASE("declining every session closes nothing and writes nothing", "[cli][close][terminal]") {
    PromptedClose close;
    close.answer({"L"});
    REQUIRE(close.terminal.wait() == 0);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(close.server.outcomes().empty());
}

TEST_CASE("? shows the help and an unknown answer asks again", "[cli][close][terminal]") {
    PromptedClose close({"--session-id", "3"});
    close.answer({"?", "perhaps", "no"});
    REQUIRE(close.terminal.wait() == 0);
    CHECK(close.terminal.output().find("A - Continue with all the steps of the operation.") != std::string::npos);
    CHECK(close.terminal.occurrences("Target '3'") == 1);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{1, 2, 3, 4});
}

TEST_CASE("--force and --what-if do not ask", "[cli][close][terminal]") {
    {
        PromptedClose close({"--session-id", "1", "--what-if"});
        REQUIRE(close.terminal.wait() == 0);
        CHECK(close.terminal.occurrences(kChoices) == 0);
        CHECK(close.terminal.output().find("What if: Performing operation 'Close-Session' on Target '1'.") !=
              std::string::npos);
        CHECK(close.server.ids() == std::vector<std::uint64_t>{1, 2, 3, 4});
    }
    PromptedClose close({"--session-id", "1", "--force"});
    REQUIRE(close.terminal.wait() == 0);
    CHECK(close.terminal.occurrences(kChoices) == 0);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{2, 3, 4});
}

TEST_CASE("sessions sharing a connection close only when each of them is confirmed", "[cli][close][terminal]") {
    SessionRecord alice = test::table_row(1, "CORP\\alice", "ts01"), bob = test::table_row(2, "CORP\\bob", "ts01");
    alice.samba_server_id = bob.samba_server_id = SambaServerId{4242, 0xFFFFFFFFu, 9};
    PromptedClose close({alice, bob, test::table_row(3, "CORP\\carol", "pc3")}, {"--all"});
    close.answer({"y", "n", "y"});
    REQUIRE(close.terminal.wait() == 0);
    INFO(close.terminal.output());
    CHECK(close.terminal.output().find("not closing session 1 (user CORP\\alice, client ts01): its connection also "
                                       "carries session 2 (user CORP\\bob, client ts01), which you declined") !=
          std::string::npos);
    CHECK(close.server.ids() == std::vector<std::uint64_t>{1, 2});
    CHECK(close.server.outcomes() == std::vector<std::string>{"pending:3", "closed:3"});
}
