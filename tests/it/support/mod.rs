//! Shared test helpers: temp projects, fixtures, running authwiz (as a process or
//! in-process with a scripted prompter), and the emulator.

pub mod emulator;
pub mod proxy;
pub mod seed;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use authwiz::cli::Cli;
use authwiz::commands::{self, Context};
use authwiz::process::Overlay;
use authwiz::prompt::ScriptedPrompter;
use authwiz::ui::Ui;
use clap::Parser;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(step: &str) -> PathBuf {
    repo().join("tests/fixtures/amplify-cli-14.2.2").join(step)
}

/// A fresh temp folder holding a copy of a fixture step (amplify/, src/).
pub fn project_from_fixture(step: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["amplify", "src"] {
        let from = fixture(step).join(sub);
        if from.exists() {
            copy_tree(&from, &dir.path().join(sub));
        }
    }
    dir
}

/// A closed port on this machine: an AWS call sent here fails at once.
pub const CLOSED_ENDPOINT: &str = "http://127.0.0.1:9";

/// A copy of a fixture step (the Amplify CLI's own files) whose envs send any AWS
/// call to [`CLOSED_ENDPOINT`]: for tests of commands that must not reach the
/// cloud (a call fails the command; none leaves the machine).
pub fn offline_from_fixture(step: &str) -> tempfile::TempDir {
    let dir = project_from_fixture(step);
    let info = dir.path().join("amplify/.config/local-aws-info.json");
    let mut v = read_json(&info);
    for env in v.as_object_mut().unwrap().values_mut() {
        env["endpointUrl"] = CLOSED_ENDPOINT.into();
    }
    std::fs::write(&info, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for "nothing changed" assertions.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().to_string();
                // The lock file's existence is not a change to the project.
                if !rel.ends_with("local-authwiz.lock") {
                    out.insert(rel, std::fs::read(&p).unwrap());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

pub fn read_json(path: impl AsRef<Path>) -> serde_json::Value {
    let text = std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()));
    serde_json::from_str(&text).unwrap()
}

/// The authwiz binary with a clean AWS environment (no real credentials, no
/// endpoint unless a test sets one). Its access key is the test's emulator
/// account's (`emulator::current_access_key`).
pub fn authwiz(dir: &Path) -> std::process::Command {
    let mut cmd = authwiz_without_dir();
    cmd.arg("--project-dir").arg(dir);
    cmd
}

/// The same without `--project-dir` (the caller sets the working folder).
pub fn authwiz_without_dir() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_authwiz"));
    for var in [
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_SESSION_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_ACCESS_KEY_ID", emulator::current_access_key())
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null());
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut std::process::Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into(),
        stderr: String::from_utf8_lossy(&stderr).into(),
    }
}

/// Runs `authwiz <args>` in-process with a scripted prompter.
pub struct InProcess {
    pub result: Result<(), String>,
    pub human: String,
    pub transcript: Vec<String>,
    pub script_finished: bool,
}

/// The process it sees is the real one with the test's emulator access key
/// (`emulator::current_access_key`).
pub fn run_scripted(dir: &Path, args: &[&str], prompter: &mut ScriptedPrompter) -> InProcess {
    run_scripted_with(dir, args, prompter, &[])
}

/// [`run_scripted`] with these variables set (e.g. a HOME of the test's own).
pub fn run_scripted_with(
    dir: &Path,
    args: &[&str],
    prompter: &mut ScriptedPrompter,
    vars: &[(&str, &str)],
) -> InProcess {
    let mut argv = vec!["authwiz", "--project-dir", dir.to_str().unwrap()];
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(argv).unwrap();
    let (ui, human, _machine) = Ui::captured();
    // In-process runs keep the test's clock: a retry's pause takes no time.
    let mut process = Overlay::real()
        .without_pauses()
        .set("AWS_ACCESS_KEY_ID", &emulator::current_access_key())
        .set("AWS_SECRET_ACCESS_KEY", "testing")
        .remove("AWS_SESSION_TOKEN")
        .remove("AWS_PROFILE");
    for (k, v) in vars {
        process = process.set(k, v);
    }
    let ctx = Context::from_global(&cli.global, ui).with_process(process);
    let result = commands::run(cli.command, &ctx, prompter).map_err(|e| e.to_string());
    let human = String::from_utf8(human.lock().unwrap().clone()).unwrap();
    InProcess {
        result,
        human,
        transcript: prompter.transcript.clone(),
        script_finished: prompter.finished(),
    }
}

/// `authwiz init --yes` of project `project` with env `dev` in `region`.
pub fn init_yes(dir: &Path, project: &str, region: &str) -> std::process::Command {
    let mut cmd = authwiz(dir);
    cmd.args([
        "init",
        "--yes",
        "--project-name",
        project,
        "--env",
        "dev",
        "--region",
        region,
    ]);
    cmd
}

/// `authwiz init --yes` in a new temp folder.
pub fn new_project(region: &str, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = run(authwiz(dir.path())
        .args([
            "init",
            "--yes",
            "--project-name",
            "demo",
            "--env",
            "dev",
            "--region",
            region,
        ])
        .args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

/// A new project (named like the fixtures' `peerproj`) whose env reaches `endpoint`.
pub fn project_on(endpoint: &str, frontend: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = run(authwiz(dir.path()).args([
        "init",
        "--yes",
        "--project-name",
        "peerproj",
        "--env",
        "dev",
        "--region",
        "us-east-1",
        "--frontend",
        frontend,
        "--endpoint-url",
        endpoint,
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

/// Runs `cmd` with `payload` on stdin.
pub fn with_stdin(cmd: &mut std::process::Command, payload: &str) -> Run {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(payload.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

/// `authwiz import auth --headless` with `payload` on stdin.
pub fn headless(dir: &Path, payload: &str) -> Run {
    with_stdin(authwiz(dir).args(["import", "auth", "--headless"]), payload)
}

pub fn payload(corp: &seed::Corp, with_identity_pool: bool) -> String {
    let mut v = serde_json::json!({
        "version": 1,
        "userPoolId": corp.user_pool_id,
        "webClientId": corp.web_client_id,
        "nativeClientId": corp.native_client_id,
    });
    if with_identity_pool {
        v["identityPoolId"] = corp.identity_pool_id.clone().into();
    }
    v.to_string()
}

/// The ids of a project made by import: `--yes` flags for the corp setup.
pub fn id_flags(corp: &seed::Corp) -> Vec<String> {
    vec![
        "--user-pool-id".into(),
        corp.user_pool_id.clone(),
        "--web-client-id".into(),
        corp.web_client_id.clone(),
        "--native-client-id".into(),
        corp.native_client_id.clone(),
        "--identity-pool-id".into(),
        corp.identity_pool_id.clone(),
    ]
}

/// A project with the seeded `corp` resources imported (headless) in `dev`.
pub fn imported(emu: &emulator::Emulator, frontend: &str) -> (tempfile::TempDir, seed::Corp) {
    let corp = seed::Seeder::new(emu, "us-east-1").corp();
    let dir = project_on(&emu.url(), frontend);
    let r = headless(dir.path(), &payload(&corp, true));
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, corp)
}

/// The same, pushed.
pub fn pushed(emu: &emulator::Emulator, frontend: &str) -> (tempfile::TempDir, seed::Corp) {
    let (dir, corp) = imported(emu, frontend);
    let r = run(authwiz(dir.path()).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, corp)
}

/// Validates an amplify_outputs.json against the official schema of its
/// `version` (tests/fixtures/amplify-outputs-schema), with the emulator
/// virtualenv's `jsonschema`; returns the version.
pub fn assert_valid_outputs(path: &Path) -> String {
    let doc = read_json(path);
    let version = doc["version"].as_str().unwrap_or_default().to_string();
    let schema = repo()
        .join("tests/fixtures/amplify-outputs-schema")
        .join(format!("schema_v{version}.json"));
    assert!(
        schema.exists(),
        "no pinned schema for version {version:?}: {doc}"
    );
    let python = repo().join(".tools/venv/bin/python");
    let out = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))\n\
             errors = [f'{list(e.path)}: {e.message}' for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]\n\
             print('\\n'.join(errors)); sys.exit(1 if errors else 0)",
        ])
        .arg(&schema)
        .arg(path)
        .output()
        .expect("the emulator's python runs (scripts/setup-emulator.sh)");
    assert!(
        out.status.success(),
        "{} does not match schema {version}:\n{}{}\n{doc:#}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    version
}
