#!/usr/bin/env bash
# DNS lookup with dig.
# Usage: dig.sh --hostname=NAME [--querytype=A] [--nameserver=SERVER] [--verbose]
# Without dig (package bind9-dnsutils), A and AAAA lookups fall back to the
# system resolver (getent); other types fail, naming the missing tool.
set -euo pipefail

# die MESSAGE [EXIT_CODE]
die() { printf 'dig: %s\n' "$1" >&2; exit "${2:-1}"; }

hostname=
querytype=A
nameserver=
verbose=false
for arg in "$@"; do
  case $arg in
    --hostname=*) hostname=${arg#*=} ;;
    --querytype=*) querytype=${arg#*=} ;;
    --nameserver=*) nameserver=${arg#*=} ;;
    --verbose) verbose=true ;;
    *) die "unknown argument '$arg' (expected --hostname=NAME, --querytype=TYPE, --nameserver=SERVER, --verbose)" ;;
  esac
done
[ -n "$hostname" ] || die "--hostname is required"
case $querytype in
  A | AAAA | CNAME | MX | NS | PTR | SOA | SRV | TXT | CAA | ANY) ;;
  *) die "querytype must be one of A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT, CAA, ANY, not '$querytype'" ;;
esac

if ! command -v dig >/dev/null 2>&1; then
  missing="dig is not installed on this host (Debian: apt-get install bind9-dnsutils)"
  case $querytype in
    A | AAAA) ;;
    *) die "$missing; it is needed for $querytype lookups" 127 ;;
  esac
  [ -z "$nameserver" ] || die "$missing; it is needed to ask a given nameserver" 127
  [ "$verbose" = false ] || die "$missing; it is needed for verbose output" 127
  printf 'dig: %s; using the system resolver (getent, /etc/hosts included) instead\n' "$missing" >&2
  if [ "$querytype" = A ]; then database=ahostsv4; else database=ahostsv6; fi
  # ahostsv6 also lists IPv4 addresses mapped to IPv6 (::ffff:a.b.c.d): not AAAA records.
  addresses=$(getent "$database" -- "$hostname" | awk '$1 !~ /^::ffff:[0-9.]+$/ && !seen[$1]++ { print $1 }') || true
  [ -n "$addresses" ] || die "$hostname: no $querytype address found by the system resolver"
  printf '%s\n' "$addresses"
  exit 0
fi

query=(-t "$querytype")
[ -z "$nameserver" ] || query+=("@$nameserver")
# -q and -x take the next argument as the name, even one that looks like an option.
# For PTR, an IP address (IPv6 has ':', IPv4 only digits and dots) is reversed with -x.
case $querytype:$hostname in
  PTR:*:*) query+=(-x "$hostname") ;;
  PTR:*[!0-9.]*) query+=(-q "$hostname") ;;
  PTR:*) query+=(-x "$hostname") ;;
  *) query+=(-q "$hostname") ;;
esac
query+=(+time=5 +tries=2)

code=0
if [ "$verbose" = true ]; then
  answer=$(dig "${query[@]}") || code=$?
  [ -z "$answer" ] || printf '%s\n' "$answer"
else
  answer=$(dig "${query[@]}" +noall +comments +answer) || code=$?
  # The records' data, as +short prints it: each answer line without name, TTL, class, type.
  awk '!/^;/ && NF >= 5 { sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/, ""); print }' <<<"$answer"
fi
case $code in
  0) ;;
  9) die "no reply from ${nameserver:-the nameservers} for $hostname" ;;
  *) die "dig failed (exit $code) looking up $hostname; its message is above" ;;
esac

status=$(grep -o 'status: [A-Z]*' <<<"$answer" | tail -n 1 | cut -d' ' -f2 || true)
case $status in
  NOERROR)
    if ! awk '!/^;/ && NF >= 5 { found = 1 } END { exit !found }' <<<"$answer"; then
      printf 'dig: no %s records for %s\n' "$querytype" "$hostname" >&2
    fi
    ;;
  '') die "no status in dig's answer for $hostname" ;;
  *) die "$hostname: $status" ;;
esac
