#!/usr/bin/env bash
# Users benchmark against the local emulator: for pools of 2,000 and 20,000 users
# (every tenth in a group), the wall time, AWS requests and peak memory of
#   list     `users list --json`
#   backup   `backup auth`
#   restore  `restore auth FILE` into an empty pool of another account
#   check    `restore auth FILE --check` after it
# SIZES="2000 20000" by default; PROFILE=dev skips the release build. Reports;
# never fails on timings.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authwiz-target}"
profile="${PROFILE:-release}"
cd "$repo"
"$repo/scripts/setup-emulator.sh" >&2
cargo build --profile "$profile" --bin authwiz >&2
dir="$profile"; [[ "$profile" == dev ]] && dir=debug
export AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION || true
exec "$repo/.tools/venv/bin/python" - "$repo" "${SIZES:-2000 20000}" "$CARGO_TARGET_DIR/$dir/authwiz" <<'PY'
import collections, concurrent.futures, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request
import boto3

repo, sizes, bin = sys.argv[1], [int(n) for n in sys.argv[2].split()], sys.argv[3]
payload = open(f"{repo}/tests/fixtures/amplify-cli-14.2.2-managed/payloads/add-mfa.json", "rb").read()
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
url = f"http://127.0.0.1:{port}"
emu = subprocess.Popen([sys.executable, f"{repo}/tests/emulator/moto_ext.py", "-H", "127.0.0.1", "-p", str(port)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def calls(key):
    return json.load(urllib.request.urlopen(f"{url}/_authwiz/calls?key={key}"))["calls"]


def reset(key):
    urllib.request.urlopen(urllib.request.Request(f"{url}/_authwiz/calls/reset?key={key}", method="POST"))


def cmd(work, home, key, args, stdin=None, measure=False):
    """Runs authwiz; with `measure`, (ms, requests, peak RSS in MB)."""
    if measure:
        reset(key)
    env = {**os.environ, "HOME": home, "AWS_ACCESS_KEY_ID": key}
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", bin, "--project-dir", work, *args], input=stdin,
                       capture_output=True, env=env)
    ms = (time.perf_counter() - t) * 1000
    assert r.returncode == 0, (args, r.stderr.decode()[-2000:])
    if not measure:
        return r
    rss_kb = int(r.stderr.decode().strip().splitlines()[-1])
    return ms, collections.Counter(f"{s}:{o}" for s, o in calls(key)), rss_kb / 1024


def project(key):
    work, home = tempfile.mkdtemp(), tempfile.mkdtemp()
    cmd(work, home, key, ["init", "--yes", "--project-name", "bench", "--env", "dev", "--region", "us-east-1",
                          "--endpoint-url", url])
    cmd(work, home, key, ["add", "auth", "--headless"], payload)
    cmd(work, home, key, ["push", "--yes"])
    meta = json.load(open(f"{work}/amplify/backend/amplify-meta.json"))
    return work, home, meta["auth"]["mfaauth"]["output"]["UserPoolId"]


def seed(key, pool, n):
    from botocore.config import Config
    idp = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                       aws_access_key_id=key, aws_secret_access_key="testing",
                       config=Config(retries={"max_attempts": 10, "mode": "standard"}))

    def one(i):
        email = f"user{i:05}@example.com"
        u = idp.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS",
                                  UserAttributes=[{"Name": "email", "Value": email},
                                                  {"Name": "name", "Value": f"User {i}"}])
        return u["User"]["Username"]

    # One at a time: the emulator fails concurrent creates (HTTP 500).
    with concurrent.futures.ThreadPoolExecutor(1) as pool_:
        names = list(pool_.map(one, range(n)))
    # The emulator's group sets do not take concurrent changes.
    for name in names[::10]:
        idp.admin_add_user_to_group(UserPoolId=pool, Username=name, GroupName="admins")


def show(step, m):
    ms, ops, mb = m
    print(f"{step:>8}: {ms:8.0f} ms, {sum(ops.values()):>6} requests, peak {mb:5.1f} MB")
    for op, k in sorted(ops.items()):
        print(f"            {k:>6}  {op}")


try:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close(); break
        except OSError:
            time.sleep(0.1)
    for i, n in enumerate(sizes):
        a, b = f"AKIATEST{100000000100 + 2 * i:012d}", f"AKIATEST{100000000101 + 2 * i:012d}"
        work, home, pool = project(a)
        t = time.perf_counter()
        seed(a, pool, n)
        print(f"\n## {n:,} users (seeded in {time.perf_counter() - t:.0f} s)")
        show("list", cmd(work, home, a, ["users", "list", "--json"], measure=True))
        show("backup", cmd(work, home, a, ["backup", "auth", "--out", "bench-backup.json"], measure=True))
        size = os.path.getsize(f"{work}/bench-backup.json")
        print(f"          backup file: {size / 1e6:.1f} MB")
        work_b, home_b, _ = project(b)
        shutil.copy(f"{work}/bench-backup.json", f"{work_b}/bench-backup.json")
        show("restore", cmd(work_b, home_b, b, ["restore", "auth", f"{work_b}/bench-backup.json"], measure=True))
        show("check", cmd(work_b, home_b, b, ["restore", "auth", f"{work_b}/bench-backup.json", "--check"], measure=True))
        for w in (work, home, work_b, home_b):
            shutil.rmtree(w, ignore_errors=True)
finally:
    emu.terminate(); emu.wait()
PY
