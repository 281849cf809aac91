smbreaper_unit_test(test_close_planner test_close_planner.cpp LIBS smbreaper_service)
smbreaper_unit_test(test_reaper_cycle test_reaper_cycle.cpp LIBS smbreaper_service smbreaper_audit_test_support)

smbreaper_unit_test(test_wildcard_pattern test_wildcard_pattern.cpp LIBS smbreaper_cli)
smbreaper_unit_test(test_record_filter test_record_filter.cpp LIBS smbreaper_cli)
smbreaper_unit_test(test_output_format test_output_format.cpp LIBS smbreaper_cli)
smbreaper_unit_test(test_connection_closer test_connection_closer.cpp LIBS smbreaper_service)
smbreaper_unit_test(test_confirmation_prompt test_confirmation_prompt.cpp LIBS smbreaper_cli)
smbreaper_unit_test(test_interrupt_watch test_interrupt_watch.cpp LIBS smbreaper_cli)

# These start processes (fork, exec, signals, a pseudo-terminal) and run the smbreaper binary:
# POSIX only. (On Windows, tests/windows/ runs smbreaper.exe as a service under Wine.)
if(NOT WIN32)
  smbreaper_unit_test(test_cli_check test_cli_check.cpp LIBS smbreaper_audit_test_support nlohmann_json::nlohmann_json NEEDS_BINARY)
  smbreaper_unit_test(test_cli_simulate test_cli_simulate.cpp LIBS smbreaper_audit_test_support nlohmann_json::nlohmann_json NEEDS_BINARY)
  smbreaper_unit_test(test_cli_run test_cli_run.cpp LIBS smbreaper_service smbreaper_audit_test_support NEEDS_BINARY)
  smbreaper_unit_test(test_manual_close test_manual_close.cpp LIBS smbreaper_service smbreaper_audit_test_support)
  smbreaper_unit_test(test_cli_sessions test_cli_sessions.cpp LIBS smbreaper_audit_test_support nlohmann_json::nlohmann_json NEEDS_BINARY)
  smbreaper_unit_test(test_cli_close test_cli_close.cpp LIBS smbreaper_audit_test_support nlohmann_json::nlohmann_json NEEDS_BINARY)
  smbreaper_unit_test(test_cli_files test_cli_files.cpp LIBS smbreaper_audit_test_support nlohmann_json::nlohmann_json NEEDS_BINARY)
  smbreaper_unit_test(test_cli_close_terminal test_cli_close_terminal.cpp LIBS smbreaper_audit_test_support NEEDS_BINARY)
  smbreaper_unit_test(test_systemd_notifier test_systemd_notifier.cpp LIBS smbreaper_service smbreaper_audit_test_support NEEDS_BINARY)
  smbreaper_unit_test(test_man_page test_man_page.cpp LIBS smbreaper_audit_test_support NEEDS_BINARY)

  # Faults, crashes, permissions and hostile names: they start processes, mount disks and judge
  # POSIX modes (some need root).
  smbreaper_unit_test(test_audit_faults test_audit_faults.cpp LIBS smbreaper_service smbreaper_audit_test_support)
  foreach(test_name test_hostile_names test_hostile_files test_startup_faults test_crash_recovery test_policy_faults)
    smbreaper_unit_test(${test_name} ${test_name}.cpp LIBS smbreaper_audit_test_support nlohmann_json::nlohmann_json
                        NEEDS_BINARY)
  endforeach()
endif()
smbreaper_unit_test(test_reaper_cycle_files test_reaper_cycle_files.cpp LIBS smbreaper_service smbreaper_audit_test_support nlohmann_json::nlohmann_json)
smbreaper_unit_test(test_block_keeper test_block_keeper.cpp LIBS smbreaper_service smbreaper_audit_test_support nlohmann_json::nlohmann_json)
smbreaper_unit_test(test_service_metrics test_service_metrics.cpp LIBS smbreaper_service smbreaper_audit_test_support)
if(NOT WIN32)  # connects over loopback with POSIX sockets
  smbreaper_unit_test(test_metrics_endpoint test_metrics_endpoint.cpp LIBS smbreaper_service)
endif()
