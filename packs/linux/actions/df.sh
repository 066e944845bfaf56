#!/usr/bin/env bash
# Space (or inode) use of mounted filesystems.
# Usage: df.sh [--path=PATH] [--inodes] [--include_pseudo]
set -euo pipefail

die() { printf 'df: %s\n' "$*" >&2; exit 1; }

path=
options=(-h -T)
pseudo=(-x tmpfs -x devtmpfs -x squashfs)
for arg in "$@"; do
  case $arg in
    --path=*) path=${arg#*=} ;;
    --inodes) options+=(-i) ;;
    --include_pseudo) pseudo=() ;;
    *) die "unknown argument '$arg' (expected --path=PATH, --inodes, --include_pseudo)" ;;
  esac
done

if [ -n "$path" ]; then
  [ -e "$path" ] || die "no such file or folder: $path"
  df "${options[@]}" -- "$path" || die "df failed for $path"
else
  df "${options[@]}" "${pseudo[@]}" || die "df failed"
fi
