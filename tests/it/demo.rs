//! The first hour: scripts/demo.sh (in a terminal and without one), the playground
//! it leaves, and every shell example of README.md and docs/ run as written
//! against a demo project. The terminal test lets the demo start (and keep) an
//! emulator of its own, which is what it checks, and stops it at the end; the docs
//! test runs the demo on this binary's emulator, in the test's own account.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use expectrl::{Eof, Expect};

use crate::support::emulator::{DEFAULT_KEY, Emulator};
use crate::support::{copy_tree, read_json, repo, run};

/// One demo setup: its own emulator state and demo folder, and the emulator account
/// it uses. The emulator the demo starts and leaves running is stopped on drop; one
/// that was running before (this test binary's) is left alone.
struct Demo {
    tmp: tempfile::TempDir,
    key: String,
    owns_emulator: bool,
}

impl Demo {
    /// The demo starts its own emulator (moto's default account).
    fn new() -> Demo {
        Demo {
            tmp: tempfile::tempdir().unwrap(),
            key: DEFAULT_KEY.to_string(),
            owns_emulator: true,
        }
    }

    /// The demo finds `emu` running, as it finds one a user started with
    /// `scripts/emulator.sh start`, and uses the test's own account there.
    fn on(emu: &Emulator) -> Demo {
        let demo = Demo {
            tmp: tempfile::tempdir().unwrap(),
            key: emu.access_key().to_string(),
            owns_emulator: false,
        };
        let state = demo.tmp.path().join("state");
        std::fs::create_dir_all(&state).unwrap();
        std::fs::write(state.join("emulator.pid"), emu.pid().to_string()).unwrap();
        std::fs::write(state.join("emulator.port"), emu.port.to_string()).unwrap();
        demo
    }

    fn dir(&self) -> PathBuf {
        self.tmp.path().join("demo")
    }

    fn bin_dir() -> PathBuf {
        Path::new(env!("CARGO_BIN_EXE_authwiz"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    /// `VAR=value` pairs that point the scripts at this setup.
    fn vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AUTHWIZ_BIN", env!("CARGO_BIN_EXE_authwiz").to_string()),
            (
                "AUTHWIZ_EMULATOR_STATE",
                self.tmp.path().join("state").display().to_string(),
            ),
            ("AUTHWIZ_DEMO_DIR", self.dir().display().to_string()),
            ("AUTHWIZ_DEMO_ACCESS_KEY", self.key.clone()),
            ("NO_COLOR", "1".into()),
        ]
    }

    fn script(&self, args: &str) -> Command {
        let mut cmd = Command::new("bash");
        cmd.arg("-c")
            .arg(format!(
                "{} 2>&1",
                repo().join("scripts").join(args).display()
            ))
            .envs(self.vars())
            .env_remove("AWS_ENDPOINT_URL")
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// The headless demo (no terminal): stdout and stderr interleaved.
    fn run(&self) -> String {
        let r = run(&mut self.script("demo.sh"));
        assert_eq!(r.code, 0, "{}", r.stdout);
        r.stdout
    }

    /// `scripts/emulator.sh status`: the URL while it runs.
    fn emulator(&self) -> Option<String> {
        let r = run(&mut self.script("emulator.sh status"));
        (r.code == 0).then(|| r.stdout.trim().to_string())
    }

    fn seed(&self) -> serde_json::Value {
        let r = run(&mut self.script(&format!("emulator.sh seed --access-key {}", self.key)));
        assert_eq!(r.code, 0, "{}", r.stdout);
        serde_json::from_str(&r.stdout).unwrap()
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        if self.owns_emulator {
            let _ = run(&mut self.script("emulator.sh stop"));
        }
    }
}

/// The commands the demo prints under "Try next:".
fn try_next(output: &str) -> Vec<String> {
    let (_, tail) = output
        .split_once("Try next:\n")
        .expect("the demo says what to try next");
    tail.lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// Runs shell lines with `bash -eu` and the demo's AWS settings; panics with the
/// trace when one fails.
fn shell(demo: &Demo, dir: &Path, script: &str, endpoint: Option<&str>) {
    // A home of its own: examples with social providers write deployment secrets.
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(format!("set -euxo pipefail\n{script}"))
        .current_dir(dir)
        .env("HOME", home.path())
        .env(
            "PATH",
            format!(
                "{}:{}",
                Demo::bin_dir().display(),
                std::env::var("PATH").unwrap()
            ),
        )
        .env("AWS_ACCESS_KEY_ID", &demo.key)
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .stdin(std::process::Stdio::null());
    if let Some(url) = endpoint {
        cmd.env("AWS_ENDPOINT_URL", url);
    }
    let r = run(&mut cmd);
    assert_eq!(
        r.code,
        0,
        "in {}:\n{script}\n---\n{}",
        dir.display(),
        r.stderr
    );
}

#[test]
fn the_demo_in_a_terminal_leaves_a_playground_and_reruns() {
    let demo = Demo::new();
    let env: Vec<String> = demo
        .vars()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut s = expectrl::spawn(format!(
        "env -u AWS_ENDPOINT_URL {} {}",
        env.join(" "),
        repo().join("scripts/demo.sh").display()
    ))
    .unwrap();
    s.set_expect_timeout(Some(Duration::from_secs(60)));
    // The version comes first.
    let first = s.expect("authwiz ").unwrap();
    assert!(
        String::from_utf8_lossy(first.before()).trim().is_empty(),
        "printed before the version: {:?}",
        String::from_utf8_lossy(first.before())
    );
    s.expect(env!("CARGO_PKG_VERSION")).unwrap();
    // The import walkthrough, through its real prompts.
    s.expect("What type of auth resource do you want to import?")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("Select a Native client to import:").unwrap();
    s.send("\r").unwrap();
    s.expect("Link these resources to the project?").unwrap();
    s.send("\r").unwrap();
    let before = s.expect("Try next:").unwrap();
    let before = String::from_utf8_lossy(before.before()).to_string();
    let rest = s.expect(Eof).unwrap();
    let rest =
        format!("{before}Try next:{}", String::from_utf8_lossy(&rest[0])).replace("\r\n", "\n");
    let next = try_next(&rest);
    assert_eq!(next.len(), 4, "{next:?}");
    assert!(next[0].starts_with("cd "), "{next:?}");

    // The emulator keeps running for the demo project; the next commands work.
    let url = demo.emulator().expect("the emulator still runs");
    assert!(rest.contains(&url), "{rest}");
    shell(&demo, &demo.dir(), &next.join("\n"), None);
    let exports = std::fs::read_to_string(demo.dir().join("src/aws-exports.js")).unwrap();
    assert!(
        exports.contains("\"aws_user_files_s3_bucket\": \"assets-dev\""),
        "{exports}"
    );

    // Again, without a terminal: the same emulator (never restarted or stopped),
    // seeded again without error to the same ids.
    let seeded = demo.seed();
    let out = demo.run();
    assert!(
        out.contains(&format!("Using the emulator already running at {url}")),
        "{out}"
    );
    assert!(
        out.contains(seeded["userPoolId"].as_str().unwrap()),
        "{out}"
    );
    assert_eq!(demo.emulator().as_deref(), Some(url.as_str()));
    assert_eq!(demo.seed(), seeded);
    let r = run(&mut demo.script("emulator.sh stop"));
    assert!(r.stdout.contains("emulator stopped"), "{}", r.stdout);
    assert_eq!(demo.emulator(), None);
}

/// Fenced ```sh blocks of the README and docs/, without the lines that run the
/// scripts themselves (this test runs the demo; CI runs the tests).
fn shell_examples() -> Vec<(String, String)> {
    let mut files = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut blocks = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if !matches!(line.trim(), "```sh" | "```bash" | "```shell") {
                continue;
            }
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| l.trim() != "```")
                .filter(|l| !l.trim_start().starts_with("scripts/"))
                .collect();
            if body.iter().any(|l| l.contains("authwiz ")) {
                let name = file.file_name().unwrap().to_string_lossy().to_string();
                blocks.push((name, body.join("\n")));
            }
        }
    }
    blocks
}

/// The ids an example leaves as `..` or `…`, filled with the seeded ones.
fn fill_ids(script: &str, seed: &serde_json::Value) -> String {
    let mut out = script.to_string();
    for (key, flag, var) in [
        ("userPoolId", "--user-pool-id", "AMPLIFY_USERPOOL_ID"),
        ("webClientId", "--web-client-id", "AMPLIFY_WEBCLIENT_ID"),
        (
            "nativeClientId",
            "--native-client-id",
            "AMPLIFY_NATIVECLIENT_ID",
        ),
        (
            "identityPoolId",
            "--identity-pool-id",
            "AMPLIFY_IDENTITYPOOL_ID",
        ),
    ] {
        let id = seed[key].as_str().unwrap();
        for hole in ["..", "…"] {
            for (from, to) in [
                (
                    format!("\"{key}\":\"{hole}\""),
                    format!("\"{key}\":\"{id}\""),
                ),
                (
                    format!("\"{key}\": \"{hole}\""),
                    format!("\"{key}\": \"{id}\""),
                ),
                (format!("{flag} {hole}"), format!("{flag} {id}")),
                (format!("{var}={hole}"), format!("{var}={id}")),
            ] {
                out = out.replace(&from, &to);
            }
        }
    }
    out
}

#[test]
fn every_shell_example_in_the_docs_runs_against_the_demo_project() {
    let emu = Emulator::start();
    let demo = Demo::on(&emu);
    let out = demo.run();
    // An emulator that was running is used, and left running.
    let url = emu.url();
    assert!(
        out.contains(&format!("Using the emulator already running at {url}")),
        "{out}"
    );
    assert_eq!(demo.emulator().as_deref(), Some(url.as_str()));
    let seed = demo.seed();
    let blocks = shell_examples();
    let commands = blocks
        .iter()
        .flat_map(|(_, b)| b.lines())
        .filter(|l| l.contains("authwiz "))
        .count();
    assert!(
        commands >= 15,
        "found only {commands} example commands: {blocks:?}"
    );
    for (file, block) in &blocks {
        let script = fill_ids(block, &seed);
        let work = tempfile::tempdir().unwrap();
        let first = script
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or_default();
        // A block that starts with init makes its own project; one that adds auth
        // starts where the demo's import starts (after its init); the others run in
        // a copy of the demo project (a fresh clone when the block says so).
        if block.contains("authwiz add auth") && !first.starts_with("authwiz init") {
            let init = format!(
                "authwiz init --yes --project-name demo --env dev --region us-east-1 --endpoint-url {url}"
            );
            shell(&demo, work.path(), &init, None);
        } else if !first.starts_with("authwiz init") {
            copy_tree(&demo.dir(), work.path());
            if block.contains("fresh clone") {
                shell(&demo, work.path(), "git init -q && git clean -fdXq", None);
                let local = work.path().join("amplify/.config/local-env-info.json");
                assert!(!local.exists());
            }
        }
        println!("{file}:\n{script}");
        shell(&demo, work.path(), &script, Some(&url));
        if first.starts_with("authwiz init") {
            assert!(
                read_json(work.path().join("amplify/.config/project-config.json"))["projectName"]
                    .is_string()
            );
        }
    }
}
