# Shared by the parts of scripts/bench: logging, the machine's load, and the figures file.
# Sourced, not run. Expects: root, results, build_dir, build_type, quick (0|1).

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

# The 1-minute load average: recorded next to every figure, since wall-clock times on a shared
# machine mean little without it.
load1() { cut -d' ' -f1 /proc/loadavg; }

# figure SECTION NAME VALUE UNIT LOAD COMMAND: one measured figure, one line of figures.tsv.
figure() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >>"$results/figures.tsv"
}

# Runs a command under /usr/bin/time -v; prints "SECONDS_ELAPSED CPU_SECONDS PEAK_KIB".
# The command's own output goes to /dev/null.
time_and_peak_memory() {
    local report
    report=$(mktemp)
    /usr/bin/time -v -o "$report" "$@" >/dev/null 2>&1 || { cat "$report" >&2; rm -f "$report"; return 1; }
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /User time/ { user = $2 }
        /System time/ { sys = $2 }
        /Maximum resident set size/ { peak = $2 }
        END { printf "%.3f %.3f %d\n", wall, user + sys, peak }' "$report"
    rm -f "$report"
}

# The machine, the build and the time, for the head of the summary.
describe_machine() {
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "host: $(hostname)"
        echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(nproc) cores"
        echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
        echo "kernel: $(uname -r)"
        echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
        echo "compiler: $(c++ --version | head -1)"
        echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
        echo "build: ${build_type:-$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt")} ($build_dir)"
        echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "tools: $(hyperfine --version), $(jq --version), $(/usr/bin/python3 --version 2>&1), $(smbd --version 2>/dev/null || echo 'no smbd')"
    } >"$results/machine.txt"
}
