#include "config/file_permissions.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace smbreaper::config {
using smbreaper::common::OpenedFile;

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

// What a path being judged is to the file the service trusts.
enum class Role { Target, Folder, Link };

// What is wrong with one file, folder or link on the path, or nothing.
std::optional<std::string> judge(const fs::path& path, const struct stat& info, Role role, std::string_view what,
                                 const fs::path& file) {
    const uid_t service_user = ::geteuid();
    const std::string on_the_path = " on the path of " + std::string(what) + " " + file.string();
    const std::string subject = role == Role::Target ? std::string(what) + " " + path.string()
                                : role == Role::Link ? "the symbolic link " + path.string() + on_the_path
                                                     : "the folder " + path.string() + on_the_path;
    if (info.st_uid != 0 && info.st_uid != service_user) {
        return subject + " belongs to " + user_name(info.st_uid) + ", who could change it: only root" +
               (service_user != 0 ? " or " + user_name(service_user) : std::string()) + " may own it (fix: chown " +
               std::string(role == Role::Link ? "-h " : "") + "root " + path.string() + ")";
    }
    if (role == Role::Link) return std::nullopt;  // a link's own mode means nothing; its folder's does
    const bool group_writes = (info.st_mode & S_IWGRP) != 0;
    const bool others_write = (info.st_mode & S_IWOTH) != 0;
    const bool sticky_folder = role == Role::Folder && S_ISDIR(info.st_mode) && (info.st_mode & S_ISVTX) != 0;
    if ((group_writes || others_write) && !sticky_folder) {
        const std::string who = group_writes && others_write ? "its group and everyone"
                                : group_writes               ? "its group"
                                                             : "everyone";
        const std::string consequence = role == Role::Target ? "" : ", so the file in it could be replaced";
        return subject + " is writable by " + who + " (mode " + octal_mode(info.st_mode) + ")" + consequence +
               " (fix: chmod go-w " + path.string() + ")";
    }
    return std::nullopt;
}

}  // namespace

std::string_view name_of(TrustedFile kind) {
    switch (kind) {
        case TrustedFile::Policy: return "the policy file";
        case TrustedFile::AuditTrail: return "the audit trail";
        case TrustedFile::Program: return "the program";
    }
    return "the file";
}

std::optional<std::string> unsafe_permissions(const fs::path& file, TrustedFile kind) {
    const std::string_view what = name_of(kind);
    // Resolves the path one name at a time, as the kernel does, judging every folder it passes
    // through and every link it follows: a link is only as safe as the folder it sits in, and the
    // folders of its target count as much as those of the path as written.
    std::error_code error;
    const fs::path absolute = fs::absolute(file, error);
    if (error) return "cannot check who may change " + std::string(what) + " " + file.string() + ": " + error.message();
    const auto cannot_check = [&](const fs::path& at, const std::string& why) {
        return "cannot check who may change " + std::string(what) + " " + file.string() + ": " + at.string() + ": " +
               why;
    };

    std::vector<fs::path> names;  // still to resolve, the next one last
    const fs::path relative = absolute.relative_path();
    for (const fs::path& name : relative) names.insert(names.begin(), name);
    fs::path current = absolute.root_path();
    struct stat info {};
    if (::stat(current.c_str(), &info) != 0) return cannot_check(current, std::strerror(errno));
    if (auto problem = judge(current, info, Role::Folder, what, file)) return problem;

    int links_followed = 0;
    while (!names.empty()) {
        const fs::path name = names.back();
        names.pop_back();
        if (name.empty() || name == ".") continue;
        if (name == "..") {  // `current` holds no link, so its parent is the real one
            current = current.parent_path();
            continue;
        }
        const fs::path next = current / name;
        if (::lstat(next.c_str(), &info) != 0) {
            if (errno == ENOENT) return std::nullopt;  // what does not exist yet is for whoever opens it to report
            return cannot_check(next, std::strerror(errno));
        }
        if (S_ISLNK(info.st_mode)) {
            // The link's folder was judged already; the link itself must be trusted too, or its
            // owner could replace it even in a sticky folder such as /tmp.
            if (auto problem = judge(next, info, Role::Link, what, file)) return problem;
            if (++links_followed > 40) return cannot_check(next, "too many levels of symbolic links");
            std::error_code link_error;
            const fs::path target = fs::read_symlink(next, link_error);
            if (link_error) return cannot_check(next, link_error.message());
            if (target.is_absolute()) current = target.root_path();
            const fs::path target_names = target.relative_path();
            const std::vector<fs::path> in_order(target_names.begin(), target_names.end());
            names.insert(names.end(), in_order.rbegin(), in_order.rend());
            continue;
        }
        const bool is_target = names.empty();
        if (auto problem = judge(next, info, is_target ? Role::Target : Role::Folder, what, file)) return problem;
        if (!is_target && !S_ISDIR(info.st_mode)) return cannot_check(next, "not a folder");
        current = next;
    }
    return std::nullopt;
}

std::optional<std::string> unsafe_opened_file(const OpenedFile& opened, const fs::path& file, TrustedFile kind) {
    const std::string_view what = name_of(kind);
    if (!opened.owner || !opened.mode) return std::nullopt;
    struct stat info {};
    info.st_uid = *opened.owner;
    info.st_mode = static_cast<mode_t>(S_IFREG | *opened.mode);
    return judge(file, info, Role::Target, what, file);
}

}  // namespace smbreaper::config
