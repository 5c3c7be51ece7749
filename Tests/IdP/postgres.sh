#!/usr/bin/env bash
# A private PostgreSQL (Debian package `postgresql`) for the tests of the DPoP replay store: a fresh cluster made
# by initdb in a directory of its own, listening on 127.0.0.1 on a free port (and on a socket in that directory),
# trusting local connections, tuned for tests (no fsync). As root (CI), the server runs as the `postgres` user
# the Debian package makes, since PostgreSQL refuses to run as root.
#
#   Tests/IdP/postgres.sh install               install postgresql, never leaving the packaged cluster running
#   Tests/IdP/postgres.sh start DIR [OWNER_PID] start an instance in DIR (made if missing), print its env;
#                                               with OWNER_PID it stops, and DIR is removed, when that
#                                               process ends
#   Tests/IdP/postgres.sh env DIR               print POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER,
#                                               POSTGRES_DATABASE, POSTGRES_DIR of the instance in DIR
#   Tests/IdP/postgres.sh stop DIR              stop the instance in DIR
#
# The superuser is `layabauth`, without a password (trust, 127.0.0.1 only); the database is `postgres`.
set -euo pipefail

PACKAGES="postgresql"
DB_USER=layabauth
DB_NAME=postgres

die() { echo "postgres.sh: $*" >&2; exit 1; }

install_packages() {
    "$(dirname "$0")/install-service-package.sh" postgresql $PACKAGES
}

# The newest installed server's bin directory.
bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "PostgreSQL is not installed (run: Tests/IdP/postgres.sh install, or make postgres)"
    echo "$dir"
}

# Runs a command as the user the server runs as: the current one, or `postgres` for root.
as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root and there is no postgres user to run the server as"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

print_env() {
    local dir=$1 port
    port=$(cat "$dir/port" 2>/dev/null) || die "no instance in $dir"
    echo "POSTGRES_HOST=127.0.0.1"
    echo "POSTGRES_PORT=$port"
    echo "POSTGRES_USER=$DB_USER"
    echo "POSTGRES_DATABASE=$DB_NAME"
    echo "POSTGRES_DIR=$dir"
}

server_pid() {
    head -n 1 "$1/data/postmaster.pid" 2>/dev/null
}

start() {
    local dir=$1 owner=${2:-} bin
    bin=$(bindir)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local pid
    pid=$(server_pid "$dir") && kill -0 "$pid" 2>/dev/null && die "an instance already runs in $dir"
    rm -rf "$dir/data"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_server_user "$bin/initdb" --pgdata="$dir/data" --username="$DB_USER" --auth=trust --encoding=UTF8 \
        --no-sync >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
    local port
    port=$(free_port)
    echo "$port" > "$dir/port"
    as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/postgres.log" --wait --timeout=30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >"$dir/pg_ctl.log" 2>&1 \
        || die "PostgreSQL did not start: $(tail -n 5 "$dir/pg_ctl.log" "$dir/postgres.log" 2>/dev/null)"
    pid=$(server_pid "$dir") || die "PostgreSQL started but wrote no postmaster.pid"
    if [ -n "$owner" ]; then
        # Stops the instance and removes DIR when the process that started it ends, even if that process never
        # calls stop (a server shared by the tests of one process).
        ( while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
          if ! kill -0 "$owner" 2>/dev/null; then stop "$dir"; rm -rf "$dir"; fi ) </dev/null >/dev/null 2>&1 &
    fi
    print_env "$dir"
}

stop() {
    local dir=$1 pid
    pid=$(server_pid "$dir") || return 0
    # SIGINT is PostgreSQL's fast shutdown: clients are disconnected, the server ends within a moment.
    if kill -INT "$pid" 2>/dev/null; then
        for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -9 "$pid" 2>/dev/null || true
    fi
}

case "${1:-}" in
    install) install_packages ;;
    start) [ $# -ge 2 ] || die "usage: $0 start DIR [OWNER_PID]"; start "$2" "${3:-}" ;;
    env) [ $# -eq 2 ] || die "usage: $0 env DIR"; print_env "$2" ;;
    stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
    *) die "usage: $0 install | start DIR [OWNER_PID] | env DIR | stop DIR" ;;
esac
