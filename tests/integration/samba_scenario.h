#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "samba_test_instance.h"
#include "smbclient_process.h"
#include "test_support.h"

// A test's own Samba server and the smbclient sessions it opens, with a scratch folder (emptied
// when the scenario starts, kept afterwards for a look at what the test left).
struct SambaScenario {
    std::filesystem::path dir;
    SambaTestInstance samba;
    std::map<std::string, std::unique_ptr<SmbClientProcess>> clients;

    explicit SambaScenario(const std::filesystem::path& folder);

    // A session of `user`, connected; the test fails when it cannot connect.
    SmbClientProcess& connect(const std::string& user);
};

// smbreaper::test::eventually with live Samba's patience: 40 s unless told otherwise.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds(40)) {
    return smbreaper::test::eventually(condition, limit);
}

// The client's connection is gone: smbclient exited, or says so at its next command (within 20 s).
bool disconnected(SmbClientProcess& client);
