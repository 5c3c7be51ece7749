#!/usr/bin/env bash
# A private glewlwyd (Debian package `glewlwyd`, an OAuth2/OIDC server) for the tests: bound to 127.0.0.1 on a
# free port, with a fresh sqlite3 database made from the packaged init SQL. Configuration (the OIDC plugin,
# keys, clients, scopes) is done by the tests through its admin REST API (Tests/TestSupport/Glewlwyd.swift).
#
#   Tests/IdP/glewlwyd.sh install               install glewlwyd, rnbyc, sqlite3 and curl, never leaving the
#                                               packaged service running (it listens on all addresses)
#   Tests/IdP/glewlwyd.sh start DIR [OWNER_PID] start an instance in DIR (made if missing), print its env;
#                                               with OWNER_PID it stops by itself when that process ends
#   Tests/IdP/glewlwyd.sh env DIR               print GLEWLWYD_URL, GLEWLWYD_PORT, GLEWLWYD_DIR of the instance in DIR
#   Tests/IdP/glewlwyd.sh stop DIR              stop the instance in DIR
#
# The admin user is the init SQL's: admin / password. Nothing here listens beyond 127.0.0.1.
set -euo pipefail

PACKAGES="glewlwyd rnbyc sqlite3 curl"
INIT_SQL_CANDIDATES="/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz /usr/share/dbconfig-common/data/glewlwyd/install/sqlite3"

die() { echo "glewlwyd.sh: $*" >&2; exit 1; }

install_packages() {
    "$(dirname "$0")/install-service-package.sh" glewlwyd $PACKAGES
}

init_sql() {
    for f in $INIT_SQL_CANDIDATES; do
        [ -r "$f" ] || continue
        case "$f" in *.gz) gzip -dc "$f" ;; *) cat "$f" ;; esac
        return 0
    done
    die "no packaged init SQL found (looked for $INIT_SQL_CANDIDATES)"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

print_env() {
    local dir=$1 port
    port=$(cat "$dir/port" 2>/dev/null) || die "no instance in $dir"
    echo "GLEWLWYD_URL=http://127.0.0.1:$port"
    echo "GLEWLWYD_PORT=$port"
    echo "GLEWLWYD_DIR=$dir"
}

start() {
    local dir=$1 owner=${2:-}
    command -v glewlwyd >/dev/null || die "glewlwyd is not installed (run: Tests/IdP/glewlwyd.sh install, or make idp)"
    command -v sqlite3 >/dev/null || die "sqlite3 is not installed (run: Tests/IdP/glewlwyd.sh install, or make idp)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -e "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && die "an instance already runs in $dir"
    rm -f "$dir/glewlwyd.sqlite3"
    # One transaction without syncs: statement by statement, sqlite3 spends about 2 s in fsync.
    { echo "PRAGMA synchronous=OFF; BEGIN;"; init_sql; echo "COMMIT;"; } | sqlite3 "$dir/glewlwyd.sqlite3" >/dev/null \
        || die "could not make the database from the packaged init SQL"
    local port
    port=$(free_port)
    # use_secure_connection is left out: set to false, glewlwyd 2.7 exits.
    cat > "$dir/glewlwyd.conf" <<CONF
port=$port
bind_address="127.0.0.1"
external_url="http://127.0.0.1:$port"
api_prefix="api"
log_mode="file"
log_file="$dir/glewlwyd.log"
log_level="WARNING"
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3" path = "$dir/glewlwyd.sqlite3" };
CONF
    glewlwyd --config-file="$dir/glewlwyd.conf" </dev/null >>"$dir/glewlwyd.out" 2>&1 &
    local pid=$!
    echo "$pid" > "$dir/pid"
    echo "$port" > "$dir/port"
    if [ -n "$owner" ]; then
        # Stops the instance when the process that started it ends, even if that process never calls stop.
        ( while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done; kill "$pid" 2>/dev/null ) \
            </dev/null >/dev/null 2>&1 &
    fi
    for _ in $(seq 1 200); do
        if ! kill -0 "$pid" 2>/dev/null; then
            die "glewlwyd exited at start: $(tail -n 5 "$dir/glewlwyd.out" "$dir/glewlwyd.log" 2>/dev/null)"
        fi
        if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/api/"; then
            print_env "$dir"
            return 0
        fi
        sleep 0.05
    done
    kill "$pid" 2>/dev/null || true
    die "glewlwyd did not answer on 127.0.0.1:$port within 10 s"
}

stop() {
    local dir=$1 pid
    pid=$(cat "$dir/pid" 2>/dev/null) || return 0
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid"
}

case "${1:-}" in
    install) install_packages ;;
    start) [ $# -ge 2 ] || die "usage: $0 start DIR [OWNER_PID]"; start "$2" "${3:-}" ;;
    env) [ $# -eq 2 ] || die "usage: $0 env DIR"; print_env "$2" ;;
    stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
    *) die "usage: $0 install | start DIR [OWNER_PID] | env DIR | stop DIR" ;;
esac
