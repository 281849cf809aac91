# The audit trail (storage/) and `smbreaper audit`.
# Tests that start processes (fork, exec, signals, setuid) are POSIX only.
add_library(smbreaper_audit_test_support STATIC audit_test_support.cpp)
target_link_libraries(smbreaper_audit_test_support PUBLIC smbreaper_storage SQLite::SQLite3)
# test_support.h, which audit_test_support.h includes, needs these on every platform.
target_compile_definitions(smbreaper_audit_test_support PRIVATE
  SMBREAPER_SOURCE_DIR="${PROJECT_SOURCE_DIR}" SMBREAPER_TEST_DATA="${SMBREAPER_TEST_DATA}")
if(NOT WIN32)
  target_sources(smbreaper_audit_test_support PRIVATE audit_test_commands.cpp)
  target_compile_definitions(smbreaper_audit_test_support PRIVATE SMBREAPER_BINARY="$<TARGET_FILE:smbreaper>")
endif()

smbreaper_unit_test(test_audit_hash test_audit_hash.cpp LIBS smbreaper_storage)
smbreaper_unit_test(test_audit_entry test_audit_entry.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_row test_audit_row.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_store test_audit_store.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_schema test_audit_schema.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_verify test_audit_verify.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_prune test_audit_prune.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_query test_audit_query.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_export test_audit_export.cpp LIBS smbreaper_audit_test_support)
if(NOT WIN32)
  smbreaper_unit_test(test_audit_processes test_audit_processes.cpp LIBS smbreaper_audit_test_support)
  smbreaper_unit_test(test_audit_cli test_audit_cli.cpp LIBS smbreaper_audit_test_support NEEDS_BINARY)
  smbreaper_unit_test(test_audit_doc test_audit_doc.cpp LIBS smbreaper_audit_test_support)
endif()
smbreaper_unit_test(test_csv test_csv.cpp LIBS smbreaper_storage)
smbreaper_unit_test(test_audit_blocks test_audit_blocks.cpp LIBS smbreaper_audit_test_support)
