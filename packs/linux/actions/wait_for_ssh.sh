#!/usr/bin/env bash
# Polls a host's SSH port until it sends an SSH banner, or wait_seconds pass.
# Usage: wait_for_ssh.sh --hostname=HOST [--port=22] [--wait_seconds=60]
#                        [--poll_interval=5] [--connect_timeout=5]
set -euo pipefail

die() { printf 'wait_for_ssh: %s\n' "$1" >&2; exit "${2:-1}"; }
positive() { case $2 in '' | *[!0-9]* | 0) die "$1 must be a positive integer, not '$2'" 2 ;; esac; }

hostname=
port=22
wait_seconds=60
poll_interval=5
connect_timeout=5
for arg in "$@"; do
  case $arg in
    --hostname=*) hostname=${arg#*=} ;;
    --port=*) port=${arg#*=} ;;
    --wait_seconds=*) wait_seconds=${arg#*=} ;;
    --poll_interval=*) poll_interval=${arg#*=} ;;
    --connect_timeout=*) connect_timeout=${arg#*=} ;;
    *) die "unknown argument '$arg' (expected --hostname=HOST, --port=PORT, --wait_seconds=N, --poll_interval=N, --connect_timeout=N)" 2 ;;
  esac
done
[ -n "$hostname" ] || die "--hostname is required" 2
case $hostname in */*) die "invalid hostname '$hostname'" 2 ;; esac
positive port "$port"
[ "$port" -le 65535 ] || die "port must be from 1 to 65535, not $port" 2
positive wait_seconds "$wait_seconds"
positive poll_interval "$poll_interval"
positive connect_timeout "$connect_timeout"
command -v timeout >/dev/null 2>&1 || die "timeout is not installed on this host (Debian: coreutils)" 127

errors=$(mktemp)
trap 'rm -f -- "$errors"' EXIT

# One attempt, in a bash of its own that `timeout` kills: connect, say so,
# then print the first line starting with SSH- (servers may send other lines
# first). Host and port are its arguments, never code.
# shellcheck disable=SC2016
probe='exec 3<>"/dev/tcp/$1/$2" || exit 3
echo connected
for _ in 1 2 3 4 5 6 7 8 9 10; do
  IFS= read -r line <&3 || exit 4
  case $line in SSH-*) printf "banner %s\n" "${line%$(printf "\r")}"; exit 0 ;; esac
done
exit 5'

start=$SECONDS
deadline=$((SECONDS + wait_seconds))
attempt=0
while :; do
  attempt=$((attempt + 1))
  left=$((deadline - SECONDS))
  limit=$((left < connect_timeout ? (left > 0 ? left : 1) : connect_timeout))
  code=0
  out=$(timeout "$limit" bash -c "$probe" probe "$hostname" "$port" 2>"$errors") || code=$?
  if [ "$code" -eq 0 ]; then
    printf '%s:%s answered after %ss (attempt %s): %s\n' "$hostname" "$port" "$((SECONDS - start))" "$attempt" "${out##*banner }"
    exit 0
  fi
  case $code:$out in
    124:connected*) last="connected, but no SSH banner within ${limit}s" ;;
    124:*) last="no answer within ${limit}s" ;;
    4:*) last="connected, but the connection was closed before an SSH banner" ;;
    5:*) last="connected, but what it sent is not an SSH banner" ;;
    *)
      # bash's first line ends with the reason, e.g. "connect: Connection refused".
      last=$(awk 'NF { print; exit }' "$errors")
      last=${last##*: }
      ;;
  esac
  printf 'attempt %s after %ss: %s\n' "$attempt" "$((SECONDS - start))" "${last:-failed (exit $code)}"
  left=$((deadline - SECONDS))
  [ "$left" -gt 0 ] || break
  sleep "$((poll_interval < left ? poll_interval : left))"
done
die "no SSH answer from $hostname:$port within ${wait_seconds}s (attempts: $attempt; last: ${last:-failed})"
