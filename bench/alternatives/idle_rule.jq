# The one idle rule as a jq filter over a Get-SmbSession ConvertTo-Json table: the SessionIds of
# sessions idle for 2 h or more with no open files, leaving out machine accounts and non-default
# SMB instances as smbreaper's default guards do. Usage: jq -c -f idle_rule.jq table.json
[ (if type == "array" then .[] else . end)
  | select(.SecondsIdle >= 7200 and .NumOpens == 0
           and (.ClientUserName | endswith("$") | not) and .SmbInstance == 0)
  | .SessionId ]
