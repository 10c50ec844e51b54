#!/usr/bin/env bash
# Managed-auth push benchmark against the local emulator, beside what the Amplify
# CLI 14.2.2 took for the same steps (the managed fixtures' cli-output.txt, same
# emulator): for Amplify's default configuration, the median wall time of RUNS
# (default 10) runs of each step and the AWS requests one run makes, per operation:
#   create  `push --yes` after `add auth --headless` (fixture 44)
#   no-op   `push --yes` again
#   update  `push --yes` after `update auth --headless` (password policy, fixture 47)
#   delete  `push --yes --delete-users` after `remove auth --yes` (fixture 49)
# and the create once more in an account with 1,000 other user pools (a push
# with no recorded ids first looks for its pools by name).
#
#   scripts/bench-managed.sh
#
# PROFILE=dev skips the release build. Reports; never fails on timings.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authwiz-target}"
profile="${PROFILE:-release}"
cd "$repo"
"$repo/scripts/setup-emulator.sh" >&2
cargo build --profile "$profile" --bin authwiz >&2
dir="$profile"; [[ "$profile" == dev ]] && dir=debug
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION || true
exec "$repo/.tools/venv/bin/python" - "$repo" "${RUNS:-10}" "$CARGO_TARGET_DIR/$dir/authwiz" <<'PY'
import collections, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, json, urllib.request
import boto3

repo, runs, bin = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fixtures = f"{repo}/tests/fixtures/amplify-cli-14.2.2-managed"
payloads = f"{fixtures}/payloads"
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
url = f"http://127.0.0.1:{port}"
emu = subprocess.Popen([sys.executable, f"{repo}/tests/emulator/moto_ext.py", "-H", "127.0.0.1", "-p", str(port)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def amplify(step):
    text = open(f"{fixtures}/{step}/cli-output.txt").read()
    m = re.search(r"\(exit \d+, ([\d.]+) s, (\d+) HTTP requests", text)
    return float(m.group(1)) * 1000, int(m.group(2))


def calls():
    return json.load(urllib.request.urlopen(f"{url}/_authwiz/calls"))["calls"]


def reset():
    urllib.request.urlopen(urllib.request.Request(f"{url}/_authwiz/calls/reset", method="POST"))


def cmd(work, home, args, stdin=None):
    r = subprocess.run([bin, "--project-dir", work, *args], input=stdin, capture_output=True,
                       env={**os.environ, "HOME": home})
    assert r.returncode == 0, (args, r.stderr.decode())


def timed(work, home, args):
    reset()
    t = time.perf_counter()
    cmd(work, home, args)
    ms = (time.perf_counter() - t) * 1000
    return ms, collections.Counter(f"{s}:{o}" for s, o in calls())


try:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close(); break
        except OSError:
            time.sleep(0.1)
    add = open(f"{payloads}/add-default.json", "rb").read()
    update = open(f"{payloads}/update-default.json", "rb").read()

    def cycle(steps):
        work, home = tempfile.mkdtemp(), tempfile.mkdtemp()
        try:
            cmd(work, home, ["init", "--yes", "--project-name", "bench", "--env", "dev", "--region", "us-east-1",
                             "--endpoint-url", url])
            cmd(work, home, ["add", "auth", "--headless"], add)
            out = {"create": timed(work, home, ["push", "--yes"])}
            if "no-op" in steps:
                out["no-op"] = timed(work, home, ["push", "--yes"])
            if "update" in steps:
                cmd(work, home, ["update", "auth", "--headless"], update)
                out["update"] = timed(work, home, ["push", "--yes"])
            if "delete" in steps:
                cmd(work, home, ["remove", "auth", "--yes"])
                out["delete"] = timed(work, home, ["push", "--yes", "--delete-users"])
            return out
        finally:
            shutil.rmtree(work, ignore_errors=True); shutil.rmtree(home, ignore_errors=True)

    def report(label, steps, fixture_steps):
        results = [cycle(steps) for _ in range(runs)]
        print(f"\n## {label} ({runs} runs)")
        for step in steps:
            ms = statistics.median(r[step][0] for r in results)
            ops = results[0][step][1]
            line = f"{step:>7}: median {ms:6.0f} ms, {sum(ops.values()):>2} requests"
            if step in fixture_steps:
                a_ms, a_req = amplify(fixture_steps[step])
                line += f"   (Amplify CLI: {a_ms:.0f} ms, {a_req} requests: {a_ms / ms:.0f}x the time)"
            print(line)
            for op, n in sorted(ops.items()):
                print(f"           {n:>3}  {op}")

    steps = ["create", "no-op", "update", "delete"]
    fixture_steps = {"create": "44-default-push", "update": "47-default-push-after-update",
                     "delete": "49-default-push-after-remove"}
    report("default managed auth, empty account", steps, fixture_steps)
    idp = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1")
    for i in range(1000):
        idp.create_user_pool(PoolName=f"other-{i}")
    report("create in an account with 1,000 other user pools", ["create"], fixture_steps)
finally:
    emu.terminate(); emu.wait()
PY
