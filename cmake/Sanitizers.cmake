# Builds for finding bugs rather than shipping (scripts/test-sanitizers, scripts/fuzz):
#   -DSMBREAPER_SANITIZE=address,undefined   every target built and linked with these sanitizers
#   -DSMBREAPER_FUZZ=ON                      clang only: libFuzzer targets in tests/fuzz; the rest
#                                            of the code gets libFuzzer's coverage instrumentation
set(SMBREAPER_SANITIZE "" CACHE STRING "Sanitizers for every target, e.g. address,undefined (empty: none)")
option(SMBREAPER_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only)" OFF)

if(SMBREAPER_SANITIZE)
  # A finding stops the program: a test or fuzzer that merely printed a report would still pass.
  add_compile_options(-fsanitize=${SMBREAPER_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${SMBREAPER_SANITIZE})
endif()

if(SMBREAPER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SMBREAPER_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
