#!/usr/bin/env bash
# Is a TCP port open? One connection attempt with bash's /dev/tcp.
# Usage: check_port.sh --hostname=HOST --port=PORT [--connect_timeout=SECONDS]
set -euo pipefail

die() { printf 'check_port: %s\n' "$1" >&2; exit "${2:-1}"; }

hostname=
port=
connect_timeout=5
for arg in "$@"; do
  case $arg in
    --hostname=*) hostname=${arg#*=} ;;
    --port=*) port=${arg#*=} ;;
    --connect_timeout=*) connect_timeout=${arg#*=} ;;
    *) die "unknown argument '$arg' (expected --hostname=HOST, --port=PORT, --connect_timeout=SECONDS)" 2 ;;
  esac
done
[ -n "$hostname" ] || die "--hostname is required" 2
case $hostname in */*) die "invalid hostname '$hostname'" 2 ;; esac
case $port in '' | *[!0-9]*) die "port must be an integer from 1 to 65535, not '$port'" 2 ;; esac
if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then die "port must be from 1 to 65535, not $port" 2; fi
case $connect_timeout in '' | *[!0-9]*) die "connect_timeout must be a positive integer, not '$connect_timeout'" 2 ;; esac
[ "$connect_timeout" -ge 1 ] || die "connect_timeout must be at least 1" 2
command -v timeout >/dev/null 2>&1 || die "timeout is not installed on this host (Debian: coreutils)" 127

# Host and port reach the inner bash as arguments, never as code.
# shellcheck disable=SC2016
if error=$(timeout "$connect_timeout" bash -c 'exec 3<>"/dev/tcp/$1/$2"' connect "$hostname" "$port" 2>&1); then
  printf '%s:%s is open\n' "$hostname" "$port"
  exit 0
else
  code=$?
fi
if [ "$code" -eq 124 ]; then
  die "$hostname:$port did not answer within ${connect_timeout}s (filtered, or the host is down)"
fi
# bash's first line ends with the reason, e.g. "connect: Connection refused"
# or "HOST: Name or service not known".
reason=$(printf '%s\n' "$error" | awk 'NF { print; exit }')
die "$hostname:$port is not open: ${reason##*: }"
