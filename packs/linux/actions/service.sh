#!/usr/bin/env bash
# Read-only status of a service: systemd when it runs, else the init script.
# Usage: service.sh ACT SERVICE   (ACT: status, is-active, is-enabled, is-failed, show)
set -euo pipefail

# die MESSAGE [EXIT_CODE]
die() { printf 'service: %s\n' "$1" >&2; exit "${2:-1}"; }

[ "$#" -eq 2 ] || die "expected two arguments, ACT and SERVICE, got $#"
act=$1
service=$2
case $act in
  status | is-active | is-enabled | is-failed | show) ;;
  *) die "act must be status, is-active, is-enabled, is-failed or show, not '$act'" ;;
esac
[ -n "$service" ] || die "no service named"
# What a systemd unit name may hold; no '/', so the init-script fallback
# cannot be pointed outside /etc/init.d.
case $service in
  -* | *[!A-Za-z0-9_.@:\\-]*) die "invalid service name '$service': expected letters, digits and _ . @ : \\ -" ;;
esac

# Where systemd manages the host, /run/systemd/system exists (sd_booted(3)).
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  code=0
  case $act in
    status) systemctl status --no-pager --full --lines=10 -- "$service" || code=$? ;;
    show) systemctl show --no-pager -p Id,Description,LoadState,ActiveState,SubState,UnitFileState,MainPID,ExecMainStartTimestamp,NRestarts,Result -- "$service" || code=$? ;;
    *) systemctl "$act" -- "$service" || code=$? ;;
  esac
  case $act:$code in
    *:0) ;;
    status:3 | is-active:*) die "$service is not active (systemctl exit $code)" "$code" ;;
    status:4) die "no unit $service on this host (systemctl exit 4)" 4 ;;
    is-enabled:*) die "$service is not enabled (systemctl exit $code)" "$code" ;;
    is-failed:*) die "$service is not in the failed state (systemctl exit $code)" "$code" ;;
    *) die "systemctl $act $service failed (exit $code)" "$code" ;;
  esac
  exit 0
fi

if command -v systemctl >/dev/null 2>&1; then
  reason="systemd is not running on this host (no /run/systemd/system; a container?)"
else
  reason="systemctl is not installed on this host (systemd is not its init system)"
fi
if [ "$act" = status ] && command -v service >/dev/null 2>&1; then
  printf 'service: %s; asking the init script instead (service %s status)\n' "$reason" "$service" >&2
  code=0
  service "$service" status || code=$?
  [ "$code" -eq 0 ] || die "$service is not running or unknown (service exit $code)" "$code"
  exit 0
fi
if [ "$act" = status ]; then
  die "$reason, and the service command is not installed either" 127
fi
die "$reason, and '$act' needs systemd" 127
