#!/usr/bin/env bash
# Every test Souk has, on a fresh clone: lint and dependency rules, typecheck, unit and
# integration tests (real PostgreSQL and Redis), and the Playwright end-to-end specs (Chromium).
# Installs what is missing first. Tests always run for real (turbo's cache is bypassed).
source "$(dirname "$0")/scripts/lib.sh"

step "installing dependencies"
install_dependencies
step "bringing up PostgreSQL and Redis"
SOUK_DATABASES="souk souk_e2e" bash infra/scripts/services-up.sh
ensure_chromium

step "dependency rules"
pnpm -s check:deps
step "typecheck and lint"
pnpm exec turbo run typecheck lint --output-logs=errors-only --force
# Old reports must not be counted in this run's total.
rm -f apps/*/.cache/vitest-report.json packages/*/.cache/vitest-report.json packages/*/.cache/node-test.tap e2e/.cache/playwright-report.json
status=0
step "unit and integration tests"
pnpm exec turbo run test --concurrency=2 --force --continue || status=1
step "end-to-end tests"
pnpm exec turbo run build --output-logs=errors-only
E2E_SKIP_BUILD=1 pnpm -s test:e2e || status=1
step "total"
node infra/scripts/test-summary.mjs || status=1
exit $status
