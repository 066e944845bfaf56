#!/usr/bin/env bash
# Disk usage of a path, largest entries first.
# Usage: disk_usage.sh --path=PATH [--max_depth=N] [--count=N] [--cross_filesystems]
set -euo pipefail

die() { printf 'disk_usage: %s\n' "$*" >&2; exit 1; }

path=
max_depth=1
count=20
one_fs=-x
for arg in "$@"; do
  case $arg in
    --path=*) path=${arg#*=} ;;
    --max_depth=*) max_depth=${arg#*=} ;;
    --count=*) count=${arg#*=} ;;
    --cross_filesystems) one_fs= ;;
    *) die "unknown argument '$arg' (expected --path=PATH, --max_depth=N, --count=N, --cross_filesystems)" ;;
  esac
done
[ -n "$path" ] || die "--path is required"
case $max_depth in '' | *[!0-9]*) die "max_depth must be an integer from 0, not '$max_depth'" ;; esac
case $count in '' | *[!0-9]*) die "count must be a positive integer, not '$count'" ;; esac
[ "$count" -ge 1 ] || die "count must be at least 1"
[ -e "$path" ] || die "no such file or folder: $path"

errors=$(mktemp)
trap 'rm -f -- "$errors"' EXIT

# du reports what it cannot read but still measures the rest: keep the result.
status=0
du -h ${one_fs:+"$one_fs"} --max-depth="$max_depth" -- "$path" 2>"$errors" | sort -rh | awk -v n="$count" 'NR <= n' || status=$?
if [ -s "$errors" ]; then
  unreadable=$(wc -l <"$errors")
  printf 'disk_usage: du could not read everything (%s errors), so sizes may be low:\n' "$unreadable" >&2
  awk 'NR <= 5' "$errors" >&2
fi
[ "$status" -eq 0 ] || [ -s "$errors" ] || die "du failed (exit $status)"
