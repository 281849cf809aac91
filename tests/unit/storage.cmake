# The audit trail (storage/) and `smbreaper audit`.
add_library(smbreaper_audit_test_support STATIC audit_test_support.cpp)
target_link_libraries(smbreaper_audit_test_support PUBLIC smbreaper_storage SQLite::SQLite3)
target_compile_definitions(smbreaper_audit_test_support PRIVATE SMBREAPER_BINARY="$<TARGET_FILE:smbreaper>")

smbreaper_unit_test(test_audit_sha256 test_audit_sha256.cpp LIBS smbreaper_storage)
smbreaper_unit_test(test_audit_time test_audit_time.cpp LIBS smbreaper_storage)
smbreaper_unit_test(test_audit_entry test_audit_entry.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_row test_audit_row.cpp LIBS smbreaper_audit_test_support)
smbreaper_unit_test(test_audit_hash test_audit_hash.cpp LIBS smbreaper_storage)
