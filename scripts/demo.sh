#!/usr/bin/env bash
# The main job on an embedded default: start the local AWS emulator, seed a user
# pool (web + native client), identity pool and roles, create a demo project in
# .tools/demo, and run the import wizard in it (interactive in a terminal,
# headless with the seeded ids otherwise). Nothing leaves 127.0.0.1.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authwiz-target}"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL || true

cargo build --quiet
authwiz="$CARGO_TARGET_DIR/debug/authwiz"

scripts/emulator.sh stop >/dev/null 2>&1 || true
endpoint="$(scripts/emulator.sh start)"
trap 'scripts/emulator.sh stop >/dev/null 2>&1 || true' EXIT
seed="$(scripts/emulator.sh seed)"
echo "Seeded the emulator at $endpoint:" >&2
echo "$seed" >&2

demo="$repo/.tools/demo"
rm -rf "$demo" && mkdir -p "$demo"
"$authwiz" --project-dir "$demo" init --yes --project-name demo --env dev \
  --region us-east-1 --endpoint-url "$endpoint"

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$seed" "$1"; }
if "$authwiz" import --help >/dev/null 2>&1; then
  if [ -t 0 ] && [ -t 2 ]; then
    "$authwiz" --project-dir "$demo" import auth
  else
    "$authwiz" --project-dir "$demo" import auth --yes \
      --user-pool-id "$(field userPoolId)" --web-client-id "$(field webClientId)" \
      --native-client-id "$(field nativeClientId)" --identity-pool-id "$(field identityPoolId)"
  fi
  "$authwiz" --project-dir "$demo" push --yes
fi
"$authwiz" --project-dir "$demo" status
echo "Demo project: $demo" >&2
