#include "config/file_permissions.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace smbreaper {
namespace {

namespace fs = std::filesystem;

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string user_name(uid_t uid) {
    const passwd* entry = ::getpwuid(uid);
    const std::string number = "uid " + std::to_string(uid);
    return entry != nullptr ? std::string(entry->pw_name) + " (" + number + ")" : number;
}

// The path with its symbolic links resolved; for a file that does not exist yet, its folder's.
fs::path resolved(const fs::path& file) {
    std::error_code error;
    const fs::path absolute = fs::absolute(file, error);
    if (error) return file;
    if (fs::exists(absolute, error)) {
        const fs::path canonical = fs::canonical(absolute, error);
        if (!error) return canonical;
    }
    const fs::path folder = fs::weakly_canonical(absolute.parent_path(), error);
    return error ? absolute : folder / absolute.filename();
}

// What is wrong with one file or folder on the path, or nothing.
std::optional<std::string> judge(const fs::path& path, const struct stat& info, bool is_target,
                                 std::string_view what, const fs::path& file) {
    const uid_t service_user = ::geteuid();
    const std::string subject = is_target ? std::string(what) + " " + path.string()
                                          : "the folder " + path.string() + " on the path of " + std::string(what) +
                                                " " + file.string();
    if (info.st_uid != 0 && info.st_uid != service_user) {
        return subject + " belongs to " + user_name(info.st_uid) + ", who could change it: only root" +
               (service_user != 0 ? " or " + user_name(service_user) : std::string()) +
               " may own it (fix: chown root " + path.string() + ")";
    }
    const bool group_writes = (info.st_mode & S_IWGRP) != 0;
    const bool others_write = (info.st_mode & S_IWOTH) != 0;
    const bool sticky_folder = !is_target && S_ISDIR(info.st_mode) && (info.st_mode & S_ISVTX) != 0;
    if ((group_writes || others_write) && !sticky_folder) {
        const std::string who = group_writes && others_write ? "its group and everyone"
                                : group_writes              ? "its group"
                                                            : "everyone";
        const std::string consequence = is_target ? "" : ", so the file in it could be replaced";
        return subject + " is writable by " + who + " (mode " + octal_mode(info.st_mode) + ")" + consequence +
               " (fix: chmod go-w " + path.string() + ")";
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> unsafe_permissions(const fs::path& file, std::string_view what) {
    const fs::path target = resolved(file);
    bool is_target = true;
    for (fs::path path = target;; path = path.parent_path()) {
        struct stat info {};
        if (::stat(path.c_str(), &info) == 0) {
            if (auto problem = judge(path, info, is_target, what, target)) return problem;
        } else if (errno != ENOENT) {  // what does not exist yet is for whoever opens it to report
            return "cannot check who may change " + std::string(what) + " " + target.string() + ": " + path.string() +
                   ": " + std::strerror(errno);
        }
        is_target = false;
        if (path == path.parent_path()) break;
    }
    return std::nullopt;
}

}  // namespace smbreaper
