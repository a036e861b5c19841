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

# The end-to-end specs spend most of their time waiting for real RFQ deadlines: they run in the
# background while the typecheck and lint use the idle cores, at the lowest CPU priority so that the
# apps, the worker and the browser always come first (a starved app misses the specs' real deadlines
# and budgets: CI once failed three specs that way). The unit tests and the fault drills, which
# have real time limits of their own, run after them, each alone. All need the production builds.
step "building the apps"
pnpm exec turbo run build --output-logs=errors-only --force
# Old reports must not be counted in this run's total.
rm -f apps/*/.cache/vitest-report.json packages/*/.cache/vitest-report.json packages/*/.cache/node-test.tap e2e/.cache/playwright-report.json e2e/.cache/*.status
mkdir -p e2e/.cache
step "end-to-end tests: started in the background"
setsid bash -c 'E2E_SKIP_BUILD=1 pnpm -s test:e2e >e2e/.cache/e2e.log 2>&1; echo $? >e2e/.cache/e2e.status' &
background=$!
# Whatever happens below, never leave the browser, the apps or the worker running.
trap 'kill -- -$background 2>/dev/null || true' EXIT

# Each failed step is named again at the very end, where a reader of a long CI log looks first.
failed=()
step "typecheck and lint (lowest CPU priority, beside the end-to-end tests)"
# Two at a time: turbo's default of ten type-aware programs at once on two cores was slower, not
# faster (7.4 min against 6.5 min, each alone on the machine).
nice -n 19 pnpm exec turbo run typecheck lint --output-logs=errors-only --force --concurrency=2 || failed+=("typecheck and lint")
step "end-to-end tests"
wait $background
trap - EXIT
cat e2e/.cache/e2e.log
[ "$(cat e2e/.cache/e2e.status 2>/dev/null)" = 0 ] || failed+=("end-to-end tests (exit $(cat e2e/.cache/e2e.status 2>/dev/null || echo none)): e2e/.cache/e2e.log")
step "unit and integration tests"
pnpm exec turbo run test --concurrency=2 --force --continue || failed+=("unit and integration tests")
step "fault drills: worker kill, Redis stop"
bash infra/drills/run.sh worker-kill redis-stop || failed+=("fault drills")
step "total"
node infra/scripts/test-summary.mjs || [ ${#failed[@]} -gt 0 ] || failed+=("a report counted a failure")
for step_name in "${failed[@]}"; do echo "FAILED: $step_name"; done
[ ${#failed[@]} -eq 0 ]
