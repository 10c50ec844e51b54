//! The Cognito Lambda trigger modules (src/auth/triggers/modules) run under Node
//! with Cognito-shaped events: tests/triggers/run.mjs invokes them through their
//! index.js runner, the ones calling Cognito against the emulator.

use crate::support::emulator::Emulator;
use crate::support::*;

#[test]
fn trigger_modules_behave_under_node() {
    let emu = Emulator::start();
    let dir = repo().join("tests/triggers");
    assert!(
        dir.join("node_modules/@aws-sdk/client-cognito-identity-provider")
            .exists(),
        "@aws-sdk/client-cognito-identity-provider is not installed: run scripts/test.sh (it runs npm ci in tests/triggers)"
    );
    let out = std::process::Command::new("node")
        .current_dir(&dir)
        .arg("run.mjs")
        .arg(emu.url())
        .arg(emu.access_key())
        .env("AWS_REGION", "us-east-1")
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let summary: serde_json::Value =
        serde_json::from_str(stdout.lines().last().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    assert!(
        summary["passed"].as_u64().unwrap_or(0) > 0,
        "{summary}\n{stdout}\n{stderr}"
    );
    assert_eq!(summary["failed"], 0, "{summary}\n{stdout}\n{stderr}");
    assert_eq!(summary["skipped"], 0, "{summary}\n{stdout}\n{stderr}");
}
