#!/usr/bin/env bash
# The main job on an embedded default: build authwiz, start the local AWS emulator
# (or reuse the one already running), seed a user pool (web + native client),
# identity pool and roles, create a demo project in .tools/demo, and run the import
# wizard in it (interactive in a terminal, headless with the seeded ids otherwise),
# then push. Leaves a playground: the emulator keeps running for the demo project
# (`scripts/emulator.sh stop` ends it), and the commands to try next are printed.
# Nothing leaves 127.0.0.1.
#
# The build is the one scripts/test.sh uses (same target folder, profile and
# features): running one after the other compiles the AWS SDK once.
# Test seams: AUTHWIZ_BIN=PATH skips the build; AUTHWIZ_DEMO_DIR=DIR (default
# .tools/demo, replaced on each run); AUTHWIZ_EMULATOR_STATE (see emulator.sh);
# AUTHWIZ_DEMO_ACCESS_KEY (the emulator account, default moto's default account).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authwiz-target}"
# The emulator's default account (tests give each run an account of its own).
key="${AUTHWIZ_DEMO_ACCESS_KEY:-testing}"
export AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL || true

stage() { printf '==> %s\n' "$*" >&2; }

authwiz="${AUTHWIZ_BIN:-}"
if [ -z "$authwiz" ]; then
  stage "Building authwiz into $CARGO_TARGET_DIR (the first build compiles the AWS SDK: about 8 minutes on 2 cores)"
  cargo build --locked
  authwiz="$CARGO_TARGET_DIR/debug/authwiz"
fi
"$authwiz" --version >&2

stage "Installing the local AWS emulator (moto, pinned) into .tools/venv"
scripts/setup-emulator.sh >&2
if endpoint="$(scripts/emulator.sh status 2>/dev/null)"; then
  stage "Using the emulator already running at $endpoint"
else
  stage "Starting the emulator on 127.0.0.1"
  endpoint="$(scripts/emulator.sh start)"
fi
stage "Seeding it: user pool corp-users, clients corp-web and corp-native, identity pool corp_identity, roles, user demo@example.com"
seed="$(scripts/emulator.sh seed --access-key "$key")"
echo "$seed" >&2

demo="${AUTHWIZ_DEMO_DIR:-$repo/.tools/demo}"
stage "Creating the demo project in $demo (authwiz init)"
rm -rf "$demo" && mkdir -p "$demo"
"$authwiz" --project-dir "$demo" init --yes --project-name demo --env dev \
  --region us-east-1 --endpoint-url "$endpoint"

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$seed" "$1"; }
if [ -t 0 ] && [ -t 2 ]; then
  stage "Importing the seeded pools: the import walkthrough (authwiz import auth)"
  "$authwiz" --project-dir "$demo" import auth
else
  stage "Importing the seeded pools (authwiz import auth --yes with the seeded ids)"
  "$authwiz" --project-dir "$demo" import auth --yes \
    --user-pool-id "$(field userPoolId)" --web-client-id "$(field webClientId)" \
    --native-client-id "$(field nativeClientId)" --identity-pool-id "$(field identityPoolId)"
fi
stage "Pushing: checks the ids and writes the client configuration (authwiz push --yes)"
"$authwiz" --project-dir "$demo" push --yes
"$authwiz" --project-dir "$demo" status

cat >&2 <<EOF

Demo project: $demo (env dev, the seeded pools imported and pushed).
The emulator keeps running at $endpoint for it; \`scripts/emulator.sh stop\` stops it.
Try next:
  cd $demo && export PATH="$(dirname "$authwiz"):\$PATH"
  authwiz status --check-cloud
  authwiz add storage --yes --name files --bucket-name assets --auth-access create,read,delete
  authwiz push --yes
EOF
