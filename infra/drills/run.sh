#!/usr/bin/env bash
# Souk's fault drills: bash infra/drills/run.sh [drill...]   (default: all; `pnpm drills` too)
#
# Each drill (src/<name>.ts) starts the processes and services it breaks (its own PostgreSQL
# cluster and Redis, the worker, the apps' production servers) and exits non-zero when an
# expectation fails. It runs in a process group of its own under a temp directory of this run: on
# exit — success, failure, Ctrl-C or a CI timeout's SIGTERM — the trap stops whatever is left
# (the group, PostgreSQL clusters, which pg_ctl detaches from it) and removes the directory.
# Never touches the shared PostgreSQL (5432) or Redis (6379).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
all=(worker-kill redis-stop postgres-restart search-unreachable)
if [ $# -eq 0 ]; then names=("${all[@]}"); else names=("$@"); fi
for name in "${names[@]}"; do
  if [ ! -f "$here/src/$name.ts" ]; then
    echo "unknown drill: $name (drills: ${all[*]})" >&2
    exit 2
  fi
done

pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

# Stops a leftover cluster of a drill (as postgres when we are root: the cluster runs as postgres then).
stop_cluster() {
  local data="$1"
  [ -f "$data/postmaster.pid" ] || return 0
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1
  else
    "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1
  fi
}

remove_run_dir() {
  local dir="$1" data
  for data in "$dir"/*/postgres/data; do [ -d "$data" ] && stop_cluster "$data"; done
  rm -rf "$dir"
}

# Leftovers of a run that could not clean up (killed with SIGKILL): its runner is gone.
tmp_root="${TMPDIR:-/tmp}"
for dir in "$tmp_root"/souk-drills.*; do
  [ -d "$dir" ] || continue
  owner="$(cat "$dir/runner.pid" 2>/dev/null || true)"
  if [ -z "$owner" ] || ! kill -0 "$owner" 2>/dev/null; then
    echo "removing the leftovers of an earlier run: $dir"
    remove_run_dir "$dir"
  fi
done

DRILLS_TMP="$(mktemp -d "$tmp_root/souk-drills.XXXXXX")"
export DRILLS_TMP
# The clusters run as postgres when we are root: it must reach its directory inside.
chmod 755 "$DRILLS_TMP"
echo $$ > "$DRILLS_TMP/runner.pid"

current=""
cleanup() {
  if [ -n "$current" ] && kill -0 "$current" 2>/dev/null; then
    # The drill cleans up on SIGTERM; what is still there after 30 s is killed.
    kill -TERM -- "-$current" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$current" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$current" 2>/dev/null
  fi
  remove_run_dir "$DRILLS_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
failed=0
summary=()
cd "$here"
for name in "${names[@]}"; do
  echo "=== drill $name ==="
  t0=$(date +%s)
  # A process group of its own (setsid), so that the trap can stop it with all its children.
  setsid node --import tsx "src/$name.ts" &
  current=$!
  wait "$current"
  rc=$?
  current=""
  if [ "$rc" -eq 0 ]; then outcome="PASSED"; else outcome="FAILED (exit $rc)"; failed=1; fi
  summary+=("$name: $outcome in $(( $(date +%s) - t0 )) s")
done

echo
echo "=== drills: $(( $(date +%s) - started )) s ==="
for line in "${summary[@]}"; do echo "  $line"; done
exit "$failed"
