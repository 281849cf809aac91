# Cross-compiles for 64-bit Windows with Debian's MinGW-w64 (g++-mingw-w64-x86-64-posix: the posix
# thread model, so std::thread and std::mutex work). Used by scripts/build-windows for the
# dependencies and for smbreaper itself.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(mingw_triplet x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${mingw_triplet}-gcc-posix)
set(CMAKE_CXX_COMPILER ${mingw_triplet}-g++-posix)
set(CMAKE_RC_COMPILER ${mingw_triplet}-windres)
set(CMAKE_AR ${mingw_triplet}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${mingw_triplet}-ranlib CACHE FILEPATH "")

# Libraries and headers come from MinGW's own sysroot and from the dependency prefix
# (SMBREAPER_WINDOWS_DEPS, built by scripts/build-windows), never from the host's /usr.
set(CMAKE_FIND_ROOT_PATH /usr/${mingw_triplet} ${SMBREAPER_WINDOWS_DEPS})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SMBREAPER_WINDOWS_DEPS)

# One self-contained exe: no libstdc++, libgcc or winpthread DLLs to ship.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Test executables run through Wine (ctest, try_run).
find_program(SMBREAPER_WINE wine)
if(SMBREAPER_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SMBREAPER_WINE})
endif()
