# Time against table size: smbreaper simulate and the jq and Python one-rule filters, from
# simulate-time.dat (written by report.py). Run in the results folder. Solid lines: mean wall
# time with its standard deviation; dashed: mean CPU time (user + system), which a busy machine
# disturbs far less.
set terminal pngcairo size 960,600 font "sans,10" noenhanced
set output "simulate-time.png"
set title "Applying a policy to a Get-SmbSession table (hyperfine means)"
set xlabel "sessions in the table"
set ylabel "seconds"
set logscale xy
set format x "%.0s%c"
set grid
set key top left
set style line 1 lc rgb "#1b6ac9" lw 2
set style line 2 lc rgb "#6aa8f0" lw 2
set style line 3 lc rgb "#c0392b" lw 2
set style line 4 lc rgb "#27ae60" lw 2
plot "simulate-time.dat" using 1:2:3 with yerrorlines ls 1 title "smbreaper simulate, 50 rules (wall)", \
     "" using 1:5:6 with yerrorlines ls 2 title "smbreaper simulate, 1 rule (wall)", \
     "" using 1:8:9 with yerrorlines ls 3 title "jq, 1 rule (wall)", \
     "" using 1:11:12 with yerrorlines ls 4 title "Python 3, 1 rule (wall)", \
     "" using 1:4 with lines ls 1 dt 2 title "smbreaper, 50 rules (CPU)", \
     "" using 1:7 with lines ls 2 dt 2 title "smbreaper, 1 rule (CPU)", \
     "" using 1:10 with lines ls 3 dt 2 title "jq (CPU)", \
     "" using 1:13 with lines ls 4 dt 2 title "Python (CPU)"
