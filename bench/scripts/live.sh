# Part of scripts/bench: smbreaper against a real Samba server on loopback (scripts/samba-test-instance)
# with real smbclient sessions:
#   - a cycle's cost step by step (the phases of the `cycle:` log line) at 10, 50 and 200 sessions;
#   - the idle daemon's CPU and resident memory over a long run at a 5 s poll;
#   - how long after crossing an idle threshold a session is disconnected, by smbreaper and by
#     Samba's own `deadtime`, on the same kind of sessions.
# Needs root, smbd and smbclient.

live_work=""
live_instances=()  # the smb.conf of every instance started, stopped by live_cleanup
client_pids=()     # smbclient processes
client_fds=()      # the write end of each one's command fifo
reaper_pids=()     # smbreaper processes still running
instance_conf=""   # set by start_instance

live_cleanup() {
    local fd pid conf
    for pid in "${reaper_pids[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    for fd in "${client_fds[@]}"; do eval "exec $fd>&-" 2>/dev/null || true; done
    for pid in "${client_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${client_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    for conf in "${live_instances[@]}"; do "$root/scripts/samba-test-instance" stop "$conf" >/dev/null 2>&1 || true; done
    reaper_pids=() client_fds=() client_pids=() live_instances=()
    [ -n "$live_work" ] && rm -rf "$live_work"
    live_work=""
}

live_prerequisites_met() {
    [ "$(id -u)" -eq 0 ] || { log "not root: live Samba measurements skipped"; return 1; }
    command -v smbd >/dev/null && command -v smbclient >/dev/null ||
        { log "no smbd or smbclient: live Samba measurements skipped"; return 1; }
}

# start_instance NAME [GLOBAL_LINE]...: a throwaway smbd; sets instance_conf.
start_instance() {
    local name=$1 line args=()
    shift
    args=(start --dir "$live_work/$name")
    for line in "$@"; do args+=(--global "$line"); done
    instance_conf=$("$root/scripts/samba-test-instance" "${args[@]}" 2>>"$live_work/instances.log") ||
        die "cannot start a Samba test instance: $(tail -3 "$live_work/instances.log")"
    live_instances+=("$instance_conf")
}

instance_value() { sed -n "s/^$2=//p" "$(dirname "$1")/instance.env"; }

# open_session CONF USER: an smbclient session whose commands come from a fifo kept open. It lists
# the share once, so that it has been active. Prints nothing; the session's number is its index in
# client_pids.
open_session() {
    local conf=$1 user=$2 n=${#client_pids[@]} fd
    local fifo=$live_work/client-$n.in
    mkfifo "$fifo"
    stdbuf -oL smbclient //127.0.0.1/share -p "$(instance_value "$conf" PORT)" -s "$conf" \
        -U "$user%Passw0rd-$user" <"$fifo" >"$live_work/client-$n.out" 2>&1 &
    client_pids+=($!)
    exec {fd}>"$fifo"
    client_fds+=("$fd")
    echo ls >&"$fd"
}

# wait_for_listing N: until session N has received its listing; prints the moment it arrived.
wait_for_listing() {
    local deadline=$((SECONDS + 120))
    until grep -q 'blocks available' "$live_work/client-$1.out" 2>/dev/null; do
        ((SECONDS < deadline)) || die "smbclient session $1 did not connect: $(tail -3 "$live_work/client-$1.out")"
        sleep 0.05
    done
    date +%s.%N
}

# open_sessions CONF COUNT: COUNT more sessions, users taking turns; returns when all are connected.
open_sessions() {
    local conf=$1 count=$2 first=${#client_pids[@]} i users=(alice bob carol svc_backup)
    for ((i = 0; i < count; ++i)); do
        open_session "$conf" "${users[$(((first + i) % 4))]}"
        ((i % 10 == 9)) && wait_for_listing $((first + i)) >/dev/null  # keep the burst of logons modest
    done
    for ((i = first; i < first + count; ++i)); do wait_for_listing "$i" >/dev/null; done
}

# live_policy CONF MODE POLL AUDIT_DB: the settings for this instance (with the metrics written
# to a textfile after every cycle: their cost is the cycle's "metrics" phase), then the generated
# 50-rule policy's lists and rules; callers append rules of their own.
live_policy() {
    cat <<YAML
version: 1
settings:
  mode: $2
  poll_interval: $3
  source: samba
  samba: {smb_conf: $1}
  audit_db: $4
  limits: {confirm_polls: 1, max_close_fraction: 1.0}
  metrics: {textfile: $4.prom}
YAML
    sed -n '/^lists:/,$p' "$data/policy-50.yaml"
}

# start_reaper POLICY LOG: smbreaper run in the background; its pid is the last of reaper_pids.
start_reaper() {
    "$smbreaper" run --no-syslog --policy "$1" 2>"$2" &
    reaper_pids+=($!)
}

stop_reaper() {
    local pid=${reaper_pids[-1]}
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset 'reaper_pids[-1]'
}

cycles_logged() { grep -c ' cycle: ' "$1" 2>/dev/null || true; }

wait_for_cycles() {  # wait_for_cycles LOG COUNT
    local deadline=$((SECONDS + 60 + 10 * $2)) logged
    while logged=$(cycles_logged "$1") && ((${logged:-0} < $2)); do
        ((SECONDS < deadline)) || die "smbreaper did not run $2 cycles: $(tail -3 "$1")"
        sleep 0.2
    done
}

# The phases of each cycle at 10, 50 and 200 sessions. The last rule records every live session as
# what-if, so the first cycle also writes one audit entry per session, in one transaction.
measure_cycle_phases() {
    local conf=$1 sessions total=0 cycles=$((quick ? 4 : 16)) policy log
    for sessions in "${live_session_counts[@]}"; do
        open_sessions "$conf" $((sessions - total))
        total=$sessions
        policy=$live_work/cycles-$sessions.yaml
        log=$results/live-cycles-$sessions.log
        {
            live_policy "$conf" audit 1s "$live_work/audit-cycles-$sessions.db"
            printf '  - name: what-if-every-live-session\n    action: audit\n    match: {user: [alice, bob, carol, svc_backup]}\n'
        } >"$policy"
        log "live: $cycles cycles at $sessions sessions (load $(load1))"
        echo "$(load1)" >"$results/live-cycles-$sessions.load"
        start_reaper "$policy" "$log"
        wait_for_cycles "$log" "$cycles"
        stop_reaper
        echo "$(load1)" >>"$results/live-cycles-$sessions.load"
        /usr/bin/python3 "$root/bench/scripts/cycle_phases.py" "$log" >"$results/live-cycles-$sessions.json"
    done
}

# CPU and memory of smbreaper polling every 5 s with nothing to close, sampled every 10 s.
measure_idle_daemon() {
    local conf=$1 seconds=$2 policy=$live_work/idle.yaml log=$results/live-idle.log pid start now
    live_policy "$conf" audit 5s "$live_work/audit-idle.db" >"$policy"
    log "live: idle daemon for $seconds s at ${#client_pids[@]} sessions (load $(load1))"
    start_reaper "$policy" "$log"
    pid=${reaper_pids[-1]}
    start=$SECONDS
    {
        printf 'seconds\tutime_ticks\tstime_ticks\tchildren_ticks\trss_kib\thwm_kib\tload1\n'
        while ((SECONDS - start < seconds)); do
            [ -d "/proc/$pid" ] || die "smbreaper stopped during the idle measurement: $(tail -3 "$log")"
            awk -v t=$((SECONDS - start)) -v load="$(load1)" -v status="/proc/$pid/status" '
                { sub(/^.*\) /, ""); utime = $12; stime = $13; children = $14 + $15 }
                END {
                    while ((getline line < status) > 0) {
                        split(line, f, /[ \t]+/)
                        if (f[1] == "VmRSS:") rss = f[2]
                        if (f[1] == "VmHWM:") hwm = f[2]
                    }
                    printf "%d\t%d\t%d\t%d\t%d\t%d\t%s\n", t, utime, stime, children, rss, hwm, load
                }' "/proc/$pid/stat"
            sleep 10
        done
    } >"$results/live-idle.tsv"
    stop_reaper
}

# Sessions that connect, list the share once and then stay idle (smbclient still sends its echo
# every 5 s). One instance disconnects them with `deadtime = 1`, the other is watched by smbreaper
# closing sessions idle for 60 s. Records, per session, when it became idle and when its smbd
# process ended.
measure_reaction_times() {
    local per_instance=$1 deadtime_conf reaper_conf policy i n pids=() idle_at=() kinds=() line conf_kind
    start_instance deadtime 'deadtime = 1'
    deadtime_conf=$instance_conf
    start_instance reaper
    reaper_conf=$instance_conf
    policy=$live_work/reaction.yaml
    {
        live_policy "$reaper_conf" enforce 5s "$live_work/audit-reaction.db" | sed '/^lists:/,$d'
        printf 'rules:\n  - name: idle-60s\n    action: close\n    match: {idle: '"'"'>= 60s'"'"'}\n'
    } >"$policy"
    start_reaper "$policy" "$results/live-reaction-reaper.log"

    log "live: reaction times, $per_instance sessions on each instance (load $(load1))"
    for ((i = 0; i < per_instance; ++i)); do
        for conf_kind in "$deadtime_conf:deadtime" "$reaper_conf:smbreaper"; do
            local conf=${conf_kind%%:*} before after
            before=$(ps --ppid "$(instance_value "$conf" SMBD_PID)" -o pid= | sort)
            n=${#client_pids[@]}
            open_session "$conf" alice
            idle_at+=("$(wait_for_listing "$n")")
            after=$(ps --ppid "$(instance_value "$conf" SMBD_PID)" -o pid= | sort)
            pids+=("$(comm -13 <(echo "$before") <(echo "$after") | tr -d ' ' | head -1)")
            kinds+=("${conf_kind##*:}")
        done
        sleep 4  # spread the sessions over the poll interval and Samba's own timer
    done

    local deadline=$((SECONDS + 300)) remaining gone_at=()
    for i in "${!pids[@]}"; do gone_at+=(""); done
    while :; do
        remaining=0
        for i in "${!pids[@]}"; do
            [ -n "${gone_at[$i]}" ] && continue
            if [ -d "/proc/${pids[$i]}" ] && ! grep -q '^State:.*Z' "/proc/${pids[$i]}/status" 2>/dev/null; then
                remaining=$((remaining + 1))
            else
                gone_at[i]=$(date +%s.%N)
            fi
        done
        ((remaining == 0 || SECONDS >= deadline)) && break
        sleep 0.1
    done
    stop_reaper
    {
        printf 'closer\tsmbd_pid\tidle_since\tdisconnected\tseconds_after_60s\n'
        for i in "${!pids[@]}"; do
            line=never
            [ -n "${gone_at[$i]}" ] && line=$(awk -v gone="${gone_at[$i]}" -v idle="${idle_at[$i]}" \
                'BEGIN { printf "%.1f", gone - idle - 60 }')
            printf '%s\t%s\t%s\t%s\t%s\n' "${kinds[$i]}" "${pids[$i]}" "${idle_at[$i]}" "${gone_at[$i]:-}" "$line"
        done
    } >"$results/live-reaction.tsv"
}

run_live_measurements() {
    live_prerequisites_met || return 0
    live_work=$(mktemp -d /tmp/smbreaper-bench-live.XXXXXX)
    chmod 755 "$live_work"
    start_instance cycles
    local cycles_conf=$instance_conf
    measure_cycle_phases "$cycles_conf"
    ((quick)) || measure_idle_daemon "$cycles_conf" "$idle_seconds"
    ((quick)) || measure_reaction_times 5
    live_cleanup
}
