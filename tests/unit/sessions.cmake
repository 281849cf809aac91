smbreaper_unit_test(test_dialect test_dialect.cpp LIBS smbreaper_sessions)
smbreaper_unit_test(test_json_writer test_json_writer.cpp LIBS smbreaper_sessions)
# The WMI source's platform-neutral parts; the COM layer itself is tested under Wine (tests/windows/).
smbreaper_unit_test(test_wmi_value test_wmi_value.cpp LIBS smbreaper_sessions)
smbreaper_unit_test(test_smb_session_mapping test_smb_session_mapping.cpp LIBS smbreaper_sessions)
smbreaper_unit_test(test_wmi_error_text test_wmi_error_text.cpp LIBS smbreaper_sessions)
