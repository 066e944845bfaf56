#!/usr/bin/env bash
# Load average of this host, read from /proc/loadavg.
# Usage: loadavg.sh [1|5|15|all]
set -euo pipefail

die() { printf 'loadavg: %s\n' "$*" >&2; exit 1; }

[ "$#" -le 1 ] || die "expected one argument (the period), got $#"
period=${1:-all}
case $period in
  1 | 5 | 15 | all) ;;
  *) die "period must be 1, 5, 15 or all, not '$period'" ;;
esac

[ -r /proc/loadavg ] || die "cannot read /proc/loadavg (is this a Linux host?)"
read -r one five fifteen tasks _ </proc/loadavg
cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

per_cpu() { awk -v load="$1" -v cpus="$cpus" 'BEGIN { printf "%.2f", load / cpus }'; }

show() { printf '%-4s %6s  (%s per CPU)\n' "$1" "$2" "$(per_cpu "$2")"; }

case $period in
  1) show 1m "$one" ;;
  5) show 5m "$five" ;;
  15) show 15m "$fifteen" ;;
  all)
    show 1m "$one"
    show 5m "$five"
    show 15m "$fifteen"
    ;;
esac
printf 'cpus %s\n' "$cpus"
printf 'tasks %s running, %s in total\n' "${tasks%/*}" "${tasks#*/}"
