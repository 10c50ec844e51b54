//! The npm distribution: scripts/npm-pack.sh packs the launcher and this
//! platform's binary package; npm installs the two tarballs into a fresh
//! folder (offline: no registry involved); `npx authwiz` runs, a headless
//! import works through it against the emulator, and a platform without a
//! binary (or a missing platform package) gets a clear message.

use std::path::Path;
use std::process::Command;

use crate::support::emulator::{Emulator, current_access_key};
use crate::support::seed::Seeder;
use crate::support::*;

fn npm(dir: &Path, args: &[&str]) {
    let out = Command::new("npm")
        .current_dir(dir)
        .args(args)
        .args(["--offline", "--no-audit", "--no-fund", "--loglevel=error"])
        .output()
        .expect("npm runs");
    assert!(
        out.status.success(),
        "npm {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A folder with a package.json, as a front-end app's.
fn app_folder(dir: &Path) {
    let manifest = r#"{"name": "npm-check", "version": "1.0.0", "private": true}"#;
    std::fs::write(dir.join("package.json"), manifest).unwrap();
}

/// The installed command, as package scripts and npx run it.
fn installed(dir: &Path) -> Command {
    let mut cmd = Command::new(dir.join("node_modules/.bin/authwiz"));
    cmd.env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_ACCESS_KEY_ID", current_access_key())
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(std::process::Stdio::null());
    cmd
}

#[test]
fn the_packed_tarballs_install_offline_and_run() {
    let packs = tempfile::tempdir().unwrap();
    let out = Command::new(repo().join("scripts/npm-pack.sh"))
        .args(["--bin", env!("CARGO_BIN_EXE_authwiz"), "--out"])
        .arg(packs.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tarballs: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(tarballs.len(), 2, "{tarballs:?}");
    let version = env!("CARGO_PKG_VERSION");
    assert!(tarballs[0].ends_with(&format!("authwiz-{version}.tgz")));

    // Only the launcher: its platform package is an optional dependency that
    // an offline install leaves out; the command says how to get it.
    let bare = tempfile::tempdir().unwrap();
    app_folder(bare.path());
    npm(bare.path(), &["install", &tarballs[0]]);
    let r = run(installed(bare.path()).arg("--version"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("is not installed") && r.stderr.contains("--include=optional"),
        "{}",
        r.stderr
    );

    let app = tempfile::tempdir().unwrap();
    let root = app.path();
    app_folder(root);
    npm(root, &["install", &tarballs[0], &tarballs[1]]);
    let r = run(installed(root).arg("--version"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The completions and the manual come with the platform package.
    let platform = root.join("node_modules/@authwiz/linux-x64");
    let bash = std::fs::read_to_string(platform.join("completions/authwiz.bash")).unwrap();
    assert!(bash.contains("_authwiz"), "{bash}");
    assert!(platform.join("man/authwiz.1").exists());
    assert_eq!(r.stdout.trim(), format!("authwiz {version}"));
    let npx = Command::new("npx")
        .current_dir(root)
        .args(["--no-install", "authwiz", "--version"])
        .output()
        .unwrap();
    assert!(
        npx.status.success(),
        "{}",
        String::from_utf8_lossy(&npx.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&npx.stdout).trim(),
        format!("authwiz {version}")
    );
    // A platform without a binary.
    let r = run(installed(root)
        .env("AUTHWIZ_NPM_PLATFORM", "sunos-sparc")
        .arg("--version"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no prebuilt binary for sunos-sparc"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("cargo install --locked authwiz"),
        "{}",
        r.stderr
    );

    // The main job through the installed command: a headless import, pushed.
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let corp = seed.corp();
    let r = run(installed(root)
        .args([
            "init",
            "--yes",
            "--project-name",
            "npmapp",
            "--env",
            "dev",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &emu.url(),
        ])
        .current_dir(root));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = with_stdin(
        installed(root)
            .current_dir(root)
            .args(["import", "auth", "--headless"]),
        &payload(&corp, true),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(installed(root).current_dir(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let exports = std::fs::read_to_string(root.join("src/aws-exports.js")).unwrap();
    assert!(exports.contains(&corp.user_pool_id), "{exports}");
}
