#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

class SambaTestInstance;

// A real smbclient session against the test instance, kept open: commands go to its stdin, its
// output (line-buffered through stdbuf) to a file. Ended, and reaped, when the object goes.
class SmbClientProcess {
public:
    enum class Address { Ipv4, Ipv6 };

    SmbClientProcess(const SambaTestInstance& instance, const std::string& user, Address address = Address::Ipv4,
                     const std::string& extra_option = {});
    // Another client program, kept running the same way: `command` is its program and arguments
    // (tests/integration/hold_open.py holds an open with a chosen access).
    explicit SmbClientProcess(std::vector<std::string> command);
    SmbClientProcess(const SmbClientProcess&) = delete;
    SmbClientProcess& operator=(const SmbClientProcess&) = delete;
    ~SmbClientProcess();

    // Sends one command line ("ls", "open hello.txt", "logon bob PASSWORD"). False when smbclient
    // no longer reads its input (it has exited).
    bool send(std::string_view command);
    // Everything it printed so far, stdout and stderr.
    std::string output() const;
    // Waits until its output contains `text`; false when it did not within the limit.
    bool wait_for_output(std::string_view text, std::chrono::milliseconds limit) const;
    // Waits until it has connected and shows its prompt.
    bool wait_until_connected(std::chrono::milliseconds limit = std::chrono::seconds(20)) const;
    // Ends its input: smbclient logs off and exits. Waits up to `limit` for that.
    bool quit(std::chrono::milliseconds limit = std::chrono::seconds(10));
    bool has_exited();

private:
    void start(std::vector<std::string> arguments);

    std::string output_path_;
    int input_fd_ = -1;
    pid_t pid_ = -1;
};
