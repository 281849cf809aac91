# Shared by the end-to-end Windows tests: Wine's environment, failing with a message, waiting.
# shellcheck source=wine-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/wine-env.sh"

# Services live only as long as the wineserver: keep one running (scripts/test-windows starts it
# the same way, and ends it after the run).
wineserver --persistent </dev/null >/dev/null 2>&1 || true  # fails when one runs already

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

step() { echo "== $*"; }

# wait_for SECONDS COMMAND...: runs COMMAND every half second until it succeeds or time is up.
wait_for() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

# expect_output EXPECTED_EXIT PATTERN COMMAND...: runs COMMAND, checks its exit code and that its
# output (standard output and error) matches the extended regular expression PATTERN.
expect_output() {
  local expected=$1 pattern=$2
  shift 2
  local output status=0
  output=$("$@" 2>&1) || status=$?
  printf '%s\n' "$output"
  [ "$status" -eq "$expected" ] || fail "$* exited $status, expected $expected"
  grep -Eq -- "$pattern" <<<"$output" || fail "$* did not print /$pattern/"
}
