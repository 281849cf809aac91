// SHA-256 through OpenSSL's EVP interface (libcrypto), for every platform but Windows.
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "common/sha256.h"

namespace smbreaper::common {

Sha256Digest sha256(std::string_view data) {
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    Sha256Digest digest{};
    unsigned int length = 0;
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1 || length != digest.size()) {
        throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
    }
    return digest;
}

}  // namespace smbreaper::common
