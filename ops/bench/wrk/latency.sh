# Sourced by the benchmark scripts. wrk_ms LABEL: from wrk --latency output
# on stdin, the latency at LABEL ("50%", "99%") in milliseconds ("812.00us",
# "2.31ms" and "1.02s" are all printed by wrk).
wrk_ms() {
  awk -v label="$1" '$1 == label {v = $2
    if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) sub(/ms/, "", v)
    else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}
    printf "%.2f", v}'
}
