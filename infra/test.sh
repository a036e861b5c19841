#!/usr/bin/env bash
# Every test Souk has, on a fresh clone: lint and dependency rules, typecheck, unit and
# integration tests (real PostgreSQL and Redis), the Playwright end-to-end specs (Chromium) and the
# fault drills that fit (worker kill, Redis stop).
# Installs what is missing first. Tests always run for real (turbo's cache is bypassed).
source "$(dirname "$0")/scripts/lib.sh"

step "installing dependencies"
install_dependencies
step "bringing up PostgreSQL and Redis"
SOUK_DATABASES="souk souk_e2e" bash infra/scripts/services-up.sh
ensure_chromium

step "dependency rules"
pnpm -s check:deps

# The end-to-end specs spend most of their time waiting for real RFQ deadlines, and the fault drills
# on their own PostgreSQL and Redis: both run in the background, one after the other, beside the
# CPU-bound steps below instead of after them. They need the production builds.
step "building the apps"
pnpm exec turbo run build --output-logs=errors-only --force
# Old reports must not be counted in this run's total.
rm -f apps/*/.cache/vitest-report.json packages/*/.cache/vitest-report.json packages/*/.cache/node-test.tap e2e/.cache/playwright-report.json e2e/.cache/*.status infra/drills/.cache/*.status
mkdir -p e2e/.cache infra/drills/.cache
step "end-to-end tests, then the worker-kill and Redis-stop drills: started in the background"
setsid bash -c '
  E2E_SKIP_BUILD=1 pnpm -s test:e2e >e2e/.cache/e2e.log 2>&1; echo $? >e2e/.cache/e2e.status
  bash infra/drills/run.sh worker-kill redis-stop >infra/drills/.cache/drills.log 2>&1; echo $? >infra/drills/.cache/drills.status
' &
background=$!
# Whatever happens below, never leave the browser, the apps, the worker or a drill running.
trap 'kill -- -$background 2>/dev/null || true' EXIT

# Each failed step is named again at the very end, where a reader of a long CI log looks first.
failed=()
step "typecheck and lint"
# Two at a time, as the unit tests: turbo's default of ten type-aware programs at once on two cores
# was slower, not faster (7.4 min against 6.5 min, each alone on the machine).
pnpm exec turbo run typecheck lint --output-logs=errors-only --force --concurrency=2 || failed+=("typecheck and lint")
step "unit and integration tests"
pnpm exec turbo run test --concurrency=2 --force --continue || failed+=("unit and integration tests")
step "end-to-end tests"
wait $background
trap - EXIT
cat e2e/.cache/e2e.log
[ "$(cat e2e/.cache/e2e.status 2>/dev/null)" = 0 ] || failed+=("end-to-end tests (exit $(cat e2e/.cache/e2e.status 2>/dev/null || echo none)): e2e/.cache/e2e.log")
step "fault drills"
cat infra/drills/.cache/drills.log
[ "$(cat infra/drills/.cache/drills.status 2>/dev/null)" = 0 ] || failed+=("fault drills (exit $(cat infra/drills/.cache/drills.status 2>/dev/null || echo none)): infra/drills/.cache/drills.log")
step "total"
node infra/scripts/test-summary.mjs || [ ${#failed[@]} -gt 0 ] || failed+=("a report counted a failure")
for step_name in "${failed[@]}"; do echo "FAILED: $step_name"; done
if grep -q '^  ✘\|Error: ' e2e/.cache/e2e.log 2>/dev/null && [ "$(cat e2e/.cache/e2e.status 2>/dev/null)" != 0 ]; then
  echo "first end-to-end errors:"; grep -m 8 '^  ✘\|Error: ' e2e/.cache/e2e.log
fi
[ ${#failed[@]} -eq 0 ]
