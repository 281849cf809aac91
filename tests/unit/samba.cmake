smbreaper_unit_test(test_connection_key test_connection_key.cpp LIBS smbreaper_sessions)

# The Samba source and its process runner are built on Linux only (sessions/CMakeLists.txt).
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  smbreaper_unit_test(test_process_runner test_process_runner.cpp LIBS smbreaper_sessions)
  smbreaper_unit_test(test_ip_endpoint test_ip_endpoint.cpp LIBS smbreaper_sessions)
  smbreaper_unit_test(test_smb_conf_reader test_smb_conf_reader.cpp LIBS smbreaper_sessions)
  smbreaper_unit_test(test_samba_blocks test_samba_blocks.cpp LIBS smbreaper_sessions)
  smbreaper_unit_test(test_idle_tracker test_idle_tracker.cpp LIBS smbreaper_sessions)
  smbreaper_unit_test(test_pid_file test_pid_file.cpp LIBS smbreaper_sessions)
  smbreaper_unit_test(test_socket_owners test_socket_owners.cpp LIBS smbreaper_sessions)
  smbreaper_unit_test(test_smbd_start_times test_smbd_start_times.cpp LIBS smbreaper_sessions)
endif()
