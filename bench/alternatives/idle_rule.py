#!/usr/bin/env python3
"""The one idle rule in plain Python over a Get-SmbSession ConvertTo-Json table: prints the
SessionIds of sessions idle for 2 h or more with no open files, leaving out machine accounts and
non-default SMB instances as smbreaper's default guards do. Usage: idle_rule.py table.json"""
import json
import sys

with open(sys.argv[1], encoding="utf-8-sig") as table:
    sessions = json.load(table)
if isinstance(sessions, dict):  # ConvertTo-Json writes a single session as an object
    sessions = [sessions]
selected = [s["SessionId"] for s in sessions
            if s["SecondsIdle"] >= 7200 and s["NumOpens"] == 0
            and not s["ClientUserName"].endswith("$") and s["SmbInstance"] == 0]
json.dump(selected, sys.stdout)
print()
