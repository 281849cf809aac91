#!/usr/bin/env bash
# smbreaper.exe as a Windows service under Wine, from install to uninstall: `service install`,
# start, cycles against a snapshot table with sessions to close, status, reload, a refused
# world-writable policy, stop, uninstall; then the Linux build's smbreaper verifies the audit
# trail the Windows service wrote and finds the closures in it (one file format on both).
# Usage: service_lifecycle.sh SMBREAPER_EXE
# Needs SMBREAPER_WINE_PREFIX and SMBREAPER_LINUX_BINARY (scripts/test-windows sets both).
set -euo pipefail
exe=$1
linux=${SMBREAPER_LINUX_BINARY:?SMBREAPER_LINUX_BINARY names the Linux build of smbreaper}
. "$(dirname "$0")/lifecycle-lib.sh"

name=smbreaper-lifecycle
data_win='C:\ProgramData\smbreaper-lifecycle'
data=$WINEPREFIX/drive_c/ProgramData/smbreaper-lifecycle
startup_log=$WINEPREFIX/drive_c/ProgramData/smbreaper/logs/smbreaper.log
smbreaper() { wine "$exe" "$@"; }

cleanup() { smbreaper service uninstall --name "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
rm -rf "$data"

step "install: the policy folder is created, the service registered"
expect_output 0 "installed service $name: automatic start \\(delayed, after Winmgmt and LanmanServer\\), restarted on failure" \
  smbreaper service install --name "$name" --policy "$data_win\\policy.yaml"
[ -d "$data" ] || fail "service install did not create $data"
expect_output 1 "a service named $name is installed already" \
  smbreaper service install --name "$name" --policy "$data_win\\policy.yaml"
expect_output 1 "$name: stopped" smbreaper service status --name "$name"
step "start order: after WMI and the SMB server"
# Where Windows keeps them (Wine's QueryServiceConfigW leaves lpDependencies empty, so `service
# status` prints "starts after: nothing" here; on Windows it names both).
expect_output 0 'DependOnService +REG_MULTI_SZ +Winmgmt\\0LanmanServer' \
  wine reg query "HKLM\\System\\CurrentControlSet\\Services\\$name" /v DependOnService

# Four sessions: alice and dave idle for hours with nothing open (closed by idle-2h), bob idle
# but with files open (the open_files guard keeps him), HV01$ a machine account (guarded).
cat >"$data/sessions.json" <<'JSON'
[
 {"SessionId": "1001", "ClientComputerName": "10.0.5.21", "ClientUserName": "CORP\\alice", "ScopeName": "*",
  "ClusterNodeName": "FS1", "SmbInstance": 0, "NumOpens": 0, "SecondsIdle": 9000, "SecondsExists": 30000,
  "Dialect": "3.1.1", "TransportName": "TCP"},
 {"SessionId": "1002", "ClientComputerName": "10.0.5.22", "ClientUserName": "CORP\\bob", "ScopeName": "*",
  "ClusterNodeName": "FS1", "SmbInstance": 0, "NumOpens": 3, "SecondsIdle": 9500, "SecondsExists": 40000,
  "Dialect": "3.1.1", "TransportName": "TCP"},
 {"SessionId": "1003", "ClientComputerName": "10.0.5.40", "ClientUserName": "CORP\\HV01$", "ScopeName": "*",
  "ClusterNodeName": "FS1", "SmbInstance": 0, "NumOpens": 0, "SecondsIdle": 99999, "SecondsExists": 99999,
  "Dialect": "3.1.1", "TransportName": "TCP"},
 {"SessionId": "1004", "ClientComputerName": "10.0.5.23", "ClientUserName": "CORP\\dave", "ScopeName": "*",
  "ClusterNodeName": "FS1", "SmbInstance": 0, "NumOpens": 0, "SecondsIdle": 8000, "SecondsExists": 9000,
  "Dialect": "3.0.2", "TransportName": "TCP"}
]
JSON
# A free port below Linux's ephemeral range, for the service's /metrics endpoint.
metrics_port=$(python3 -c '
import random, socket
for _ in range(200):
    port = random.randint(21000, 31999)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break')
cat >"$data/policy.yaml" <<YAML
version: 1
settings:
  mode: enforce
  poll_interval: 1s
  source: 'snapshot:sessions.json'
  log: {file: service.log}
  limits: {confirm_polls: 2, max_close_fraction: 1}
  metrics: {listen: $metrics_port, textfile: metrics.prom}
rules:
  - name: idle-2h
    action: close
    match: {idle: '>= 2h', open_files: 0}
YAML
chmod 644 "$data/policy.yaml"

step "start: the service runs the reaper cycle"
expect_output 0 "$name is running \(pid [0-9]+\)" smbreaper service start --name "$name"
expect_output 0 "$name: running \(pid [0-9]+\)" smbreaper service status --name "$name"

step "the confirmed sessions are closed (removed from the snapshot table)"
closed() { ! grep -q '"SessionId":1001\|"SessionId": "1001"' "$data/sessions.json" &&
           ! grep -q '"SessionId":1004\|"SessionId": "1004"' "$data/sessions.json"; }
wait_for 60 closed || fail "alice and dave were not closed: $(cat "$data/sessions.json")"
grep -q '1002' "$data/sessions.json" || fail "bob (open files) was closed"
grep -q '1003' "$data/sessions.json" || fail "the machine account was closed"

step "metrics: the service serves GET /metrics (and refuses POST) and writes the textfile"
closures_line='smbreaper_closures_total{outcome="closed",rule="idle-2h"} 2'
scraped() {
  python3 - "$metrics_port" "$closures_line" <<'PY'
import sys, urllib.error, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/metrics"
body = urllib.request.urlopen(url, timeout=5).read().decode()
assert sys.argv[2] in body.splitlines(), body
try:
    urllib.request.urlopen(urllib.request.Request(url, data=b"x", method="POST"), timeout=5)
    raise SystemExit("POST /metrics was answered")
except urllib.error.HTTPError as refused:
    assert refused.code == 405, refused.code
PY
}
wait_for 30 scraped || fail "/metrics did not report the two closures: $(scraped 2>&1 | tail -3)"
textfile_done() { grep -qxF "$closures_line" "$data/metrics.prom" 2>/dev/null; }
wait_for 30 textfile_done || fail "the textfile does not report the two closures"
promtool check metrics <"$data/metrics.prom" || fail "promtool refuses the textfile"

step "one service per trail: a second run on the running service's trail refuses at once, naming it"
expect_output 1 "in use by another smbreaper service \(pid [0-9]+ smbreaper service on .*policy" \
  smbreaper run --once --no-syslog --policy "$data_win\\policy.yaml"

step "reload: the custom service control re-reads the policy"
expect_output 0 "$name: asked to re-read its policy" smbreaper service reload --name "$name"
reloaded() { grep -q "service control 128: re-reading the policy" "$data/service.log"; }
wait_for 30 reloaded || fail "the service did not log the reload: $(tail -5 "$data/service.log")"

step "stop: graceful, with the stop entry written"
expect_output 0 "$name is stopped" smbreaper service stop --name "$name"
grep -q "smbreaper stopped; audit chain head" "$data/service.log" || fail "no graceful stop in the log"

step "non-ASCII: a policy named политика.yaml is checked and run; CONTOSO\\Jörg reaches the Event Log as UTF-16"
mkdir -p "$data/unicode"
cat >"$data/unicode/sessions.json" <<'JSON'
[{"SessionId": "2001", "ClientComputerName": "10.0.5.31", "ClientUserName": "CONTOSO\\J\u00f6rg", "ScopeName": "*",
  "ClusterNodeName": "FS1", "SmbInstance": 0, "NumOpens": 0, "SecondsIdle": 9000, "SecondsExists": 30000,
  "Dialect": "3.1.1", "TransportName": "TCP"}]
JSON
cat >"$data/unicode/политика.yaml" <<'YAML'
version: 1
settings:
  mode: audit
  source: 'snapshot:sessions.json'
  limits: {confirm_polls: 1, max_close_fraction: 1}
rules:
  - {name: idle-2h, action: close, match: {idle: '>= 2h', open_files: 0}}
YAML
chmod 644 "$data/unicode/политика.yaml"
expect_output 0 "valid" smbreaper check "$data_win\\unicode\\политика.yaml"
# Wine traces each Event Log string as UTF-16 (debugstr_w writes ö as \00f6); through ReportEventA
# the UTF-8 bytes would arrive as two ANSI characters (\00c3\00b6).
output=$(WINEDEBUG=+eventlog wine "$exe" run --once --policy "$data_win\\unicode\\политика.yaml" 2>&1) ||
  fail "run --once with a non-ASCII policy path failed: $output"
grep -q 'ReportEventW L".*what-if: rule idle-2h would close session 2001 (user CONTOSO\\\\J\\00f6rg' <<<"$output" ||
  fail "the what-if line did not reach the Event Log as UTF-16: $(grep -a 'ReportEvent.*what-if' <<<"$output" | head -3)"
[ -f "$data/unicode/audit.db" ] || fail "no audit trail beside политика.yaml"

step "a policy anyone may write is refused: the service does not start"
chmod 666 "$data/policy.yaml"
expect_output 1 "$name did not start: it is stopped, smbreaper exit code 1" smbreaper service start --name "$name"
grep -q "refusing the policy file.*Everyone (S-1-1-0) may change it" "$startup_log" ||
  fail "the refusal is not in $startup_log"
chmod 644 "$data/policy.yaml"

step "uninstall: the service is gone, its policy and audit trail stay"
expect_output 0 "removed service $name; its policy, audit trail and logs are kept" \
  smbreaper service uninstall --name "$name"
expect_output 1 "does not exist" smbreaper service status --name "$name"
[ -f "$data/policy.yaml" ] && [ -f "$data/audit.db" ] || fail "uninstall removed the policy or the audit trail"

step "the Linux build verifies the audit trail the Windows service wrote"
expect_output 0 "" "$linux" audit verify --db "$data/audit.db"
closures=$("$linux" audit list --db "$data/audit.db" --outcome closed --format json)
python3 - "$closures" <<'PY' || fail "the audit trail does not hold exactly the two closures"
import json, sys
entries = json.loads(sys.argv[1])
closed = sorted(int(e["SessionId"]) for e in entries)
print("closed sessions in the audit trail:", closed)
assert closed == [1001, 1004], closed
assert all(e["rule"] == "idle-2h" and e["mode"] == "enforce" for e in entries)
PY
echo "service lifecycle: passed"
