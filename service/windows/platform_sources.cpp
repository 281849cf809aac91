#include "sessions/wmi/wmi_session_table.h"
#include "service/session_source_factory.h"

namespace smbreaper {

std::unique_ptr<SessionTable> make_samba_session_table(const Settings&) {
    throw SourceError("samba source is Linux only: on Windows use wmi (MSFT_SmbSession) or snapshot:PATH");
}

std::unique_ptr<SessionTable> make_wmi_session_table(const Settings&) { return std::make_unique<WmiSessionTable>(); }

}  // namespace smbreaper
