#include "service/windows/data_folder.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <knownfolders.h>
#include <shlobj.h>

namespace smbreaper::daemon {
namespace {

std::filesystem::path program_data() {
    wchar_t* folder = nullptr;
    if (SUCCEEDED(SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &folder))) {
        std::filesystem::path path(folder);
        CoTaskMemFree(folder);
        return path;
    }
    CoTaskMemFree(folder);
    wchar_t buffer[MAX_PATH];
    const DWORD length = GetEnvironmentVariableW(L"ProgramData", buffer, MAX_PATH);
    if (length > 0 && length < MAX_PATH && std::filesystem::path(buffer).is_absolute()) return buffer;
    return L"C:\\ProgramData";
}

}  // namespace

std::filesystem::path smbreaper_data_folder() { return program_data() / L"smbreaper"; }

std::filesystem::path default_service_log_file() { return smbreaper_data_folder() / L"logs" / L"smbreaper.log"; }

}  // namespace smbreaper::daemon
