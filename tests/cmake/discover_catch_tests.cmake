# Run by ctest when it starts (a TEST_INCLUDE_FILES entry written by smbreaper_end_test_module):
# lists the test cases of one test executable and adds one ctest test per case, named
# "<test file>: <case name>" and labelled with its module and its test file. The list is asked of
# the executable itself (so it runs under Wine in the Windows build) and is kept beside it until
# the executable changes.
#
# Set by the caller: EXECUTABLE, EMULATOR (may be empty), MODULE, LABELS (every test),
# SERIAL_FILES (test files whose cases must not run beside others), PROGRAM_FILES (test files
# that start the smbreaper program: their cases are also labelled `program`), CACHE_FILE,
# CMAKE_TOOL.

function(quote_for_cmake out value)
  set(${out} "[==[${value}]==]" PARENT_SCOPE)
endfunction()

function(write_discovered_tests)
  execute_process(
    COMMAND ${EMULATOR} "${EXECUTABLE}" --list-test-names-only --verbosity high
    OUTPUT_VARIABLE listing
    ERROR_VARIABLE listing_errors
    RESULT_VARIABLE listing_status)
  quote_for_cmake(executable "${EXECUTABLE}")
  set(emulator "")
  if(EMULATOR)
    quote_for_cmake(emulator "${EMULATOR}")
  endif()
  # Catch exits with the number of cases it listed; a failure to start is a negative status or
  # a message. Either way ctest must show it as a failing test, not as a module with no tests.
  if(NOT listing_status MATCHES "^[0-9]+$" OR listing_status EQUAL 0)
    quote_for_cmake(reason "cannot list the test cases of ${EXECUTABLE}: ${listing_status} ${listing_errors}")
    # Not kept as the list: the next ctest run asks again.
    file(WRITE "${CACHE_FILE}.failed" "add_test(${MODULE}_listing [==[${CMAKE_TOOL}]==] -E echo ${reason})\n"
         "set_tests_properties(${MODULE}_listing PROPERTIES WILL_FAIL TRUE)\n")
    file(REMOVE "${CACHE_FILE}")
    return()
  endif()

  string(REPLACE "\r" "" listing "${listing}")
  string(REPLACE ";" "\\;" listing "${listing}")
  string(REPLACE "\n" ";" lines "${listing}")
  set(script "")
  foreach(line IN LISTS lines)
    # "<case name>\t@<source file>:<line>" (--verbosity high); a name starting with '#' is quoted.
    if(NOT line MATCHES "^(.*)\t@(.*):[0-9]+$")
      continue()
    endif()
    set(case_name "${CMAKE_MATCH_1}")
    get_filename_component(test_file "${CMAKE_MATCH_2}" NAME_WE)
    if(case_name MATCHES "^\"(#.*)\"$")
      set(case_name "${CMAKE_MATCH_1}")
    endif()
    # The case is selected by name; Catch reads ',' '[' ']' '\' and a leading '*' or '~' as
    # test-spec syntax, so they are escaped.
    string(REGEX REPLACE "([],[\\\\*~])" "\\\\\\1" case_spec "${case_name}")
    # A name starting with '-' would be read as an option: escaped too.
    string(REGEX REPLACE "^-" "\\\\-" case_spec "${case_spec}")
    quote_for_cmake(test_name "${test_file}: ${case_name}")
    quote_for_cmake(case_spec "${case_spec}")
    set(labels "${LABELS};${MODULE};${test_file}")
    list(FIND PROGRAM_FILES "${test_file}" program_at)
    if(NOT program_at EQUAL -1)
      string(APPEND labels ";program")
    endif()
    set(properties "LABELS [==[${labels}]==]")
    list(FIND SERIAL_FILES "${test_file}" serial_at)  # (IN_LIST needs a policy ctest does not set)
    if(NOT serial_at EQUAL -1)
      string(APPEND properties " RUN_SERIAL TRUE")
    endif()
    string(APPEND script
      "add_test(${test_name} ${emulator} ${executable} ${case_spec})\n"
      "set_tests_properties(${test_name} PROPERTIES ${properties})\n")
  endforeach()
  file(WRITE "${CACHE_FILE}" "${script}")
endfunction()

if(NOT EXISTS "${CACHE_FILE}" OR "${EXECUTABLE}" IS_NEWER_THAN "${CACHE_FILE}" OR
   "${CMAKE_CURRENT_LIST_FILE}" IS_NEWER_THAN "${CACHE_FILE}")
  file(REMOVE "${CACHE_FILE}.failed")
  write_discovered_tests()
endif()
if(EXISTS "${CACHE_FILE}")
  include("${CACHE_FILE}")
else()
  include("${CACHE_FILE}.failed")
endif()
