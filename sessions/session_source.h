#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/samba/samba_settings.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {

// settings.source and the settings sections the sources read, as the policy file (or the
// command line) gave them.
struct SourceSettings {
    std::string name = "auto";   // a registered source, or auto: this platform's own
    std::filesystem::path file;  // the PATH of a source written NAME:PATH (snapshot:PATH)
    SambaSettings samba;         // settings.samba

    bool operator==(const SourceSettings&) const = default;
};

// Why a source must not run a program (its file could be replaced by someone else), or nothing.
using ProgramCheck = std::function<std::optional<std::string>(const std::string& program_file)>;

// One kind of session table. Each source lives in its own folder of sessions/ and is registered
// once, in sessions/CMakeLists.txt; everything else (settings.source's values, `check`'s warnings
// about fields a source cannot give, docs/POLICY.md's tables) is derived from its descriptor.
struct SourceDescriptor {
    std::string_view name;                       // as written in settings.source: "samba"
    std::string_view summary;                    // one line, for people
    std::string_view argument;                   // what follows "NAME:" when it takes one ("PATH"), else empty
    std::span<const std::string_view> settings;  // the settings sections it reads: {"samba"}
    // The record properties (MSFT_SmbSession's names, as in rules/field.cpp) it knows. A file
    // source has whatever its writer knew: every_property.
    std::span<const std::string_view> properties;
    bool every_property = false;
    // Why it cannot close one open file (close-file refuses with this), or empty when it can.
    std::string_view cannot_close_files;
    std::uint8_t platforms = 0;   // PlatformBits where it runs
    std::uint8_t default_on = 0;  // PlatformBits where `auto` means this source
    // Opens it, asking `may_run` about each program it would run; throws SourceError when it
    // cannot. Null where it is not built (another platform).
    std::unique_ptr<SessionTable> (*open)(const SourceSettings&, const ProgramCheck& may_run) = nullptr;

    bool runs_here() const { return open != nullptr; }
    bool provides(std::string_view property) const;
};

// Every registered source, in registration order (sessions/source_registry.cpp.in).
std::span<const SourceDescriptor> all_sources();

// The source named `name` ("auto": this platform's own), or null when there is none.
const SourceDescriptor* find_source(std::string_view name);

// What settings.source may say, for messages: "auto, snapshot:PATH, samba or wmi".
std::string source_choices();

// Parses a settings.source value: the source's name, or NAME:ARGUMENT for a source that takes
// one (the argument resolved against `folder` as a path). Nothing when it names no source.
std::optional<SourceSettings> parse_source_choice(std::string_view text, const std::filesystem::path& folder);

}  // namespace smbreaper::sessions
