//! Crash consistency: every command that changes the project is killed
//! (`AUTHWIZ_FAULT_AT=N` aborts the process before its N-th file operation) at
//! every N until it completes. After each kill: every JSON file still parses, no
//! file git would commit holds the native client's secret, file modes hold, and
//! once the next command has recovered the project is exactly as before or as
//! after the command; then the command runs again, then `push`, and the project
//! tree and the roles' inline policies must equal an uninterrupted run's.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support::emulator::Emulator;
use crate::support::seed::{Corp, Seeder};
use crate::support::*;

const ROLES: [&str; 2] = ["corp-auth-role", "corp-unauth-role"];
/// push's journal of IAM changes: the cloud side's record, kept across a kill on
/// purpose (the next push resumes from it), so not part of "before or after".
const PUSH_JOURNAL: &str = "amplify/.config/local-authwiz-push.json";

#[derive(Debug, Default)]
struct Figures {
    kill_points: usize,
    finished: usize,
    discarded: usize,
    between: Vec<usize>,
    not_converged: Vec<usize>,
    unparsable: Vec<String>,
    secret_hits: Vec<String>,
    bad_modes: Vec<String>,
}

impl Figures {
    /// Goal 0 for everything a sweep counts as wrong.
    fn assert_clean(&self) {
        assert!(self.kill_points > 0);
        assert!(self.between.is_empty(), "at N = {:?}", self.between);
        assert!(
            self.not_converged.is_empty(),
            "not converged at N = {:?}",
            self.not_converged
        );
        assert!(self.unparsable.is_empty(), "{:#?}", self.unparsable);
        assert!(self.secret_hits.is_empty(), "{:#?}", self.secret_hits);
        assert!(self.bad_modes.is_empty(), "{:#?}", self.bad_modes);
    }
}

/// The state a sweep compares: files (JSON structurally, push timestamps and
/// the temp folder's path left out) and the roles' inline policies.
type Tree = BTreeMap<String, Value>;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().to_string();
            if rel == ".git" {
                continue;
            }
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn drop_timestamps(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.shift_remove("lastPushTimeStamp");
            map.values_mut().for_each(drop_timestamps);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_timestamps),
        _ => {}
    }
}

/// `start`: the folder the project was made in (its path is in local-env-info.json).
fn tree(dir: &Path, start: &Path) -> Tree {
    let (root, start) = (
        dir.to_string_lossy().to_string(),
        start.to_string_lossy().to_string(),
    );
    files(dir)
        .into_iter()
        .filter(|rel| !rel.ends_with("local-authwiz.lock"))
        .map(|rel| {
            let text = std::fs::read_to_string(dir.join(&rel))
                .unwrap()
                .replace(&root, "<dir>")
                .replace(&start, "<dir>");
            let mut value =
                serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()));
            drop_timestamps(&mut value);
            (rel, value)
        })
        .collect()
}

fn policies(seed: &Seeder) -> Tree {
    let mut out = Tree::new();
    for role in ROLES {
        let names = seed
            .rt
            .block_on(seed.iam().list_role_policies().role_name(role).send())
            .unwrap();
        for name in names.policy_names() {
            out.insert(
                format!("{role}/{name}"),
                seed.role_policy(role, name).unwrap(),
            );
        }
    }
    out
}

fn s3(seed: &Seeder) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&seed.config)
            .force_path_style(true)
            .build(),
    )
}

/// The cloud as every sweep run starts: no inline policy on the roles, no bucket.
fn reset_cloud(seed: &Seeder) {
    for role in ROLES {
        let names = seed
            .rt
            .block_on(seed.iam().list_role_policies().role_name(role).send())
            .unwrap();
        for name in names.policy_names() {
            seed.rt
                .block_on(
                    seed.iam()
                        .delete_role_policy()
                        .role_name(role)
                        .policy_name(name)
                        .send(),
                )
                .unwrap();
        }
    }
    let s3 = s3(seed);
    let buckets = seed.rt.block_on(s3.list_buckets().send()).unwrap();
    for b in buckets.buckets() {
        seed.rt
            .block_on(s3.delete_bucket().bucket(b.name().unwrap()).send())
            .unwrap();
    }
}

/// The umask's mode for a new file (what authwiz must give files without secrets).
fn plain_mode() -> u32 {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::File::create(&probe).unwrap();
    std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777
}

/// After a kill, before anything recovers: files parse, git would commit no
/// secret, modes hold.
fn check_files(dir: &Path, secret: &str, at: usize, f: &mut Figures) {
    use std::os::unix::fs::PermissionsExt;
    let plain = plain_mode();
    for rel in files(dir) {
        let path = dir.join(&rel);
        let bytes = std::fs::read(&path).unwrap();
        let parses = if rel.ends_with(".json") {
            serde_json::from_slice::<Value>(&bytes).is_ok()
        } else if rel.ends_with("aws-exports.js") {
            authwiz::outputs::parse_aws_exports(&String::from_utf8_lossy(&bytes)).is_some()
        } else {
            true
        };
        if !parses {
            f.unparsable.push(format!("N={at}: {rel}"));
        }
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let want = if authwiz::project::holds_secret(&bytes) {
            0o600
        } else {
            plain
        };
        if mode != want {
            f.bad_modes
                .push(format!("N={at}: {rel} is {mode:o}, not {want:o}"));
        }
    }
    let listed =
        git(dir, &["ls-files"]) + &git(dir, &["ls-files", "--others", "--exclude-standard"]);
    for rel in listed.lines() {
        if let Ok(bytes) = std::fs::read(dir.join(rel))
            && String::from_utf8_lossy(&bytes).contains(secret)
        {
            f.secret_hits.push(format!("N={at}: {rel}"));
        }
    }
}

fn aborted(r: &std::process::Output) -> bool {
    use std::os::unix::process::ExitStatusExt;
    r.status.signal() == Some(6)
}

struct Sweep {
    seed: Seeder,
    corp: Corp,
    /// The project before the command (a git repository with its files committed).
    start: tempfile::TempDir,
    command: Vec<String>,
    /// What the command reads on stdin (headless mode).
    stdin: Option<String>,
}

impl Sweep {
    fn new(
        emu: &Emulator,
        start: tempfile::TempDir,
        corp: Corp,
        command: &[&str],
        stdin: Option<String>,
    ) -> Sweep {
        commit_all(start.path());
        Sweep {
            seed: Seeder::new(emu, "us-east-1"),
            corp,
            start,
            command: command.iter().map(|s| s.to_string()).collect(),
            stdin,
        }
    }

    fn copy_start(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(self.start.path(), dir.path());
        dir
    }

    /// Runs the command; `fault` is the `AUTHWIZ_FAULT_AT` value, if any.
    fn command(&self, dir: &Path, fault: Option<String>) -> std::process::Output {
        use std::io::Write;
        let mut cmd = authwiz(dir);
        cmd.args(&self.command)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        if let Some(at) = fault {
            cmd.env("AUTHWIZ_FAULT_AT", at);
        }
        let mut child = cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        if let Some(text) = &self.stdin {
            stdin.write_all(text.as_bytes()).unwrap();
        }
        drop(stdin);
        child.wait_with_output().unwrap()
    }

    fn push(&self, dir: &Path) -> Run {
        run(authwiz(dir).args(["push", "--yes"]))
    }

    /// The uninterrupted run: the project after the command, and the project
    /// and the policies after the command and a push.
    fn baseline(&self) -> (Tree, (Tree, Tree)) {
        reset_cloud(&self.seed);
        let base = self.copy_start();
        let r = self.command(base.path(), None);
        assert!(r.status.success(), "{:?}: {r:?}", self.command);
        let after = tree(base.path(), self.start.path());
        let r = self.push(base.path());
        assert_eq!(r.code, 0, "{}", r.stderr);
        // The secret scan means something: the secret is in the project (in
        // git-ignored files) before or after the command.
        let holds_secret = |dir: &Path| {
            files(dir).iter().any(|rel| {
                String::from_utf8_lossy(&std::fs::read(dir.join(rel)).unwrap())
                    .contains(&self.corp.native_secret)
            })
        };
        assert!(holds_secret(self.start.path()) || holds_secret(base.path()));
        (
            after,
            (tree(base.path(), self.start.path()), policies(&self.seed)),
        )
    }

    fn run(&self) -> Figures {
        let start_tree = tree(self.start.path(), self.start.path());
        let (after_tree, expected) = self.baseline();
        let mut f = Figures::default();
        for at in 1.. {
            reset_cloud(&self.seed);
            let dir = self.copy_start();
            let root = dir.path();
            let out = self.command(root, Some(at.to_string()));
            if !aborted(&out) {
                assert!(
                    out.status.success(),
                    "{:?} at N={at}: {}",
                    self.command,
                    String::from_utf8_lossy(&out.stderr)
                );
                break;
            }
            f.kill_points += 1;
            check_files(root, &self.corp.native_secret, at, &mut f);
            // Any next command recovers first (here a read-only one).
            let status = run(authwiz(root).arg("status"));
            if status.stderr.contains("they are now complete") {
                f.finished += 1;
            } else if status.stderr.contains("was discarded") {
                f.discarded += 1;
            }
            let mut now = tree(root, self.start.path());
            now.remove(PUSH_JOURNAL);
            if now != start_tree && now != after_tree {
                f.between.push(at);
            }
            // The command again, then push.
            self.command(root, None);
            let r = self.push(root);
            if r.code != 0 || (tree(root, self.start.path()), policies(&self.seed)) != expected {
                f.not_converged.push(at);
            }
            check_files(root, &self.corp.native_secret, at, &mut f);
        }
        f
    }

    /// The command with its N-th file operation failing (a full disk), for every
    /// N: it must stop with an error that names what it already changed in the
    /// cloud, and the next `push` must complete it.
    fn run_failures(&self) -> Figures {
        let (_, expected) = self.baseline();
        let mut f = Figures::default();
        for at in 1.. {
            reset_cloud(&self.seed);
            let dir = self.copy_start();
            let root = dir.path();
            let out = self.command(root, Some(format!("{at}:fail")));
            if out.status.success() {
                break;
            }
            f.kill_points += 1;
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "N={at}: {stderr}");
            assert!(
                stderr.contains("No space left on device"),
                "N={at}: {stderr}"
            );
            let applied = policies(&self.seed);
            if !applied.is_empty() {
                f.finished += 1;
                // The record failed ("Already applied…"), or the journal's
                // removal after the last step ("These changes are applied…").
                let named = (stderr.contains("Already applied in the cloud")
                    || stderr.contains("These changes are applied in the cloud"))
                    && applied.keys().all(|k| {
                        let (role, policy) = k.split_once('/').unwrap();
                        stderr.contains(&format!("IAM role {role} ("))
                            && stderr.contains(&format!("policy {policy}: "))
                    })
                    && stderr.contains("Run `authwiz push` again");
                if !named {
                    f.between.push(at);
                }
            }
            check_files(root, &self.corp.native_secret, at, &mut f);
            let r = self.push(root);
            if r.code != 0 || (tree(root, self.start.path()), policies(&self.seed)) != expected {
                f.not_converged.push(at);
            }
        }
        f
    }
}

/// Makes `dir` a git repository with its files committed (what a user has).
fn commit_all(dir: &Path) {
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "start"]);
}

fn sweep(emu: &Emulator, start: tempfile::TempDir, corp: Corp, command: &[&str]) {
    sweep_with(emu, start, corp, command, None)
}

fn sweep_with(
    emu: &Emulator,
    start: tempfile::TempDir,
    corp: Corp,
    command: &[&str],
    stdin: Option<String>,
) {
    let sweep = Sweep::new(emu, start, corp, command, stdin);
    let started = std::time::Instant::now();
    let f = sweep.run();
    eprintln!(
        "crash sweep `{}` ({:.1} s): {} kill points, {} finished and {} discarded by the next command, {} between states, {} not converged, {} unparsable files, {} secret hits, {} bad modes",
        command.join(" "),
        started.elapsed().as_secs_f64(),
        f.kill_points,
        f.finished,
        f.discarded,
        f.between.len(),
        f.not_converged.len(),
        f.unparsable.len(),
        f.secret_hits.len(),
        f.bad_modes.len()
    );
    f.assert_clean();
}

fn add_storage_args() -> Vec<&'static str> {
    vec![
        "add",
        "storage",
        "--yes",
        "--name",
        "files",
        "--bucket-name",
        "corpfiles",
        "--auth-access",
        "create,read,delete",
        "--guest-access",
        "read",
    ]
}

#[test]
fn import_auth_is_all_or_nothing() {
    let emu = Emulator::start();
    let corp = Seeder::new(&emu, "us-east-1").corp();
    assert!(!corp.native_secret.is_empty());
    let start = project_on(&emu.url(), "javascript");
    // Headless: the resource name is the project's (no random suffix).
    let payload = payload(&corp, true);
    sweep_with(
        &emu,
        start,
        corp,
        &["import", "auth", "--headless"],
        Some(payload),
    );
}

#[test]
fn push_of_imported_auth_is_all_or_nothing() {
    // Android: the client files carry the native client's secret.
    let emu = Emulator::start();
    let (start, corp) = imported(&emu, "android");
    sweep(&emu, start, corp, &["push", "--yes"]);
}

#[test]
fn push_with_storage_is_all_or_nothing() {
    let emu = Emulator::start();
    let (start, corp) = pushed(&emu, "javascript");
    let r = run(authwiz(start.path()).args(add_storage_args()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    sweep(&emu, start, corp, &["push", "--yes"]);
}

#[test]
fn push_with_storage_on_a_full_disk_says_what_the_cloud_already_has() {
    let emu = Emulator::start();
    let (start, corp) = pushed(&emu, "javascript");
    let r = run(authwiz(start.path()).args(add_storage_args()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f = Sweep::new(&emu, start, corp, &["push", "--yes"], None).run_failures();
    eprintln!(
        "full-disk sweep `push --yes` (storage): {} failing steps, {} after the cloud changed ({} without the applied changes named), {} not converged by the next push, {} secret hits, {} bad modes",
        f.kill_points,
        f.finished,
        f.between.len(),
        f.not_converged.len(),
        f.secret_hits.len(),
        f.bad_modes.len()
    );
    assert!(f.finished > 0, "no step failed after the cloud changed");
    // `between` here: failures after the cloud changed whose message does not
    // name the applied changes.
    f.assert_clean();
}

#[test]
fn add_storage_is_all_or_nothing() {
    let emu = Emulator::start();
    let (start, corp) = pushed(&emu, "javascript");
    sweep(&emu, start, corp, &add_storage_args());
}

#[test]
fn env_add_is_all_or_nothing() {
    let emu = Emulator::start();
    let (start, corp) = pushed(&emu, "javascript");
    sweep(&emu, start, corp, &["env", "add", "prod", "--yes"]);
}

#[test]
fn env_checkout_is_all_or_nothing() {
    let emu = Emulator::start();
    let (start, corp) = pushed(&emu, "javascript");
    for args in [vec!["env", "add", "prod", "--yes"], vec!["push", "--yes"]] {
        let r = run(authwiz(start.path()).args(&args));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    sweep(&emu, start, corp, &["env", "checkout", "dev"]);
}

#[test]
fn remove_auth_is_all_or_nothing() {
    let emu = Emulator::start();
    let (start, corp) = pushed(&emu, "javascript");
    sweep(&emu, start, corp, &["remove", "auth", "--yes"]);
}

#[test]
fn init_is_all_or_nothing() {
    // Flutter's default source folder is `./lib/`: the log records it resolved.
    for frontend in ["javascript", "flutter"] {
        let init = |dir: &Path, fault: Option<usize>| {
            let mut cmd = authwiz(dir);
            cmd.args([
                "init",
                "--yes",
                "--project-name",
                "demo",
                "--env",
                "dev",
                "--region",
                "us-east-1",
                "--frontend",
                frontend,
            ]);
            if let Some(at) = fault {
                cmd.env("AUTHWIZ_FAULT_AT", at.to_string());
            }
            cmd.output().unwrap()
        };
        let base = tempfile::tempdir().unwrap();
        assert!(init(base.path(), None).status.success());
        let expected = tree(base.path(), base.path());
        let (mut kill_points, mut between) = (0, Vec::new());
        for at in 1.. {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            let out = init(root, Some(at));
            if !aborted(&out) {
                assert!(out.status.success(), "{out:?}");
                break;
            }
            kill_points += 1;
            // Before its commit point init left no amplify/ (a new init starts
            // over); after it, any command finishes the project.
            if root.join("amplify").exists() {
                let r = run(authwiz(root).arg("status"));
                assert_eq!(r.code, 0, "{frontend} N={at}: {}", r.stderr);
            } else {
                assert!(init(root, None).status.success());
            }
            if tree(root, root) != expected {
                between.push(at);
            }
        }
        eprintln!(
            "crash sweep `init --yes --frontend {frontend}`: {kill_points} kill points, {} not converged",
            between.len()
        );
        assert!(kill_points > 0);
        assert!(
            between.is_empty(),
            "{frontend}: not converged at N = {between:?}"
        );
    }
}

/// The random part `add auth` gives a resource (cli-inputs.json's sharedId).
fn shared_id(dir: &Path) -> Option<String> {
    let auth = dir.join("amplify/backend/auth");
    std::fs::read_dir(auth).ok()?.flatten().find_map(|e| {
        let inputs = e.path().join("cli-inputs.json");
        let v = read_json(inputs.exists().then_some(inputs)?);
        v["cognitoConfig"]["sharedId"].as_str().map(str::to_string)
    })
}

/// The project and the user's deployment secrets, with the resource's random
/// part masked (so that two runs of `add auth` compare).
fn masked_tree(dir: &Path, home: &Path) -> Tree {
    let mut t = tree(dir, dir);
    let secrets = home.join(".aws/amplify/deployment-secrets.json");
    if secrets.exists() {
        t.insert("~/deployment-secrets.json".into(), read_json(&secrets));
    }
    let Some(id) = shared_id(dir) else {
        return t;
    };
    t.into_iter()
        .map(|(rel, v)| {
            let text = v.to_string().replace(&id, "<sharedId>");
            (
                rel.replace(&id, "<sharedId>"),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect()
}

/// A local command (no AWS call) killed before each of its file operations:
/// after a kill and the next command's recovery, the project and the user's
/// deployment secrets are as before or as after; the command run again then
/// gives what an uninterrupted run gives. Returns the kill points.
fn local_sweep(prepare: &dyn Fn(&Path, &Path), command: &[&str], stdin: Option<&str>) -> usize {
    let fresh = || {
        let (dir, home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        prepare(dir.path(), home.path());
        (dir, home)
    };
    let go = |dir: &Path, home: &Path, fault: Option<usize>| {
        let mut cmd = authwiz(dir);
        cmd.env("HOME", home).args(command);
        if let Some(at) = fault {
            cmd.env("AUTHWIZ_FAULT_AT", at.to_string());
        }
        match stdin {
            Some(text) => {
                use std::io::Write;
                let mut child = cmd
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                let mut input = child.stdin.take().unwrap();
                input.write_all(text.as_bytes()).unwrap();
                drop(input);
                child.wait_with_output().unwrap()
            }
            None => cmd.output().unwrap(),
        }
    };
    let (base, base_home) = fresh();
    let before = masked_tree(base.path(), base_home.path());
    let out = go(base.path(), base_home.path(), None);
    assert!(out.status.success(), "{command:?}: {out:?}");
    let after = masked_tree(base.path(), base_home.path());
    assert_ne!(before, after, "{command:?} changed nothing");
    let mut f = Figures::default();
    for at in 1.. {
        let (dir, home) = fresh();
        let root = dir.path();
        let out = go(root, home.path(), Some(at));
        if !aborted(&out) {
            assert!(out.status.success(), "{command:?} at N={at}: {out:?}");
            break;
        }
        f.kill_points += 1;
        check_files(root, "\u{0}no secret to look for\u{0}", at, &mut f);
        let r = run(authwiz(root).env("HOME", home.path()).arg("status"));
        assert_eq!(r.code, 0, "{command:?} N={at}: {}", r.stderr);
        let now = masked_tree(root, home.path());
        if now == before {
            let out = go(root, home.path(), None);
            assert!(
                out.status.success(),
                "{command:?} again after N={at}: {out:?}"
            );
        } else if now != after {
            f.between.push(at);
            continue;
        }
        if masked_tree(root, home.path()) != after {
            f.not_converged.push(at);
        }
    }
    eprintln!(
        "crash sweep `{}`: {} kill points, {} between states, {} not converged, {} unparsable files, {} bad modes",
        command.join(" "),
        f.kill_points,
        f.between.len(),
        f.not_converged.len(),
        f.unparsable.len(),
        f.bad_modes.len()
    );
    f.assert_clean();
    f.kill_points
}

fn managed_payload(name: &str) -> String {
    std::fs::read_to_string(
        repo()
            .join("tests/fixtures/amplify-cli-14.2.2-managed/payloads")
            .join(format!("{name}.json")),
    )
    .unwrap()
}

/// `authwiz init` offline (a git repository), then `add auth` with `payload`.
fn init_and_add(dir: &Path, home: &Path, payload: Option<&str>) {
    let r = run(init_yes(dir, "mgdproj", "us-east-1")
        .env("HOME", home)
        .args(["--endpoint-url", CLOSED_ENDPOINT]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    if let Some(p) = payload {
        let r = with_stdin(
            authwiz(dir)
                .env("HOME", home)
                .args(["add", "auth", "--headless"]),
            &managed_payload(p),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    commit_all(dir);
}

#[test]
fn add_auth_is_all_or_nothing_with_its_provider_secrets() {
    // OAuth with Google: the provider's secret goes to ~/.aws/amplify.
    let body = managed_payload("add-oauth");
    local_sweep(
        &|dir, home| init_and_add(dir, home, None),
        &["add", "auth", "--headless"],
        Some(&body),
    );
}

#[test]
fn update_and_override_auth_are_all_or_nothing() {
    let update = managed_payload("update-default");
    local_sweep(
        &|dir, home| init_and_add(dir, home, Some("add-default")),
        &["update", "auth", "--headless"],
        Some(&update),
    );
    local_sweep(
        &|dir, home| init_and_add(dir, home, Some("add-mfa")),
        &["override", "auth"],
        None,
    );
}

#[test]
fn export_gen2_is_all_or_nothing() {
    local_sweep(
        &|dir, home| init_and_add(dir, home, Some("add-oauth")),
        &["export", "gen2", "--out", "gen2"],
        None,
    );
}

/// `tree`, with the ids and ARNs the last push recorded (amplify-meta.json's
/// auth outputs) and the account masked, so that pushes into two accounts
/// compare; the push journals (the cloud side's record, kept on purpose) left out.
fn masked_push_tree(dir: &Path, account: &str) -> Tree {
    let mut t = tree(dir, dir);
    for journal in [PUSH_JOURNAL, "amplify/.config/local-authwiz-push-auth.json"] {
        t.remove(journal);
    }
    let meta = t
        .get("amplify/backend/amplify-meta.json")
        .cloned()
        .unwrap_or_default();
    let mut outputs: Vec<(String, String)> = meta["auth"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, r)| r["output"].as_object().cloned().unwrap_or_default())
        .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
        .filter(|(_, v)| v.len() > 3)
        .collect();
    // The longest first: an ARN holds the pool's id.
    outputs.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    t.into_iter()
        .map(|(rel, v)| {
            let mut text = v.to_string().replace(account, "<account>");
            for (k, id) in &outputs {
                text = text.replace(id.as_str(), &format!("<{k}>"));
            }
            (rel, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// The managed push killed before each of its file operations, each run in
/// a fresh emulator account (what it made in the cloud by then stays): after
/// the next command's recovery the project is as before or as after the push,
/// and `push` again completes it: the same project as an uninterrupted push,
/// and one user pool of the name, never two.
#[test]
fn managed_push_is_all_or_nothing_in_its_files() {
    use crate::managed_push::{added, auth_output, push};
    let home = tempfile::tempdir().unwrap();
    let emu = Emulator::start();
    let start = added(&emu, home.path(), "add-mfa");
    commit_all(start.path());
    let fresh = || {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(start.path(), dir.path());
        dir
    };
    let pools_named = |emu: &Emulator, dir: &Path| {
        // The pool's name is the recorded one with the env's suffix.
        let name = auth_output(dir, "mfaauth")["UserPoolName"]
            .as_str()
            .unwrap_or("<none>")
            .to_string();
        let seed = Seeder::new(emu, "us-east-1");
        let pools = seed
            .rt
            .block_on(seed.idp().list_user_pools().max_results(60).send())
            .unwrap();
        pools
            .user_pools()
            .iter()
            .filter(|p| p.name().is_some_and(|n| n.starts_with(&name)))
            .count()
    };
    let base = fresh();
    let before = masked_push_tree(base.path(), emu.account_id());
    let r = push(base.path(), home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = masked_push_tree(base.path(), emu.account_id());
    assert_ne!(before, after);
    let mut f = Figures::default();
    for at in 1.. {
        let emu = Emulator::start();
        let dir = fresh();
        let root = dir.path();
        let out = authwiz(root)
            .env("HOME", home.path())
            .env("AUTHWIZ_FAULT_AT", at.to_string())
            .args(["push", "--yes"])
            .output()
            .unwrap();
        if !aborted(&out) {
            assert!(out.status.success(), "N={at}: {out:?}");
            break;
        }
        f.kill_points += 1;
        check_files(root, "\u{0}no secret to look for\u{0}", at, &mut f);
        let r = run(authwiz(root).env("HOME", home.path()).arg("status"));
        assert_eq!(r.code, 0, "N={at}: {}", r.stderr);
        let now = masked_push_tree(root, emu.account_id());
        if now != before && now != after {
            f.between.push(at);
        }
        let r = push(root, home.path(), &[]);
        if r.code != 0
            || masked_push_tree(root, emu.account_id()) != after
            || pools_named(&emu, root) != 1
        {
            f.not_converged.push(at);
        }
    }
    eprintln!(
        "crash sweep `push --yes` (managed auth): {} kill points, {} between states, {} not converged",
        f.kill_points,
        f.between.len(),
        f.not_converged.len()
    );
    f.assert_clean();
}

/// `add-default` with Lambda triggers: a function of two modules' values and
/// the reCAPTCHA modules, whose secret goes to ~/.aws/amplify.
fn trigger_payload() -> String {
    let mut v: Value = serde_json::from_str(&managed_payload("add-default")).unwrap();
    v["triggers"] = serde_json::json!({
        "modules": {
            "PostConfirmation": ["add-to-group"],
            "DefineAuthChallenge": ["captcha-define-challenge"],
            "CreateAuthChallenge": ["captcha-create-challenge"],
            "VerifyAuthChallengeResponse": ["captcha-verify"]
        },
        "params": {"GROUP": "admins", "RECAPTCHASECRET": "6Lc-secret"}
    });
    v.to_string()
}

#[test]
fn add_and_update_auth_with_triggers_are_all_or_nothing() {
    let body = trigger_payload();
    let points = local_sweep(
        &|dir, home| init_and_add(dir, home, None),
        &["add", "auth", "--headless"],
        Some(&body),
    );
    assert!(points > 10, "{points}");
    // Every trigger taken out again: the function resources go.
    let mut update: Value = serde_json::from_str(&managed_payload("update-default")).unwrap();
    update["triggers"] = serde_json::json!({});
    let update = update.to_string();
    local_sweep(
        &|dir, home| {
            init_and_add(dir, home, None);
            let r = with_stdin(
                authwiz(dir)
                    .env("HOME", home)
                    .args(["add", "auth", "--headless"]),
                &trigger_payload(),
            );
            assert_eq!(r.code, 0, "{}", r.stderr);
            commit_all(dir);
        },
        &["update", "auth", "--headless"],
        Some(&update),
    );
}
