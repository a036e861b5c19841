#!/usr/bin/env bash
# One command from a fresh clone to a running marketplace with demo data:
# installs dependencies, brings up PostgreSQL and Redis, migrates, seeds the demo, builds and
# starts the three apps and the worker, then prints the URLs and the demo logins.
# Ctrl-C stops everything. `infra/demo.sh --detach` leaves it running (stop: infra/demo.sh --stop).
source "$(dirname "$0")/scripts/lib.sh"

RUN_DIR="$ROOT/.cache/demo"
mkdir -p "$RUN_DIR"

stop_all() {
  local pidfile
  for pidfile in "$RUN_DIR"/*.pid; do
    [ -e "$pidfile" ] || continue
    kill -TERM -- "-$(cat "$pidfile")" 2>/dev/null || kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "${1:-}" = "--stop" ]; then stop_all; echo "Souk demo stopped."; exit 0; fi
DETACH=0; [ "${1:-}" = "--detach" ] && DETACH=1

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/souk}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export BUYER_URL=${BUYER_URL:-http://localhost:3001}
export SELLER_URL=${SELLER_URL:-http://localhost:3002}
export OPERATOR_URL=${OPERATOR_URL:-http://localhost:3003}
export NODE_ENV=production
# The demo has no mail server: e-mails go to the worker's log (secrets redacted) and the notifications table.
export MAIL_TRANSPORT=${MAIL_TRANSPORT:-log}

step "installing dependencies"
install_dependencies
step "bringing up PostgreSQL and Redis"
SOUK_DATABASES=souk bash infra/scripts/services-up.sh
step "migrating the database"
pnpm -s db:migrate
step "seeding the demo data"
pnpm -s db:seed > "$RUN_DIR/logins.txt"
step "building the apps"
pnpm exec turbo run build --output-logs=errors-only

stop_all
start() { # name, command...
  local name=$1; shift
  setsid bash -c "$*" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}
step "starting the apps and the worker (logs in .cache/demo/*.log)"
start worker   "pnpm --filter @souk/worker start"
start buyer    "PORT=3001 PUBLIC_URL=$BUYER_URL pnpm --filter @souk/buyer start"
start seller   "PORT=3002 PUBLIC_URL=$SELLER_URL pnpm --filter @souk/seller start"
start operator "PORT=3003 PUBLIC_URL=$OPERATOR_URL pnpm --filter @souk/operator start"

wait_for() { # url, name
  for _ in $(seq 1 60); do curl -fs -o /dev/null "$1" && return 0; sleep 1; done
  echo "$2 did not start; see .cache/demo/$2.log" >&2; tail -20 "$RUN_DIR/$2.log" >&2; stop_all; exit 1
}
wait_for http://127.0.0.1:3004/healthz worker
wait_for "$BUYER_URL/sign-in" buyer
wait_for "$SELLER_URL/sign-in" seller
wait_for "$OPERATOR_URL/sign-in" operator

cat <<MSG

  Souk is running.
    Buyer     $BUYER_URL
    Seller    $SELLER_URL
    Operator  $OPERATOR_URL
    Worker    http://127.0.0.1:3004/healthz

MSG
cat "$RUN_DIR/logins.txt"

if [ "$DETACH" = 1 ]; then echo; echo "Running in the background. Stop with: infra/demo.sh --stop"; exit 0; fi
echo; echo "Press Ctrl-C to stop."
trap 'stop_all; echo; echo "Souk demo stopped."; exit 0' INT TERM
while sleep 3600; do :; done
