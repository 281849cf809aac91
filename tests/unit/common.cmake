smbreaper_unit_test(test_json_writer test_json_writer.cpp LIBS smbreaper_sessions)
smbreaper_unit_test(test_phase_timing test_phase_timing.cpp LIBS smbreaper_common)
smbreaper_unit_test(test_display_text test_display_text.cpp LIBS smbreaper_common)
smbreaper_unit_test(test_text_table test_text_table.cpp LIBS smbreaper_common)
smbreaper_unit_test(test_sha256 test_sha256.cpp LIBS smbreaper_common)
smbreaper_unit_test(test_utc_time test_utc_time.cpp LIBS smbreaper_common)
if(NOT WIN32)  # FIFOs and /dev
  smbreaper_unit_test(test_regular_file test_regular_file.cpp LIBS smbreaper_audit_test_support)
endif()
