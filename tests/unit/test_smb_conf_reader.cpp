#include <catch2/catch.hpp>

#include "sessions/samba/smb_conf_reader.h"

using smbreaper::sessions::parse_smb_ports;

using namespace smbreaper;

TEST_CASE("parse_smb_ports reads testparm's answer") {
    CHECK(parse_smb_ports("445 139\n") == std::vector<std::uint16_t>{445, 139});
    CHECK(parse_smb_ports("44500\n") == std::vector<std::uint16_t>{44500});
    CHECK(parse_smb_ports(" 445, 139 ") == std::vector<std::uint16_t>{445, 139});
}

TEST_CASE("parse_smb_ports refuses what is not a list of ports") {
    for (const char* text : {"", "\n", "445 x", "0", "65536", "445;139", "-1"}) {
        INFO(text);
        CHECK_FALSE(parse_smb_ports(text));
    }
}
