#!/usr/bin/env bash
# Local AWS emulator (moto 5.2.5 + tests/emulator/moto_ext.py) on 127.0.0.1.
#
#   scripts/emulator.sh start [PORT]   start in the background (free port if none given);
#                                      prints http://127.0.0.1:PORT on stdout
#   scripts/emulator.sh stop           stop it
#   scripts/emulator.sh status         print the URL if running (rc 1 if not)
#   scripts/emulator.sh seed [--region R] [--access-key KEY]
#                                      seed demo data (tests/emulator/seed.py; idempotent); prints JSON
#
# State: .tools/emulator.pid, .tools/emulator.port; log: .tools/emulator.log
# (AUTHWIZ_EMULATOR_STATE=DIR keeps them in DIR instead: the tests' own emulators).
# `start` reuses an emulator that is already running; only `stop` ends one.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$script_dir")"
tools="$repo/.tools"
py="$tools/venv/bin/python"
state="${AUTHWIZ_EMULATOR_STATE:-$tools}"
pid_file="$state/emulator.pid"
port_file="$state/emulator.port"
log_file="$state/emulator.log"
host=127.0.0.1

die() { echo "emulator.sh: $*" >&2; exit 1; }

# rc 0 if the pid file names a live moto_ext.py process
running() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  grep -q moto_ext.py "/proc/$pid/cmdline" 2>/dev/null || [[ ! -d /proc ]]
}

url() { echo "http://$host:$(cat "$port_file")"; }

cmd_start() {
  local port="${1:-}"
  if running; then
    if [[ -n "$port" && "$port" != "$(cat "$port_file")" ]]; then
      die "already running on port $(cat "$port_file") (pid $(cat "$pid_file")); stop it first"
    fi
    url
    return 0
  fi
  "$script_dir/setup-emulator.sh" >&2
  if [[ -z "$port" ]]; then
    port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  fi
  [[ "$port" =~ ^[0-9]+$ ]] || die "bad port: $port"
  mkdir -p "$state"
  rm -f "$pid_file" "$port_file"
  nohup "$py" "$repo/tests/emulator/moto_ext.py" -H "$host" -p "$port" >"$log_file" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pid_file"
  echo "$port" >"$port_file"
  # Wait (up to 20 s) until the server answers HTTP, or the process dies.
  if ! "$py" - "$host" "$port" "$pid" <<'PY'
import os, sys, time, urllib.request
host, port, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(f"http://{host}:{port}/moto-api/", timeout=1).read()
        sys.exit(0)
    except Exception:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit(1)
        time.sleep(0.05)
sys.exit(1)
PY
  then
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file" "$port_file"
    tail -n 20 "$log_file" >&2 || true
    die "emulator did not come up on $host:$port (log: $log_file)"
  fi
  url
}

cmd_stop() {
  if ! running; then
    rm -f "$pid_file" "$port_file"
    echo "emulator not running" >&2
    return 0
  fi
  local pid i
  pid="$(cat "$pid_file")"
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file" "$port_file"
  echo "emulator stopped" >&2
}

cmd_status() {
  running || { echo "emulator not running" >&2; return 1; }
  url
}

cmd_seed() {
  running || die "emulator not running (scripts/emulator.sh start)"
  "$py" "$repo/tests/emulator/seed.py" --endpoint "$(url)" "$@"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  seed) shift; cmd_seed "$@" ;;
  *) echo "usage: $0 {start [PORT]|stop|status|seed [--region R] [--access-key KEY]}" >&2; exit 2 ;;
esac
