#include "common/regular_file.h"

#include <windows.h>

#include <system_error>

namespace smbreaper::common {
namespace {

std::string named(std::string_view what, const std::filesystem::path& path) {
    return std::string(what) + " " + path.string();
}

std::string last_error_text() { return std::system_category().message(static_cast<int>(GetLastError())); }

class Handle {
public:
    explicit Handle(HANDLE handle) : handle_(handle) {}
    ~Handle() {
        if (handle_ != INVALID_HANDLE_VALUE) CloseHandle(handle_);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    HANDLE get() const { return handle_; }

private:
    HANDLE handle_;
};

}  // namespace

std::string read_regular_file(const std::filesystem::path& path, std::string_view what, std::uint64_t max_bytes,
                              const OpenedFileCheck& vet) {
    // FILE_FLAG_BACKUP_SEMANTICS lets a folder open too, so that it is refused by what it is.
    const Handle file(CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                  nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_BACKUP_SEMANTICS, nullptr));
    if (file.get() == INVALID_HANDLE_VALUE)
        throw FileReadError(FileReadError::Reason::Unreadable,
                            "cannot read " + named(what, path) + ": " + last_error_text());
    if (GetFileType(file.get()) != FILE_TYPE_DISK) {
        throw FileReadError(FileReadError::Reason::NotRegular,
                            named(what, path) + " is a pipe or a device, not a regular file");
    }
    BY_HANDLE_FILE_INFORMATION info{};
    if (!GetFileInformationByHandle(file.get(), &info)) {
        throw FileReadError(FileReadError::Reason::Unreadable,
                            "cannot read " + named(what, path) + ": " + last_error_text());
    }
    if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        throw FileReadError(FileReadError::Reason::NotRegular, named(what, path) + " is a folder, not a regular file");
    const std::uint64_t size = (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
    if (size > max_bytes) {
        throw FileReadError(FileReadError::Reason::TooLarge, named(what, path) + " is larger than the " +
                                                                 std::to_string(max_bytes >> 20) +
                                                                 " MiB smbreaper reads; is it the right file?");
    }
    if (vet) {
        if (auto refusal = vet(OpenedFile{size, std::nullopt, std::nullopt}))
            throw FileReadError(FileReadError::Reason::Refused, *refusal);
    }
    std::string contents;
    contents.reserve(static_cast<std::size_t>(size));
    char buffer[1 << 16];
    for (;;) {
        DWORD count = 0;
        if (!ReadFile(file.get(), buffer, sizeof buffer, &count, nullptr)) {
            throw FileReadError(FileReadError::Reason::Unreadable,
                                "cannot read " + named(what, path) + ": " + last_error_text());
        }
        if (count == 0) break;
        contents.append(buffer, count);
        if (contents.size() > max_bytes) {
            throw FileReadError(FileReadError::Reason::TooLarge, named(what, path) + " grew past the " +
                                                                     std::to_string(max_bytes >> 20) +
                                                                     " MiB smbreaper reads while it was read");
        }
    }
    return contents;
}

std::optional<std::string> not_a_regular_file(const std::filesystem::path& path, std::string_view what) {
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(path, error);
    if (error || status.type() == std::filesystem::file_type::not_found) return std::nullopt;
    if (status.type() == std::filesystem::file_type::regular) return std::nullopt;
    return named(what, path) + " is not a regular file";
}

}  // namespace smbreaper::common
