// Catch2's main for the tests against a real smbd. They need root (smbd, useradd, smbstatus) and
// Samba installed; without them they are skipped with a reason (ctest SKIP_RETURN_CODE 77).
#include "catch_session.h"

#include <signal.h>
#include <unistd.h>

#include <iostream>

namespace {

constexpr int skip_return_code = 77;

bool installed(const char* path) { return ::access(path, X_OK) == 0; }

}  // namespace

int main(int argc, char* argv[]) {
    if (::geteuid() != 0) {
        std::cout << "SKIPPED: the Samba integration tests need root (they start smbd and add users)\n";
        return skip_return_code;
    }
    for (const char* program : {"/usr/sbin/smbd", "/usr/bin/smbclient", "/usr/bin/smbstatus", "/usr/bin/smbcontrol",
                                "/usr/bin/testparm", "/usr/bin/smbpasswd"}) {
        if (!installed(program)) {
            std::cout << "SKIPPED: " << program << " is not installed (apt-get install samba smbclient)\n";
            return skip_return_code;
        }
    }
    // Writing to a client that has exited must fail with EPIPE, not end the test run.
    ::signal(SIGPIPE, SIG_IGN);
    return smbreaper::test::run_catch_session(argc, argv);
}
