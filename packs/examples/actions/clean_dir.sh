#!/bin/sh
# Deletes the files of a scratch folder to free space on a full filesystem,
# and the folders they leave empty; keeps the folder itself. Prints each file
# it deletes, then one summary line. Plain POSIX sh, df, du and find.
# Usage: clean_dir.sh --path=DIR --mountpoint=PATH [--older_than_minutes=N]
set -eu

die() { printf 'clean_dir: %s\n' "$*" >&2; exit 1; }

path=
mountpoint=
older=0
for arg in "$@"; do
  case $arg in
    --path=*) path=${arg#*=} ;;
    --mountpoint=*) mountpoint=${arg#*=} ;;
    --older_than_minutes=*) older=${arg#*=} ;;
    *) die "unknown argument '$arg' (expected --path=DIR, --mountpoint=PATH, --older_than_minutes=N)" ;;
  esac
done
case $path in /*) ;; *) die "path must be an absolute path, not '$path'" ;; esac
case $older in '' | *[!0-9]*) die "older_than_minutes must be an integer from 0, not '$older'" ;; esac
[ -d "$path" ] || die "no folder $path on $(hostname)"
[ "$(cd -- "$path" && pwd -P)" != / ] || die "refusing to clean /"

# The mount point df reports for a path: the filesystem it is on.
filesystem() { df -P -- "$1" | awk 'NR == 2 { print $NF }'; }
target=$(filesystem "$mountpoint") || die "no filesystem at $mountpoint"
[ "$(filesystem "$path")" = "$target" ] || die "$path is on $(filesystem "$path"), not on the filesystem of $mountpoint ($target): cleaning it frees nothing there"

before=$(du -x -s -k -- "$path" | cut -f1)
if [ "$older" -gt 0 ]; then
  find "$path" -xdev -mindepth 1 -type f -mmin +"$older" -print -exec rm -f -- {} +
else
  find "$path" -xdev -mindepth 1 -type f -print -exec rm -f -- {} +
fi
find "$path" -xdev -mindepth 1 -depth -type d -empty -exec rmdir -- {} + 2>/dev/null || true
after=$(du -x -s -k -- "$path" | cut -f1)
printf 'freed %s KiB in %s\n' "$((before - after))" "$path"
