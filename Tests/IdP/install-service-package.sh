#!/usr/bin/env bash
# Installs Debian packages that start a service of their own when installed (glewlwyd on 0.0.0.0:4593,
# PostgreSQL's cluster on 5432), without leaving that service running: the tests start private instances on
# 127.0.0.1 instead (Tests/IdP/glewlwyd.sh, Tests/IdP/postgres.sh).
#
#   Tests/IdP/install-service-package.sh SERVICE PACKAGE...    install the missing PACKAGEs, then disable and
#                                                              stop SERVICE
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 SERVICE PACKAGE..." >&2; exit 1; }
service=$1
shift
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

missing=""
for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
command -v apt-get >/dev/null || { echo "$0: apt-get is not available: install$missing by hand" >&2; exit 1; }
echo "Installing:$missing"
# A policy-rc.d that denies keeps the service from starting (unless the machine already has one); the service
# is then disabled and stopped, should it have started all the same.
policy=/usr/sbin/policy-rc.d
placed=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod 755 "$policy" && placed=1
fi
status=0
{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing; } || status=$?
[ -n "$placed" ] && $SUDO rm -f "$policy"
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now "$service" >/dev/null 2>&1 || true
elif [ -x "/etc/init.d/$service" ]; then
    $SUDO "/etc/init.d/$service" stop >/dev/null 2>&1 || true
fi
exit $status
