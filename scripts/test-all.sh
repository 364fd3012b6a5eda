#!/usr/bin/env bash
# `npm test`: static checks (TypeScript, ESLint, Prettier, knip), unit, integration (a fresh database on the local
# PostgreSQL), end-to-end (Playwright against a production build), then the same build started as a newcomer
# starts it (`npm start`, embedded PostgreSQL); stops at the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() {
  printf '\n==> %s\n\n' "$1"
}

stage "0/4 Static checks (tsc, eslint, prettier, knip)"
npx tsc --noEmit
npx eslint .
npx prettier --check .
# Unused files, exports and dependencies (knip.config.ts).
npx knip

stage "1/4 Unit tests (vitest, project unit)"
npx vitest run --project unit

stage "2/4 Integration tests (vitest, project integration, PostgreSQL at ${TEST_DATABASE_ADMIN_URL:-127.0.0.1:5432})"
npx vitest run --project integration

stage "3/4 End-to-end tests (playwright, projects api and ui)"
npx playwright test

stage "4/4 End-to-end on the embedded default (npm start with nothing configured)"
npx playwright test --config playwright.embedded.config.ts

printf '\n==> All tests passed.\n'
