# Part of scripts/bench: writes the session tables and policies (bench/generator) into $data and
# checks that every generated policy passes `smbreaper check` without errors.

generate_inputs() {
    mkdir -p "$data"
    local sessions rules
    for sessions in "${sizes[@]}"; do
        "$benchgen" table --format windows --sessions "$sessions" --output "$data/windows-$sessions.json"
    done
    for sessions in "${smbstatus_sizes[@]}"; do
        "$benchgen" table --format smbstatus --sessions "$sessions" --output "$data/smbstatus-$sessions.json"
    done
    for sessions in "${cim_sizes[@]}"; do
        "$benchgen" table --format windows-cim --sessions "$sessions" --output "$data/windows-cim-$sessions.json"
    done
    for rules in "${rule_counts[@]}"; do
        "$benchgen" policy --rules "$rules" --output "$data/policy-$rules.yaml"
        "$smbreaper" check "$data/policy-$rules.yaml" >"$results/check-policy-$rules.txt" 2>&1 ||
            die "the generated $rules-rule policy does not pass smbreaper check: $(cat "$results/check-policy-$rules.txt")"
    done
    log "inputs in $data: $(du -sh "$data" | cut -f1)"
    ls -l "$data" >"$results/inputs.txt"
}
