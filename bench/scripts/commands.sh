# Part of scripts/bench: whole commands side by side (hyperfine), their peak memory
# (/usr/bin/time -v), and a check that the alternatives select the same sessions as smbreaper.

# The local time every simulate uses: a Tuesday evening, inside the contractors' after-hours
# window of the generated policies and outside their weekend rules.
readonly simulate_at=2026-11-24T20:00:00

simulate_command() {  # simulate_command RULES TABLE_FILE
    echo "$smbreaper simulate --policy $data/policy-$1.yaml --snapshot $2 --format json --at $simulate_at"
}
jq_command() { echo "jq -c -f $root/bench/alternatives/idle_rule.jq $1"; }
python_command() { echo "/usr/bin/python3 $root/bench/alternatives/idle_rule.py $1"; }

runs_for() {  # how many timed runs a table of this size gets
    if ((quick)); then echo 2; elif (($1 >= 1000000)); then echo 3; else echo 10; fi
}

# hyperfine NAME RUNS COMMAND...: one hyperfine run of the commands, side by side, its JSON kept.
run_hyperfine() {
    local name=$1 runs=$2
    shift 2
    local before
    before=$(load1)
    hyperfine --style basic --runs "$runs" --warmup $((quick ? 0 : 1)) --export-json "$results/hyperfine-$name.json" \
        "$@" >"$results/hyperfine-$name.txt" 2>&1 || die "hyperfine $name failed: $(tail -5 "$results/hyperfine-$name.txt")"
    echo "$before $(load1)" >"$results/hyperfine-$name.load"
}

# Every size of the Windows table: smbreaper with the 50-rule and the one-rule policy, jq and
# Python with the same one rule.
compare_with_alternatives() {
    local sessions table
    for sessions in "${sizes[@]}"; do
        table=$data/windows-$sessions.json
        log "hyperfine: $sessions sessions"
        run_hyperfine "windows-$sessions" "$(runs_for "$sessions")" \
            -n smbreaper-50-rules "$(simulate_command 50 "$table")" \
            -n smbreaper-1-rule "$(simulate_command 1 "$table")" \
            -n jq-1-rule "$(jq_command "$table")" \
            -n python-1-rule "$(python_command "$table")"
    done
}

# The largest everyday table with 1 to 200 rules, and the smbstatus format at each size.
compare_policy_sizes_and_formats() {
    local largest=${sizes[-1]} rules sessions args=()
    ((largest > 100000)) && largest=100000
    for rules in "${rule_counts[@]}"; do
        args+=(-n "smbreaper-$rules-rules" "$(simulate_command "$rules" "$data/windows-$largest.json")")
    done
    log "hyperfine: policies of ${rule_counts[*]} rules on $largest sessions"
    run_hyperfine "rules-$largest" "$(runs_for "$largest")" "${args[@]}"

    args=()
    for sessions in "${smbstatus_sizes[@]}"; do
        args+=(-n "smbreaper-smbstatus-$sessions" "$(simulate_command 50 "$data/smbstatus-$sessions.json")")
    done
    log "hyperfine: smbstatus documents of ${smbstatus_sizes[*]} sessions"
    run_hyperfine "smbstatus" "$(runs_for "${smbstatus_sizes[-1]}")" "${args[@]}"
}

# measure_once NAME COMMAND: peak resident memory, CPU and wall time of one run.
measure_once() {
    local before measured wall cpu peak
    before=$(load1)
    # shellcheck disable=SC2086 # the commands are plain words
    measured=$(time_and_peak_memory $2) || die "$2 failed"
    read -r wall cpu peak <<<"$measured"
    figure memory "$1" "$peak" KiB "$before" "/usr/bin/time -v $2"
    figure cpu "$1" "$cpu" s "$before" "/usr/bin/time -v $2"
    figure wall "$1" "$wall" s "$before" "/usr/bin/time -v $2"
}

# Peak resident memory and CPU time of each command once, with /usr/bin/time -v.
measure_peak_memory() {
    local sessions table
    for sessions in "${sizes[@]}"; do
        table=$data/windows-$sessions.json
        measure_once "smbreaper-50-rules/windows-$sessions" "$(simulate_command 50 "$table")"
        measure_once "smbreaper-1-rule/windows-$sessions" "$(simulate_command 1 "$table")"
        measure_once "jq-1-rule/windows-$sessions" "$(jq_command "$table")"
        measure_once "python-1-rule/windows-$sessions" "$(python_command "$table")"
    done
    for sessions in "${smbstatus_sizes[@]}"; do
        measure_once "smbreaper-50-rules/smbstatus-$sessions" "$(simulate_command 50 "$data/smbstatus-$sessions.json")"
    done
    for sessions in "${cim_sizes[@]}"; do
        measure_once "smbreaper-50-rules/windows-cim-$sessions" "$(simulate_command 50 "$data/windows-cim-$sessions.json")"
    done
}

# The comparison is fair only if all three select the same sessions: count them on the smallest table.
check_same_selection() {
    local table=$data/windows-${sizes[0]}.json smbreaper_count jq_count python_count
    # shellcheck disable=SC2046
    smbreaper_count=$($(simulate_command 1 "$table") | jq '[.sessions[] | select(.verdict == "close")] | length')
    # shellcheck disable=SC2046
    jq_count=$($(jq_command "$table") | jq length)
    # shellcheck disable=SC2046
    python_count=$($(python_command "$table") | jq length)
    echo "smbreaper $smbreaper_count, jq $jq_count, python $python_count" >"$results/same-selection.txt"
    [ "$smbreaper_count" = "$jq_count" ] && [ "$jq_count" = "$python_count" ] ||
        die "the alternatives select different sessions: $(cat "$results/same-selection.txt")"
    log "same selection on ${sizes[0]} sessions: $smbreaper_count sessions to close"
}

# With --compare-with BINARY (another build of smbreaper, e.g. of the main branch): both on the
# largest everyday table with 50 rules, side by side, with their instruction counts.
compare_with_other_build() {
    local other=$1 largest=${sizes[-1]} table
    ((largest > 100000)) && largest=100000
    table=$data/windows-$largest.json
    local ours theirs
    ours=$(simulate_command 50 "$table")
    theirs=${ours/#$smbreaper/$other}
    log "hyperfine: this build against $other"
    run_hyperfine "compare-builds" "$(runs_for "$largest")" -n "this-build" "$ours" -n "other-build" "$theirs"
    measure_once "this-build/windows-$largest" "$ours"
    measure_once "other-build/windows-$largest" "$theirs"
    if ! ((quick)); then
        local name command count
        for name in this-build other-build; do
            command=$ours
            [ "$name" = other-build ] && command=$theirs
            # shellcheck disable=SC2086
            valgrind --tool=callgrind --callgrind-out-file="$results/callgrind-$name.out" $command >/dev/null \
                2>"$results/callgrind-$name.log" || die "callgrind of $name failed"
            count=$(sed -n 's/.*Collected : //p' "$results/callgrind-$name.log" | tr -d ' ')
            figure instructions "$name: simulate ${largest}x50" "$count" instructions - "valgrind --tool=callgrind $command"
        done
    fi
}
