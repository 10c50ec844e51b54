#!/usr/bin/env bash
# The release archive of one target: authwiz-<version>-<target>.tar.gz (.zip
# for Windows) holding the binary, the README, the shell completions and the
# manual page, with its SHA-256 beside it.
#
# Usage: scripts/release-archive.sh --target TRIPLE [--bin PATH] [--out DIR]
#   --bin PATH  the binary (default: target/<TRIPLE>/release/authwiz[.exe])
#   --out DIR   where the archive goes (default: dist)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target=""
bin=""
out="$repo/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$target" ] || { echo "give --target TRIPLE (e.g. x86_64-unknown-linux-gnu)" >&2; exit 2; }
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n1)"
exe="authwiz"
case "$target" in *windows*) exe="authwiz.exe" ;; esac
bin="${bin:-$repo/target/$target/release/$exe}"
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 1; }

name="authwiz-$version-$target"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/$name/completions" "$out"
cp "$bin" "$work/$name/$exe"
cp "$repo/README.md" "$work/$name/"
"$bin" completions bash > "$work/$name/completions/authwiz.bash"
"$bin" completions zsh > "$work/$name/completions/_authwiz"
"$bin" completions fish > "$work/$name/completions/authwiz.fish"
"$bin" completions powershell > "$work/$name/completions/_authwiz.ps1"
"$bin" man > "$work/$name/authwiz.1"
case "$target" in
  *windows*)
    archive="$name.zip"
    (cd "$work" && 7z a -tzip "$out/$archive" "$name" >/dev/null 2>&1 || zip -qr "$out/$archive" "$name") ;;
  *)
    archive="$name.tar.gz"
    tar -C "$work" -czf "$out/$archive" "$name" ;;
esac
(cd "$out" && { sha256sum "$archive" 2>/dev/null || shasum -a 256 "$archive"; } > "$archive.sha256")
echo "$out/$archive"
