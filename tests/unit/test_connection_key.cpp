#include <catch2/catch.hpp>

#include "sessions/connection_key.h"

using smbreaper::sessions::connection_key;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;

using namespace smbreaper;

TEST_CASE("Samba sessions on one smbd process share a connection key") {
    SessionRecord alice;
    alice.session_id = 1;
    alice.samba_server_id = SambaServerId{5435, 0xFFFFFFFFu, 9313155988745157340u};
    SessionRecord bob = alice;
    bob.session_id = 2;
    SessionRecord carol = alice;
    carol.session_id = 3;
    carol.samba_server_id->pid = 5436;

    CHECK(connection_key(alice) == "samba:4294967295:5435:9313155988745157340");
    CHECK(connection_key(alice) == connection_key(bob));
    CHECK(connection_key(alice) != connection_key(carol));
}

TEST_CASE("A session without a Samba process is a connection of its own") {
    SessionRecord windows;
    windows.session_id = 0x8C00000045ull;
    CHECK(connection_key(windows) == "session:601295421509");
}
