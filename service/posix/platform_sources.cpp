#include "config/file_permissions.h"
#include "sessions/samba/samba_session_table.h"
#include "service/session_source_factory.h"

namespace smbreaper {

// The service runs Samba's programs as root: one that someone else could replace would run their
// code as root (the same rule as for the policy file, config/file_permissions.h).
std::unique_ptr<SessionTable> make_samba_session_table(const Settings& settings) {
    SambaSettings samba;
    samba.smb_conf = settings.samba.smb_conf.string();
    samba.smbstatus = settings.samba.smbstatus;
    samba.smbcontrol = settings.samba.smbcontrol;
    samba.timeout = std::chrono::seconds(settings.samba.timeout_seconds);
    for (const std::string& program : SambaSessionTable::programs(samba)) {
        if (const auto problem = unsafe_permissions(program, TrustedFile::Program)) throw SourceError(*problem);
    }
    return std::make_unique<SambaSessionTable>(std::move(samba));
}

std::unique_ptr<SessionTable> make_wmi_session_table(const Settings&) {
    throw SourceError("the wmi source (MSFT_SmbSession) exists on Windows only; use samba or snapshot:PATH here");
}

}  // namespace smbreaper
