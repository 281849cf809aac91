# Part of scripts/bench: instructions executed by `smbreaper simulate` on 100,000 sessions and 50
# rules, counted by callgrind, in total and per step. Unlike times, these counts do not depend on
# what else runs on the machine, so they compare builds and machines fairly.

count_simulate_instructions() {
    local table=$data/windows-100000.json out=$results/callgrind-simulate-100000-50.out
    [ -f "$table" ] || { log "no 100,000-session table: instruction counts skipped"; return 0; }
    log "callgrind: simulate 100,000 sessions x 50 rules"
    # shellcheck disable=SC2046
    valgrind --tool=callgrind --callgrind-out-file="$out" $(simulate_command 50 "$table") >/dev/null \
        2>"$results/callgrind-simulate.log" || die "callgrind failed: $(tail -5 "$results/callgrind-simulate.log")"
    local total step pattern
    total=$(sed -n 's/.*Collected : //p' "$results/callgrind-simulate.log" | tr -d ' ')
    figure instructions "simulate 100000x50: total" "$total" instructions - "valgrind --tool=callgrind $(simulate_command 50 "$table")"
    callgrind_annotate --inclusive=yes "$out" >"$results/callgrind-simulate-inclusive.txt" 2>/dev/null
    for step in "read:smbreaper::read_snapshot_file(" "evaluate:smbreaper::simulate(" "report:smbreaper::cli::simulation_json"; do
        pattern=${step#*:}
        figure instructions "simulate 100000x50: ${step%%:*}" \
            "$(grep -F "$pattern" "$results/callgrind-simulate-inclusive.txt" | head -1 | awk '{ gsub(",", "", $1); print $1 }')" \
            instructions - "callgrind_annotate --inclusive=yes $(basename "$out")"
    done
}
