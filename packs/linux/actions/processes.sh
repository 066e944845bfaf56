#!/usr/bin/env bash
# The top N processes by CPU or memory.
# Usage: processes.sh [--sort_by=cpu|memory] [--count=N]
# Uses ps (procps) when installed, otherwise reads /proc directly (slim
# Debian images have no procps).
set -euo pipefail

die() { printf 'processes: %s\n' "$*" >&2; exit 1; }

sort_by=cpu
count=10
for arg in "$@"; do
  case $arg in
    --sort_by=*) sort_by=${arg#*=} ;;
    --count=*) count=${arg#*=} ;;
    *) die "unknown argument '$arg' (expected --sort_by=cpu|memory, --count=N)" ;;
  esac
done
case $sort_by in
  cpu | memory) ;;
  *) die "sort_by must be cpu or memory, not '$sort_by'" ;;
esac
case $count in
  '' | *[!0-9]*) die "count must be a positive integer, not '$count'" ;;
esac
[ "$count" -ge 1 ] || die "count must be at least 1"

# Output: PID USER %CPU %MEM RSS_KIB COMMAND, a header line then the top N.
if command -v ps >/dev/null 2>&1; then
  if [ "$sort_by" = cpu ]; then key=-%cpu; else key=-rss; fi
  # awk reads everything (no early close, so no SIGPIPE) and keeps the header and N rows.
  ps -ww -eo pid,user:16,%cpu,%mem,rss,args --sort="$key" | awk -v n="$count" 'NR <= n + 1' | cut -c1-300
  exit 0
fi

[ -r /proc/uptime ] || die "ps is not installed and /proc is not readable (is this a Linux host?)"
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
page_kib=$(($(getconf PAGESIZE 2>/dev/null || echo 4096) / 1024))
read -r uptime _ </proc/uptime
mem_kib=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)

# Owner of each /proc/<pid> folder, which is the process's user.
declare -A owner=()
while read -r dir user; do
  owner[${dir#/proc/}]=$user
done < <(stat -c '%n %U' /proc/[0-9]* 2>/dev/null || true)

{
  for stat_file in /proc/[0-9]*/stat; do
    # A process may end while we read: skip it.
    { IFS= read -r line <"$stat_file"; } 2>/dev/null || continue
    pid=${line%% *}
    name=${line#*(}
    name=${name%)*}
    read -r -a f <<<"${line##*) }"
    # f[0] is field 3 (state): utime=14, stime=15, starttime=22, rss=24.
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
    cmdline=${cmdline%"${cmdline##*[! ]}"}
    [ -n "$cmdline" ] || cmdline="[$name]"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$pid" "${owner[$pid]:-?}" "$((f[11] + f[12]))" "${f[19]}" "${f[21]}" "$cmdline"
  done
} | awk -F '\t' -v hz="$hz" -v uptime="$uptime" -v page_kib="$page_kib" -v mem_kib="$mem_kib" -v OFS='\t' '
  {
    elapsed = uptime - $4 / hz
    cpu = elapsed > 0 ? 100 * ($3 / hz) / elapsed : 0
    rss = $5 * page_kib
    mem = mem_kib > 0 ? 100 * rss / mem_kib : 0
    printf "%s\t%s\t%.1f\t%.1f\t%d\t%s\n", $1, $2, cpu, mem, rss, $6
  }' | {
  if [ "$sort_by" = cpu ]; then sort -t "$(printf '\t')" -k3,3gr -k5,5nr; else sort -t "$(printf '\t')" -k5,5nr; fi
} | awk -F '\t' -v n="$count" '
  BEGIN { printf "%7s %-16s %5s %5s %9s %s\n", "PID", "USER", "%CPU", "%MEM", "RSS", "COMMAND" }
  NR <= n { printf "%7s %-16s %5s %5s %9s %s\n", $1, $2, $3, $4, $5, $6 }' | cut -c1-300
