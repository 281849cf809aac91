# The header-only libraries for the MinGW cross build, as the imported targets find_package would
# give: each points at SMBREAPER_HEADER_ONLY_INCLUDE_DIR, a folder holding only those libraries'
# own include folders (scripts/windows-deps links them from Debian's packages), so the cross
# compiler never searches the host's /usr/include.
function(smbreaper_header_only_target target)
  cmake_parse_arguments(ARG "" "" "DEFINITIONS;LIBRARIES" ${ARGN})
  add_library(${target} INTERFACE IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${SMBREAPER_HEADER_ONLY_INCLUDE_DIR}"
    INTERFACE_COMPILE_DEFINITIONS "${ARG_DEFINITIONS}"
    INTERFACE_LINK_LIBRARIES "${ARG_LIBRARIES}")
endfunction()

# Debian's spdlog is configured for an external fmt: both are used header-only here. Its Windows
# Event Log sink writes UTF-16 (ReportEventW) only with SPDLOG_WCHAR_TO_UTF8_SUPPORT; without it,
# ReportEventA would mangle `CONTOSO\Jörg` through the ANSI code page. Log files are opened by
# their UTF-16 names (SPDLOG_WCHAR_FILENAMES: spdlog::filename_t is the path's native string).
smbreaper_header_only_target(spdlog::spdlog
  DEFINITIONS SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY SPDLOG_WCHAR_TO_UTF8_SUPPORT SPDLOG_WCHAR_FILENAMES)
smbreaper_header_only_target(nlohmann_json::nlohmann_json)
smbreaper_header_only_target(CLI11::CLI11)
# Asio's Windows back end needs Winsock.
smbreaper_header_only_target(Boost::headers LIBRARIES ws2_32 mswsock)
if(SMBREAPER_BUILD_TESTS)
  smbreaper_header_only_target(Catch2::Catch2)
endif()
