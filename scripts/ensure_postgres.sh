#!/usr/bin/env bash
# Prints a DATABASE_URL for the test suite.
# 1. DATABASE_URL from the environment wins.
# 2. Otherwise the PostgreSQL this machine runs on 127.0.0.1:5432 (user postgres, trust auth).
# 3. Otherwise a throwaway cluster from the installed PostgreSQL binaries (removed at reboot, in /tmp).
set -euo pipefail
if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; exit 0; fi
if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "postgres://postgres@127.0.0.1:5432/postgres"; exit 0
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  command -v apt-get >/dev/null && { apt-get update -qq >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2; }
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
port=55432
dir=/tmp/imc-test-pg
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p $port 2>/dev/null; then
  rm -rf "$dir"; mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
  run "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust >&2
  run "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" >&2
fi
echo "postgres://postgres@127.0.0.1:$port/postgres"
