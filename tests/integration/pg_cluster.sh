#!/usr/bin/env bash
# pg_cluster.sh start|stop DIR - the throwaway PostgreSQL the integration
# tests share: initdb in DIR, a server on a Unix socket in DIR only (no TCP),
# run as the user 'postgres' when we are root (initdb refuses root).
# "start" writes DIR/env with the PG* variables the tests source.
set -euo pipefail
cmd=$1 dir=$2

bindir=${IS248_PG_BINDIR:-}
if [ -z "$bindir" ]; then
    if command -v initdb >/dev/null 2>&1; then
        bindir=$(dirname "$(command -v initdb)")
    else
        bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
fi
[ -x "$bindir/initdb" ] || { echo "pg_cluster.sh: cannot find initdb (install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = 5432
fsync = off
full_page_writes = off
synchronous_commit = off
max_connections = 50
CONF
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    cat >"$dir/env" <<ENV
export PGHOST='$dir' PGPORT=5432 PGUSER=postgres IS248_PG_BINDIR='$bindir' IS248_PG_DIR='$dir'
ENV
    echo "PostgreSQL running in $dir"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    echo "PostgreSQL in $dir stopped and removed"
    ;;
*) echo "usage: pg_cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
