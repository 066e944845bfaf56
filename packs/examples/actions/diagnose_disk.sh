#!/bin/sh
# What fills a filesystem: its space and inode use, and the largest folders
# under the mount point on that filesystem. Plain POSIX sh, df, du, sort and
# awk, so it runs the same on the worker and on any host reached over SSH.
# Usage: diagnose_disk.sh --mountpoint=PATH [--host=NAME] [--depth=N] [--count=N]
set -eu

die() { printf 'diagnose_disk: %s\n' "$*" >&2; exit 1; }

mountpoint=
host=
depth=2
count=15
for arg in "$@"; do
  case $arg in
    --mountpoint=*) mountpoint=${arg#*=} ;;
    --host=*) host=${arg#*=} ;;
    --depth=*) depth=${arg#*=} ;;
    --count=*) count=${arg#*=} ;;
    *) die "unknown argument '$arg' (expected --mountpoint=PATH, --host=NAME, --depth=N, --count=N)" ;;
  esac
done
case $mountpoint in /*) ;; *) die "mountpoint must be an absolute path, not '$mountpoint'" ;; esac
case $depth in '' | *[!0-9]*) die "depth must be an integer from 0, not '$depth'" ;; esac
case $count in '' | *[!0-9]* | 0) die "count must be a positive integer, not '$count'" ;; esac
[ -d "$mountpoint" ] || die "no folder $mountpoint on $(hostname)"

printf '== %s on %s%s\n' "$mountpoint" "$(hostname)" "${host:+ (the alert's host: $host)}"
df -h -P "$mountpoint"
echo
echo '== inodes'
df -i -P "$mountpoint" 2>/dev/null || echo '(this df cannot show inodes)'
echo
printf '== largest folders under %s (this filesystem only, %s levels down)\n' "$mountpoint" "$depth"

errors=$(mktemp)
trap 'rm -f -- "$errors"' EXIT
# du reports what it cannot read and still measures the rest: keep what it found.
du -x -k -d "$depth" -- "$mountpoint" 2>"$errors" | sort -rn | head -n "$count" | awk -F '\t' '
  function human(kib,   unit) {
    unit = "K"
    if (kib >= 1024) { kib /= 1024; unit = "M" }
    if (kib >= 1024) { kib /= 1024; unit = "G" }
    if (kib >= 1024) { kib /= 1024; unit = "T" }
    return sprintf(kib < 10 && unit != "K" ? "%.1f%s" : "%.0f%s", kib, unit)
  }
  { size = $1; sub(/^[0-9]+\t/, ""); printf "%7s  %s\n", human(size), $0 }'
if [ -s "$errors" ]; then
  printf 'diagnose_disk: du could not read everything (%s errors), so sizes may be low:\n' "$(wc -l <"$errors" | tr -d ' ')" >&2
  head -n 5 "$errors" >&2
fi
