#!/usr/bin/env bash
# Prints the path of a usable `temporal` CLI binary on stdout; progress goes to stderr.
# Order: $TEMPORAL_CLI, else `temporal` on PATH, else the pinned version built once
# with `go install` into a cache folder outside the clone (shared by every clone).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=$(tr -d '[:space:]' < "$here/cli-version")
module="github.com/temporalio/cli/cmd/temporal@$version"

fail() { echo "tempest: $*" >&2; exit 1; }

if [ -n "${TEMPORAL_CLI:-}" ]; then
  [ -x "$TEMPORAL_CLI" ] || fail "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file; point it at a temporal binary or unset it"
  echo "$TEMPORAL_CLI"
  exit 0
fi

if on_path=$(command -v temporal 2>/dev/null); then
  echo "$on_path"
  exit 0
fi

cache_dir="${TEMPEST_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tempest}/temporal-cli/$version"
binary="$cache_dir/temporal"
if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

command -v go >/dev/null 2>&1 || fail "the Temporal CLI was not found. Install it (https://docs.temporal.io/cli) and set TEMPORAL_CLI=/path/to/temporal or put it on PATH, or install Go so Tempest can build it ($module)"

mkdir -p "$cache_dir"
# One build at a time, even when `npm start` and `npm test` start together on a fresh machine.
exec 9>"$cache_dir/.lock"
flock 9
if [ ! -x "$binary" ]; then
  echo "tempest: building Temporal CLI $version with Go into $cache_dir (first run only, takes several minutes)..." >&2
  staging=$(mktemp -d "$cache_dir/.build.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  if ! GOBIN="$staging" GOFLAGS=-mod=mod go install "$module" > "$staging/build.log" 2>&1; then
    tail -n 20 "$staging/build.log" >&2
    fail "building the Temporal CLI with 'go install $module' failed (output above); set TEMPORAL_CLI to an existing temporal binary instead"
  fi
  # Atomic: an interrupted build never leaves a half-written binary behind.
  mv "$staging/temporal" "$binary"
  echo "tempest: Temporal CLI built at $binary" >&2
fi
echo "$binary"
