#!/usr/bin/env bash
# Headless import benchmark against the local emulator: for a small account (the
# corp setup only) and a large one (1,000 other user pools, 500 other identity
# pools), the median wall time of 20 `import auth --headless` runs and the AWS
# requests one import makes (from the emulator's call log), per operation.
#
#   scripts/bench-import.sh [OTHER_AUTHWIZ_BINARY]
#
# With a second binary (e.g. an older build) both are measured on the same
# emulator. PROFILE=dev skips the release build. Reports; never fails on timings.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authwiz-target}"
profile="${PROFILE:-release}"
cd "$repo"
"$repo/scripts/setup-emulator.sh" >&2
cargo build --profile "$profile" --bin authwiz >&2
dir="$profile"; [[ "$profile" == dev ]] && dir=debug
bins=("$CARGO_TARGET_DIR/$dir/authwiz")
[[ $# -ge 1 ]] && bins+=("$1")
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION || true
exec "$repo/.tools/venv/bin/python" - "$repo" "${RUNS:-20}" "${bins[@]}" <<'PY'
import collections, json, os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request
import boto3

repo, runs, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
url = f"http://127.0.0.1:{port}"
emu = subprocess.Popen([sys.executable, f"{repo}/tests/emulator/moto_ext.py", "-H", "127.0.0.1", "-p", str(port)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close(); break
        except OSError:
            time.sleep(0.1)
    corp = json.loads(subprocess.run([sys.executable, f"{repo}/tests/emulator/seed.py", "--endpoint", url],
                                     check=True, capture_output=True, text=True).stdout)
    payload = json.dumps({"version": 1, "userPoolId": corp["userPoolId"], "webClientId": corp["webClientId"],
                          "nativeClientId": corp["nativeClientId"], "identityPoolId": corp["identityPoolId"]})

    def calls():
        return json.load(urllib.request.urlopen(f"{url}/_authwiz/calls"))["calls"]

    def reset():
        urllib.request.urlopen(urllib.request.Request(f"{url}/_authwiz/calls/reset", method="POST"))

    def measure(bin):
        times, per_op = [], None
        for i in range(runs):
            work = tempfile.mkdtemp()
            try:
                subprocess.run([bin, "--project-dir", work, "init", "--yes", "--project-name", "bench", "--env", "dev",
                                "--region", "us-east-1", "--endpoint-url", url], check=True, capture_output=True)
                reset()
                t = time.perf_counter()
                r = subprocess.run([bin, "--project-dir", work, "import", "auth", "--headless"], input=payload.encode(),
                                   capture_output=True)
                times.append((time.perf_counter() - t) * 1000)
                assert r.returncode == 0, r.stderr.decode()
                if per_op is None:
                    per_op = collections.Counter(f"{s}:{o}" for s, o in calls())
            finally:
                shutil.rmtree(work, ignore_errors=True)
        return statistics.median(times), per_op

    def report(label):
        print(f"\n## {label}")
        for bin in bins:
            ms, ops = measure(bin)
            print(f"{bin}: median {ms:.0f} ms over {runs} runs, {sum(ops.values())} requests")
            for op, n in sorted(ops.items()):
                print(f"    {n:>4}  {op}")

    report("small account (the corp pools only)")
    kw = dict(endpoint_url=url, region_name="us-east-1")
    idp, ci = boto3.client("cognito-idp", **kw), boto3.client("cognito-identity", **kw)
    for i in range(1000):
        p = idp.create_user_pool(PoolName=f"other-{i}")["UserPool"]["Id"]
        if i < 500:
            c = idp.create_user_pool_client(UserPoolId=p, ClientName="web")["UserPoolClient"]["ClientId"]
            ci.create_identity_pool(IdentityPoolName=f"other_{i}", AllowUnauthenticatedIdentities=False,
                                    CognitoIdentityProviders=[{"ProviderName": f"cognito-idp.us-east-1.amazonaws.com/{p}",
                                                               "ClientId": c}])
    report("large account (+1,000 user pools, +500 identity pools)")
finally:
    emu.terminate(); emu.wait()
PY
