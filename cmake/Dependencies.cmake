# Every dependency comes from a Debian package (see scripts/install-deps); the MinGW cross build
# (scripts/build-windows) builds the compiled ones from Debian's sources, and a native Windows
# build gets them from vcpkg (vcpkg.json).
find_package(yaml-cpp REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(Threads REQUIRED)

# RE2: the cross build installs its CMake package; Debian 12's libre2-dev ships only pkg-config.
find_package(re2 CONFIG QUIET)
if(NOT TARGET re2::re2)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(re2 REQUIRED IMPORTED_TARGET re2)
  add_library(re2::re2 ALIAS PkgConfig::re2)
endif()

if(SMBREAPER_HEADER_ONLY_INCLUDE_DIR)
  include(${CMAKE_CURRENT_LIST_DIR}/HeaderOnlyDependencies.cmake)
else()
  find_package(spdlog REQUIRED)
  find_package(nlohmann_json 3.10 REQUIRED)
  find_package(CLI11 REQUIRED)
  find_package(Boost 1.74 REQUIRED)
  if(SMBREAPER_BUILD_TESTS)
    find_package(Catch2 2 REQUIRED)
  endif()
endif()

# The Prometheus metrics: prometheus-cpp's core (the registry, the text format) and pull (the
# /metrics endpoint, on civetweb, which the service also calls to refuse other requests).
find_package(prometheus-cpp CONFIG REQUIRED)
if(NOT TARGET civetweb::civetweb)
  find_package(civetweb CONFIG REQUIRED)
endif()

# SHA-256 comes from libcrypto on POSIX; Windows has BCrypt.
if(NOT WIN32)
  find_package(OpenSSL REQUIRED COMPONENTS Crypto)
endif()
if(NOT WIN32)
  # sd_notify for the systemd unit (service/posix/systemd_notifier.cpp).
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(libsystemd REQUIRED IMPORTED_TARGET libsystemd)
endif()
