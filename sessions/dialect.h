#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smbreaper::sessions {

// An SMB dialect revision, ordered as the protocol orders them: 2.0.2 < 2.1 < 3.0 < 3.0.2 < 3.1.1.
// SMB1 is kept as revision 1.0 so that "dialect < 2.0.2" can catch it.
enum class Dialect : std::uint16_t {
    Smb1 = 0x0100,
    Smb2_0_2 = 0x0202,
    Smb2_1 = 0x0210,
    Smb3_0 = 0x0300,
    Smb3_0_2 = 0x0302,
    Smb3_1_1 = 0x0311,
};

// Accepts every spelling Windows and Samba print: "3.1.1", "3.11", "3.00", "3.0", "3.02",
// "2.02", "2.0.2", "2.10", "2.1", "SMB3_11", "SMB2_02", "SMB2_10", "NT1", "SMB1", "1.0"...
std::optional<Dialect> parse_dialect(std::string_view text);

// Windows' spelling, as Get-SmbSession prints it: "2.0.2", "2.1", "3.0", "3.0.2", "3.1.1", "1.5".
std::string_view windows_spelling(Dialect dialect);

}  // namespace smbreaper::sessions
