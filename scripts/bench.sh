#!/usr/bin/env bash
# Start-up and local-command benchmark: medians of `authwiz --version`, `status`
# and `env list` on a project with 20 environments and imported auth, plus the
# ratio to a process that does nothing (`true`). Reports; never fails on timings.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authwiz-target}"
cd "$repo" && cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/authwiz"
runs="${RUNS:-30}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp -r tests/fixtures/amplify-cli-14.2.2/04-push-dev/amplify "$work/"
export AWS_ENDPOINT_URL=http://127.0.0.1:9   # closed: a network call would show up as an error
# 19 more envs with the same imported auth records (as env add would write them;
# written directly so the benchmark needs no emulator).
python3 - "$work" <<'PY'
import json, sys
path = sys.argv[1] + "/amplify/team-provider-info.json"
tpi = json.load(open(path))
for i in range(1, 20):
    name = "env" + "".join("abcdefghij"[int(d)] for d in str(i))
    tpi[name] = json.loads(json.dumps(tpi["dev"]))
json.dump(tpi, open(path, "w"), indent=2)
PY
python3 - "$bin" "$work" "$runs" <<'PY'
import statistics, subprocess, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def median(cmd):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
        assert r.returncode == 0, cmd
    return statistics.median(times)
base = median(["true"])
print(f"{'command':<28}{'median ms':>10}{'x true':>9}")
print(f"{'true (process baseline)':<28}{base:>10.2f}{1:>9.1f}")
for label, args in [("authwiz --version", ["--version"]), ("authwiz status", ["--project-dir", work, "status"]),
                    ("authwiz env list (20 envs)", ["--project-dir", work, "env", "list"]),
                    ("authwiz status --json", ["--project-dir", work, "status", "--json"])]:
    m = median([bin] + args)
    print(f"{label:<28}{m:>10.2f}{m / base:>9.1f}")
PY
