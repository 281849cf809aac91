#pragma once

#include <sys/types.h>
#include <cstdint>
#include <string>

// A throwaway smbd started by scripts/samba-test-instance, stopped when the object goes. Its users
// are alice, bob, carol and svc_backup, each with the password "Passw0rd-NAME"; its share is
// "share".
class SambaTestInstance {
public:
    SambaTestInstance();
    SambaTestInstance(const SambaTestInstance&) = delete;
    SambaTestInstance& operator=(const SambaTestInstance&) = delete;
    ~SambaTestInstance();

    // Stops smbd (and samba-dcerpcd) and removes the instance's folder. Safe to call twice.
    void stop();
    // Stops smbd only, as a crash or an admin would: its smb.conf and folders stay.
    void stop_smbd_only();

    const std::string& conf() const { return conf_; }
    const std::string& share_path() const { return share_path_; }
    // The file the last line of [global] includes, for settings.samba.blocks_file.
    std::string blocks_file() const { return conf_.substr(0, conf_.rfind('/')) + "/blocks.conf"; }
    std::uint16_t port() const { return port_; }
    static std::string password_of(const std::string& user) { return "Passw0rd-" + user; }

private:
    std::string conf_;
    std::string share_path_;
    std::uint16_t port_ = 0;
    pid_t smbd_pid_ = 0;
    bool running_ = false;
};
