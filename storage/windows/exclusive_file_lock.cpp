#include "storage/exclusive_file_lock.h"

#include <windows.h>

#include <system_error>

namespace smbreaper::storage {
namespace {

// Byte-range locks on Windows are mandatory: a lock on the text would keep others from reading
// who holds it. The lock is on one byte far past the end of the file instead.
constexpr DWORD kLockedOffsetHigh = 0x7FFFFFFF;

}  // namespace

struct ExclusiveFileLock::Handle {
    HANDLE file = INVALID_HANDLE_VALUE;
    ~Handle() {
        if (file != INVALID_HANDLE_VALUE) CloseHandle(file);  // releases the lock
    }
};

ExclusiveFileLock::ExclusiveFileLock(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
ExclusiveFileLock::~ExclusiveFileLock() = default;

std::unique_ptr<ExclusiveFileLock> ExclusiveFileLock::try_lock(const std::filesystem::path& file) {
    auto handle = std::make_unique<Handle>();
    handle->file = CreateFileW(file.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                               OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle->file == INVALID_HANDLE_VALUE) {
        throw std::system_error(static_cast<int>(GetLastError()), std::system_category(),
                                "cannot open " + file.string());
    }
    OVERLAPPED where{};
    where.OffsetHigh = kLockedOffsetHigh;
    if (!LockFileEx(handle->file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &where)) {
        const DWORD error = GetLastError();
        if (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING) return nullptr;
        throw std::system_error(static_cast<int>(error), std::system_category(), "cannot lock " + file.string());
    }
    return std::unique_ptr<ExclusiveFileLock>(new ExclusiveFileLock(std::move(handle)));
}

void ExclusiveFileLock::describe_holder(std::string_view description) {
    // Best effort: the lock, not the text, is what keeps a second holder out.
    const std::string text = "pid " + std::to_string(GetCurrentProcessId()) + " " + std::string(description) + "\r\n";
    if (SetFilePointer(handle_->file, 0, nullptr, FILE_BEGIN) == INVALID_SET_FILE_POINTER) return;
    DWORD written = 0;
    if (!WriteFile(handle_->file, text.data(), static_cast<DWORD>(text.size()), &written, nullptr)) return;
    SetEndOfFile(handle_->file);
}

std::string ExclusiveFileLock::holder_of(const std::filesystem::path& file) {
    HANDLE handle = CreateFileW(file.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE) return {};
    char buffer[512];
    DWORD read = 0;
    const BOOL ok = ReadFile(handle, buffer, sizeof buffer, &read, nullptr);
    CloseHandle(handle);
    if (!ok) return {};
    std::string text(buffer, read);
    return text.substr(0, text.find_first_of("\r\n"));
}

}  // namespace smbreaper::storage
