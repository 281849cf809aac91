// SHA-256 through Windows' CNG (bcrypt.dll): compiled only for WIN32, in place of
// storage/posix/sha256_openssl.cpp.
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <bcrypt.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "common/sha256.h"

namespace smbreaper::common {
namespace {

void check(NTSTATUS status, const char* call) {
    if (status >= 0) return;  // NT_SUCCESS
    char message[96];
    std::snprintf(message, sizeof message, "%s failed with NTSTATUS 0x%08lX", call, static_cast<unsigned long>(status));
    throw std::runtime_error(message);
}

// The provider handle is opened once and kept for the life of the process; it may be shared by
// threads (a hash object, by contrast, is created per call).
BCRYPT_ALG_HANDLE sha256_provider() {
    static const BCRYPT_ALG_HANDLE provider = [] {
        BCRYPT_ALG_HANDLE handle = nullptr;
        check(BCryptOpenAlgorithmProvider(&handle, BCRYPT_SHA256_ALGORITHM, nullptr, 0),
              "BCryptOpenAlgorithmProvider(SHA256)");
        return handle;
    }();
    return provider;
}

class HashHandle {
public:
    HashHandle() {
        check(BCryptCreateHash(sha256_provider(), &handle_, nullptr, 0, nullptr, 0, 0), "BCryptCreateHash");
    }
    ~HashHandle() { BCryptDestroyHash(handle_); }
    HashHandle(const HashHandle&) = delete;
    HashHandle& operator=(const HashHandle&) = delete;
    BCRYPT_HASH_HANDLE get() const { return handle_; }

private:
    BCRYPT_HASH_HANDLE handle_ = nullptr;
};

}  // namespace

Sha256Digest sha256(std::string_view data) {
    HashHandle hash;
    // BCryptHashData takes a ULONG length: feed large inputs in chunks.
    constexpr std::size_t chunk = 1u << 30;
    for (std::size_t offset = 0; offset < data.size(); offset += chunk) {
        const std::size_t length = std::min(chunk, data.size() - offset);
        auto* bytes = reinterpret_cast<PUCHAR>(const_cast<char*>(data.data() + offset));
        check(BCryptHashData(hash.get(), bytes, static_cast<ULONG>(length), 0), "BCryptHashData");
    }
    Sha256Digest digest{};
    check(BCryptFinishHash(hash.get(), digest.data(), static_cast<ULONG>(digest.size()), 0), "BCryptFinishHash");
    return digest;
}

}  // namespace smbreaper::common
