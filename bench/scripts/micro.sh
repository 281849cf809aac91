# Part of scripts/bench: the Google Benchmark micro benchmarks (bench/micro), as JSON.

run_micro_benchmarks() {
    local args=(--benchmark_out="$results/micro.json" --benchmark_out_format=json)
    if ((quick)); then
        # Briefly, and only on inputs below 10,000 (no argument of five digits or more): proves
        # that they run, measures nothing.
        args+=(--benchmark_min_time=0.01 "--benchmark_filter=-.*[0-9]{5}.*")
    else
        args+=(--benchmark_min_time=0.5 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
    fi
    log "micro benchmarks (load $(load1))"
    echo "$(load1)" >"$results/micro.load"
    SMBREAPER_BENCH_DIR=$data "$microbench" "${args[@]}" >"$results/micro.txt" 2>&1 ||
        die "micro benchmarks failed: $(tail -5 "$results/micro.txt")"
    echo "$(load1)" >>"$results/micro.load"
}
