smbreaper_unit_test(test_dialect test_dialect.cpp LIBS smbreaper_sessions)
smbreaper_unit_test(test_json_writer test_json_writer.cpp LIBS smbreaper_sessions)
if(NOT WIN32)  # it compares inodes to see the file replaced
  smbreaper_unit_test(test_snapshot_close test_snapshot_close.cpp LIBS smbreaper_audit_test_support)
endif()
