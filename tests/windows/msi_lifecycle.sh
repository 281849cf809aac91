#!/usr/bin/env bash
# The MSI under Wine: its tables hold the service (ServiceInstall, ServiceControl, its recovery)
# and keep the policy (NeverOverwrite, Permanent); `msiexec /i` installs the exe, keeps the
# administrator's policy and starts the service; `msiexec /x` removes the service, the exe and the
# Event Log source and leaves the policy and the audit trail.
# Usage: msi_lifecycle.sh MSI DEFAULT_POLICY
# Needs SMBREAPER_WINE_PREFIX and SMBREAPER_LINUX_BINARY (scripts/test-windows sets both).
set -euo pipefail
msi=$1
default_policy=$2
linux=${SMBREAPER_LINUX_BINARY:?SMBREAPER_LINUX_BINARY names the Linux build of smbreaper}
. "$(dirname "$0")/lifecycle-lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

data=$WINEPREFIX/drive_c/ProgramData/smbreaper
exe=$WINEPREFIX/drive_c/Program\ Files/smbreaper/smbreaper.exe
msi_win=$(winepath -w "$msi")
version=$("$linux" --version)

step "the MSI's tables: the service, its control, a policy that is never overwritten nor removed"
expect_output 0 $'smbreaper\tsmbreaper SMB session reaper\t16\t2\t1\t.*service host --name smbreaper\tService' \
  msiinfo export "$msi" ServiceInstall
# Event 163: start on install, stop on install and uninstall, delete on uninstall.
expect_output 0 $'ServiceControl\tsmbreaper\t163\t\t1\tService' msiinfo export "$msi" ServiceControl
# Attributes 400: 64-bit (256), Permanent (16), NeverOverwrite (128).
expect_output 0 $'DefaultPolicy\t\\{[0-9A-F-]+\\}\tDATADIR\t400\t\tpolicy.yaml' msiinfo export "$msi" Component
expect_output 0 $'ProductVersion\t'"${version##* }" msiinfo export "$msi" Property
# Recovery: restart after 10 s, 1 min, 5 min (reset after a day), also after an error exit.
expect_output 0 $'Recovery\tsmbreaper\t1\t86400\t\t\t1\\[~\\]1\\[~\\]1\t10000\\[~\\]60000\\[~\\]300000\tService' \
  msiinfo export "$msi" MsiServiceConfigFailureActions
expect_output 0 $'RestartOnErrorExit\tsmbreaper\t1\t4\t1\tService' msiinfo export "$msi" MsiServiceConfig
expect_output 0 $'MsiConfigureServices\tVersionNT >= 600\t5850' msiinfo export "$msi" InstallExecuteSequence
# Start order: after WMI and the SMB server, and delayed at boot.
expect_output 0 $'\tWinmgmt\\[~\\]LanmanServer\\[~\\]\\[~\\]\t' msiinfo export "$msi" ServiceInstall
expect_output 0 $'DelayedAutoStart\tsmbreaper\t1\t3\t1\tService' msiinfo export "$msi" MsiServiceConfig
# The data folder locked down: nobody but Administrators and SYSTEM may write it.
expect_output 0 $'DATADIR\tDefaultPolicy' msiinfo export "$msi" CreateFolder
expect_output 0 $'DataFolder\tDATADIR\tCreateFolder\tO:BAG:SYD:PAI\\(A;OICI;FA;;;SY\\)\\(A;OICI;FA;;;BA\\)\\(A;OICI;0x1200a9;;;BU\\)' \
  msiinfo export "$msi" MsiLockPermissionsEx

step "the default policy it installs is valid and in audit mode"
expect_output 0 "valid" "$linux" check "$default_policy"
grep -Eq '^  mode: audit' "$default_policy" || fail "the default policy is not in audit mode"

step "an administrator's policy is in place before the install (a snapshot table: Wine has no SMB server)"
wine msiexec /x "$msi_win" /qn >/dev/null 2>&1 || true
rm -rf "$data"
mkdir -p "$data"
cat >"$data/sessions.json" <<'JSON'
[{"SessionId": "7", "ClientComputerName": "10.0.5.21", "ClientUserName": "CORP\\alice", "ScopeName": "*",
  "ClusterNodeName": "", "SmbInstance": 0, "NumOpens": 0, "SecondsIdle": 90000, "SecondsExists": 90000,
  "Dialect": "3.1.1", "TransportName": "TCP"},
 {"SessionId": "8", "ClientComputerName": "10.0.5.22", "ClientUserName": "CORP\\bob", "ScopeName": "*",
  "ClusterNodeName": "", "SmbInstance": 0, "NumOpens": 0, "SecondsIdle": 10, "SecondsExists": 90000,
  "Dialect": "3.1.1", "TransportName": "TCP"}]
JSON
cat >"$data/policy.yaml" <<'YAML'
# the administrator's own policy: the MSI must leave it alone
version: 1
settings: {mode: audit, poll_interval: 1s, source: 'snapshot:sessions.json', limits: {confirm_polls: 1}}
rules:
  - {name: idle-8h, action: close, match: {idle: '>= 8h', open_files: 0}}
YAML
chmod 644 "$data/policy.yaml"
cp "$data/policy.yaml" "$data/policy.before"

step "msiexec /i: installs and starts the service"
wine msiexec /i "$msi_win" /qn || fail "msiexec /i failed ($?)"
[ -f "$exe" ] || fail "the exe is not installed"
for shipped in smbreaper-alerts.yml smbreaper-dashboard.json; do
  cmp -s "$(dirname "$exe")/$shipped" "$root/installer/metrics/$shipped" || fail "$shipped is not installed beside the exe"
done
cmp -s "$data/policy.yaml" "$data/policy.before" || fail "the install overwrote the administrator's policy"
expect_output 0 "smbreaper: running \(pid [0-9]+\)" wine "$exe" service status
expect_output 0 "smbreaper.exe" wine reg query 'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\smbreaper' /v EventMessageFile
audited() { [ -f "$data/audit.db" ] && grep -q "1 what-if" "$data/logs/smbreaper.log" 2>/dev/null; }
wait_for 60 audited || fail "the installed service did not audit the idle session: $(tail -3 "$data/logs/smbreaper.log" 2>&1)"

step "msiexec /x: removes the service and the exe, keeps the policy and the audit trail"
# Windows' msiexec waits for the service to stop before it removes the files (ServiceControl
# Wait="yes", checked above); Wine's only sends the stop, so the exe may still be running when
# Wine tries to delete it. Stop it first, as Windows would have.
expect_output 0 "smbreaper is stopped" wine "$exe" service stop
wine msiexec /x "$msi_win" /qn || fail "msiexec /x failed ($?)"
[ ! -e "$exe" ] || fail "the exe is still installed"
[ ! -e "$(dirname "$exe")/smbreaper-alerts.yml" ] || fail "the alert rules are still installed"
# The Service Control Manager's database has no smbreaper key any more, nor the Event Log source.
expect_output 1 "" wine reg query 'HKLM\SYSTEM\CurrentControlSet\Services\smbreaper'
expect_output 1 "" wine reg query 'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\smbreaper'
cmp -s "$data/policy.yaml" "$data/policy.before" || fail "the uninstall removed or changed the policy"
[ -f "$data/audit.db" ] || fail "the uninstall removed the audit trail"
expect_output 0 "intact" "$linux" audit verify --db "$data/audit.db"
expect_output 0 '"outcome":"what-if".*"SessionId":"7"' "$linux" audit list --db "$data/audit.db" --outcome what-if --format json
echo "MSI lifecycle: passed"
