#!/usr/bin/env bash
# Builds authwiz's npm packages for the platform at hand and packs them: the
# launcher `authwiz` (bin/authwiz.js, optionalDependencies on every platform
# package) and `@authwiz/<platform>` (the binary, chosen by npm through `os`
# and `cpu`). The release workflow runs it once per target.
#
# Usage: scripts/npm-pack.sh [--bin PATH] [--out DIR]
#   --bin PATH  the binary to ship (default: a release build made here)
#   --out DIR   where the .tgz files go (default: dist/npm)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin=""
out="$repo/dist/npm"
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown argument: $1 (usage: scripts/npm-pack.sh [--bin PATH] [--out DIR])" >&2; exit 2 ;;
  esac
done
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n1)"
platform="${AUTHWIZ_NPM_PLATFORM:-$(node -p 'process.platform + "-" + process.arch')}"
case "$platform" in
  linux-x64 | linux-arm64 | darwin-x64 | darwin-arm64 | win32-x64) ;;
  *) echo "authwiz has no npm package for $platform" >&2; exit 1 ;;
esac
if [ -z "$bin" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/authwiz-target}"
  cargo build --release --locked --manifest-path "$repo/Cargo.toml"
  bin="$CARGO_TARGET_DIR/release/authwiz"
fi
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 1; }
os="${platform%-*}"
cpu="${platform#*-}"
exe="authwiz"
[ "$os" = win32 ] && exe="authwiz.exe"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/platform/bin" "$out"
cp "$bin" "$work/platform/bin/$exe"
chmod 755 "$work/platform/bin/$exe"
# Debug symbols are not shipped (a release build has none).
[ "$os" = win32 ] || strip "$work/platform/bin/$exe" 2>/dev/null || true
# Shell completions and the manual, from the binary itself (each release job
# runs on its own platform).
mkdir -p "$work/platform/completions" "$work/platform/man"
"$bin" completions bash > "$work/platform/completions/authwiz.bash"
"$bin" completions zsh > "$work/platform/completions/_authwiz"
"$bin" completions fish > "$work/platform/completions/authwiz.fish"
"$bin" completions powershell > "$work/platform/completions/_authwiz.ps1"
"$bin" man > "$work/platform/man/authwiz.1"
sed "s/PLATFORM/$platform/g" "$repo/npm/platform/README.md" > "$work/platform/README.md"
PLATFORM="$platform" OS="$os" CPU="$cpu" VERSION="$version" node -e '
  const { PLATFORM, OS, CPU, VERSION } = process.env;
  const pkg = {
    name: `@authwiz/${PLATFORM}`,
    version: VERSION,
    description: `The authwiz binary for ${PLATFORM} (install "authwiz", which picks it).`,
    license: "Apache-2.0",
    os: [OS],
    cpu: [CPU],
    files: ["bin/", "completions/", "man/", "README.md"],
    preferUnplugged: true,
  };
  require("fs").writeFileSync(process.argv[1], JSON.stringify(pkg, null, 2) + "\n");
' "$work/platform/package.json"

cp -R "$repo/npm/authwiz" "$work/launcher"
VERSION="$version" node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.version = process.env.VERSION;
  for (const dep of Object.keys(pkg.optionalDependencies)) pkg.optionalDependencies[dep] = process.env.VERSION;
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$work/launcher/package.json"

(cd "$work/platform" && npm pack --silent --pack-destination "$out" >/dev/null)
(cd "$work/launcher" && npm pack --silent --pack-destination "$out" >/dev/null)
echo "$out/authwiz-$version.tgz"
echo "$out/authwiz-$platform-$version.tgz"
