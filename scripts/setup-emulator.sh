#!/usr/bin/env bash
# Create (or reuse) the Python virtualenv that runs the local AWS emulator
# (moto server 5.2.5 + tests/emulator/moto_ext.py). Idempotent: pip only runs
# when the pinned requirements changed since the last successful install.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$script_dir")"
venv="$repo/.tools/venv"
req_file="$repo/tests/emulator/requirements.txt"
stamp="$venv/.authwiz-stamp"
python="${PYTHON:-python3}"

# Stamp content: the pinned requirement lines (comments/blank lines dropped).
want="$(grep -v -E '^[[:space:]]*(#|$)' "$req_file")"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "emulator ready: .tools/venv/bin/python tests/emulator/moto_ext.py"
  exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
  mkdir -p "$repo/.tools"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi

rm -f "$stamp"
echo "Installing the emulator's pinned packages into .tools/venv (pip, once)..." >&2
"$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -r "$req_file" >&2
# Sanity check: the launcher imports these moto internals.
"$venv/bin/python" -c 'import moto, boto3, werkzeug; assert moto.__version__ == "5.2.5", moto.__version__'
printf '%s\n' "$want" > "$stamp"

echo "emulator ready: .tools/venv/bin/python tests/emulator/moto_ext.py"
