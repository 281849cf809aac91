#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace smbreaper::common {

using Sha256Digest = std::array<std::uint8_t, 32>;

// SHA-256 of `data`, computed by the platform's own crypto library: libcrypto (OpenSSL) on POSIX,
// BCrypt on Windows. CMake compiles exactly one of storage/posix/sha256_openssl.cpp and
// storage/windows/sha256_bcrypt.cpp. Throws std::runtime_error if the library fails.
Sha256Digest sha256(std::string_view data);

// The digest as 64 lowercase hex digits, the form the audit trail stores.
std::string to_hex(const Sha256Digest& digest);

inline std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

// True for exactly 64 lowercase hex digits.
bool is_sha256_hex(std::string_view text);

}  // namespace smbreaper::common
