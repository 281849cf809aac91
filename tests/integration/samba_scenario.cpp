#include "samba_scenario.h"

#include <catch2/catch.hpp>

#include <thread>

SambaScenario::SambaScenario(const std::filesystem::path& folder) : dir(folder) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // Whatever the umask: the service refuses a policy or trail in a folder others may write.
    // The same for the test's own folder above it (never the system's temporary folder itself).
    std::filesystem::permissions(dir, std::filesystem::perms(0755));
    if (dir.parent_path() != std::filesystem::temp_directory_path()) {
        std::filesystem::permissions(dir.parent_path(), std::filesystem::perms(0755));
    }
}

SmbClientProcess& SambaScenario::connect(const std::string& user) {
    auto client = std::make_unique<SmbClientProcess>(samba, user);
    REQUIRE(client->wait_until_connected());
    return *(clients[user] = std::move(client));
}

bool disconnected(SmbClientProcess& client) {
    return eventually(
        [&] {
            return client.has_exited() || !client.send("ls") ||
                   client.output().find("NT_STATUS_CONNECTION_DISCONNECTED") != std::string::npos;
        },
        std::chrono::seconds(20));
}
