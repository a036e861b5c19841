#!/usr/bin/env bash
# Makes PostgreSQL and Redis available on 127.0.0.1 for Souk, then creates the databases.
# - already running: nothing to do;
# - installed but stopped: starts them (no systemd needed);
# - missing on Debian/Ubuntu as root: installs them with apt, then starts them;
# - otherwise: says exactly what to install and exits non-zero.
set -euo pipefail

PGHOST_ADDR=127.0.0.1
PGPORT_NUM=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
DATABASES=${SOUK_DATABASES:-souk}

log() { printf '\033[1;34m[services]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[services]\033[0m %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }
apt_ok() { is_root && have apt-get; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_up() { have pg_isready && pg_isready -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -q; }
redis_up() { have redis-cli && [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

ensure_postgres() {
  if pg_up; then log "PostgreSQL is running on $PGHOST_ADDR:$PGPORT_NUM"; return; fi
  if ! have pg_ctlcluster && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if apt_ok; then log "installing PostgreSQL with apt"; apt_install postgresql postgresql-contrib
    else die "PostgreSQL is not installed. Install it (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@15) or run 'docker compose -f infra/docker-compose.yml up -d'."; fi
  fi
  if have pg_ctlcluster; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -1)
    [ -n "$version" ] || die "no PostgreSQL cluster found in /etc/postgresql"
    # pg_ctlcluster exits 2 when the cluster already runs, so only start a cluster that is down.
    if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
      log "starting PostgreSQL $version"
      if is_root; then pg_ctlcluster --skip-systemctl-redirect "$version" main start
      else die "PostgreSQL is stopped; start it with: sudo pg_ctlcluster $version main start"; fi
    fi
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || die "PostgreSQL did not come up on $PGHOST_ADDR:$PGPORT_NUM"
  log "PostgreSQL is running"
}

# Souk connects over TCP as postgres without a password on a development machine. A cluster that
# was already running with Debian's default rules (peer/scram) is fixed here too, when we may.
ensure_local_access() {
  psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -tAc 'select 1' postgres >/dev/null 2>&1 && return
  local version hba
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -n "$version" ] && is_root && [ -w "$hba" ]; then
    log "allowing local TCP connections as postgres without a password (development only)"
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    sleep 1
  fi
  psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -tAc 'select 1' postgres >/dev/null 2>&1 ||
    die "Cannot connect to PostgreSQL at $PGHOST_ADDR:$PGPORT_NUM as postgres without a password. Add 'host all all 127.0.0.1/32 trust' to pg_hba.conf (development only) and reload PostgreSQL, or set DATABASE_URL/TEST_DATABASE_URL with credentials."
}

ensure_redis() {
  if ! redis_up; then
    if ! have redis-server; then
      if apt_ok; then log "installing Redis with apt"; apt_install redis-server
      else die "Redis is not installed. Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or run 'docker compose -f infra/docker-compose.yml up -d'."; fi
    fi
    # Debian's package does not start Redis without systemd: start it ourselves.
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --maxmemory-policy noeviction --logfile "${TMPDIR:-/tmp}/souk-redis.log"
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
    redis_up || die "Redis did not come up on 127.0.0.1:$REDIS_PORT"
  fi
  # BullMQ loses jobs under eviction: insist on noeviction whoever started Redis.
  redis-cli -p "$REDIS_PORT" config set maxmemory-policy noeviction >/dev/null
  log "Redis is running (maxmemory-policy noeviction)"
}

ensure_databases() {
  local db
  for db in $DATABASES; do
    if ! psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -tAc "select 1 from pg_database where datname='$db'" postgres | grep -q 1; then
      log "creating database $db"
      psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -qc "create database \"$db\"" postgres
    fi
  done
}

ensure_postgres
ensure_local_access
ensure_redis
ensure_databases
