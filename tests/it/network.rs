//! A dead or slow network fails fast and reads well: timeouts against a socket
//! that never answers, retries that ride out failed attempts, the user's retry
//! settings honoured, and one-line errors that say what happened and the fix.
//! (No test asserts on wall time; the black-hole tests print the time to fail.)

use std::time::Instant;

use crate::support::emulator::Emulator;
use crate::support::proxy::{BlackHole, Proxy};
use crate::support::seed::Seeder;
use crate::support::*;

/// `import auth --yes` with made-up ids (the first call names the pool).
const IMPORT: [&str; 9] = [
    "import",
    "auth",
    "--yes",
    "--user-pool-id",
    "us-east-1_aaaaaaaaa",
    "--web-client-id",
    "web",
    "--native-client-id",
    "native",
];

#[track_caller]
fn has(stderr: &str, needle: &str) {
    assert!(stderr.contains(needle), "missing {needle:?} in\n{stderr}");
}

/// What every network error promises: one line for what happened, one for the
/// fix, and none of the SDK's debug dump.
fn assert_readable(stderr: &str) {
    let error: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("🛑"))
        .collect();
    assert_eq!(error.len(), 2, "{stderr}");
    for raw in [
        "DispatchFailure",
        "TimeoutError(",
        "ConnectorError",
        "SdkError",
    ] {
        assert!(!stderr.contains(raw), "{raw} in {stderr}");
    }
}

#[test]
fn import_against_a_black_hole_times_out_with_the_endpoint_and_the_fix() {
    let hole = BlackHole::start();
    let dir = project_on(&hole.url(), "javascript");
    let before = snapshot(dir.path());
    let started = Instant::now();
    let r = run(authwiz(dir.path()).args(IMPORT));
    eprintln!(
        "import auth --yes against a black hole failed after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(
        &r.stderr,
        &format!(
            "🛑 cognito-idp:DescribeUserPool at {} timed out (operation timeout (all attempts including retries) occurred after 12s).",
            hole.url()
        ),
    );
    has(
        &r.stderr,
        "AUTHWIZ_ATTEMPT_TIMEOUT and AUTHWIZ_CALL_TIMEOUT",
    );
    assert_readable(&r.stderr);
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn push_against_a_black_hole_times_out_and_changes_nothing() {
    let hole = BlackHole::start();
    // Imported by the Amplify CLI, not pushed yet: push checks the ids first.
    let dir = project_from_fixture("02-import-auth");
    let before = snapshot(dir.path());
    let started = Instant::now();
    let r = run(authwiz(dir.path()).args(["push", "--yes", "--endpoint-url", &hole.url()]));
    eprintln!(
        "push against a black hole failed after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(
        &r.stderr,
        &format!("at {} timed out (operation timeout", hole.url()),
    );
    assert_readable(&r.stderr);
    assert_eq!(before, snapshot(dir.path()));

    // The limits are the user's to change; a per-attempt limit alone still fails.
    let r = run(authwiz(dir.path())
        .args(["push", "--yes", "--endpoint-url", &hole.url()])
        .env("AUTHWIZ_ATTEMPT_TIMEOUT", "0.2")
        .env("AUTHWIZ_CALL_TIMEOUT", "0.5"));
    has(
        &r.stderr,
        "timed out (operation timeout (all attempts including retries) occurred after 500ms)",
    );
    let r = run(authwiz(dir.path())
        .args(["push", "--yes"])
        .env("AUTHWIZ_CALL_TIMEOUT", "soon"));
    has(
        &r.stderr,
        "AUTHWIZ_CALL_TIMEOUT=\"soon\" is not valid: a number of seconds greater than 0",
    );
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn failed_attempts_are_retried_and_the_users_retry_settings_are_honoured() {
    let emu = Emulator::start();
    let corp = Seeder::new(&emu, "us-east-1").corp();
    let proxy = Proxy::start(emu.port);
    let imported = project_on(&proxy.url(), "javascript");
    // The first two attempts fail (throttled, then a server error); the third answers.
    proxy.fail("DescribeUserPool", 400, "TooManyRequestsException", Some(1));
    proxy.fail("DescribeUserPool", 500, "InternalErrorException", Some(1));
    let r = headless(imported.path(), &payload(&corp, true));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(proxy.injected(), ["DescribeUserPool", "DescribeUserPool"]);
    assert!(
        read_json(imported.path().join("amplify/backend/amplify-meta.json"))["auth"]
            .get("peerproj")
            .is_some()
    );

    // AWS_MAX_ATTEMPTS=2 is the user's choice: two throttled attempts and it stops.
    let dir = project_on(&proxy.url(), "javascript");
    let before = snapshot(dir.path());
    proxy.fail("DescribeUserPool", 400, "TooManyRequestsException", Some(2));
    let r = with_stdin(
        authwiz(dir.path())
            .args(["import", "auth", "--headless"])
            .env("AWS_MAX_ATTEMPTS", "2"),
        &payload(&corp, true),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(
        &r.stderr,
        &format!(
            "🛑 cognito-idp:DescribeUserPool at {} was throttled",
            proxy.url()
        ),
    );
    has(&r.stderr, "AWS_MAX_ATTEMPTS=5");
    assert_eq!(proxy.injected().len(), 4);
    assert_readable(&r.stderr);
    assert_eq!(before, snapshot(dir.path()));
    let r = run(authwiz(imported.path())
        .args(["status", "--check-cloud"])
        .env("AWS_MAX_ATTEMPTS", "zero"));
    has(&r.stderr, "AWS_MAX_ATTEMPTS=\"zero\" is not valid");
}

#[test]
fn a_command_stops_starting_calls_once_its_time_for_aws_is_used() {
    let emu = Emulator::start();
    let corp = Seeder::new(&emu, "us-east-1").corp();
    let proxy = Proxy::start(emu.port);
    let dir = project_on(&proxy.url(), "javascript");
    let before = snapshot(dir.path());
    // Each call answers, slowly: the first one uses up the command's second.
    proxy.delay("DescribeUserPool", std::time::Duration::from_millis(1500));
    let r = with_stdin(
        authwiz(dir.path())
            .args(["import", "auth", "--headless"])
            .env("AUTHWIZ_COMMAND_TIMEOUT", "1"),
        &payload(&corp, true),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(&r.stderr, "🛑 authwiz stopped before cognito-");
    has(&r.stderr, "this command has already waited 1 s for AWS.");
    has(&r.stderr, "AUTHWIZ_COMMAND_TIMEOUT");
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn missing_credentials_and_an_unknown_profile_are_named() {
    let dir = new_project("us-east-1", &[]);
    let before = snapshot(dir.path());
    // No keys, no profile, no instance metadata: the call is never sent.
    let r = run(authwiz(dir.path())
        .args(IMPORT)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(
        &r.stderr,
        "🛑 No AWS credentials could be loaded for cognito-idp:DescribeUserPool (no credentials found in chain",
    );
    has(
        &r.stderr,
        "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile NAME",
    );
    assert_readable(&r.stderr);

    let cfg = dir.path().join("aws-config");
    std::fs::write(&cfg, "[profile work]\nregion = us-east-1\n[default]\n").unwrap();
    for profile_from in ["flag", "AWS_PROFILE"] {
        let mut cmd = authwiz(dir.path());
        cmd.env("AWS_CONFIG_FILE", &cfg).args(IMPORT);
        match profile_from {
            "flag" => cmd.args(["--profile", "nosuch"]),
            _ => cmd.env("AWS_PROFILE", "nosuch"),
        };
        let r = run(&mut cmd);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "🛑 AWS profile 'nosuch' is not defined in {} or /nonexistent/aws-credentials (profiles there: default, work).",
                cfg.display()
            )),
            "{profile_from}: {}",
            r.stderr
        );
        has(&r.stderr, "aws configure --profile nosuch");
    }
    std::fs::remove_file(&cfg).unwrap();
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn a_refused_connection_says_so_and_verbose_shows_each_call_without_secrets() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let root = dir.path();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = format!("http://127.0.0.1:{closed}");
    let before = snapshot(root);
    // A checkout that cannot reach AWS is about the network, not the ids.
    let r = run(authwiz(root).args(["env", "checkout", "dev", "--endpoint-url", &closed]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(
        &r.stderr,
        &format!("at {closed} failed: connection refused (nothing listens there)."),
    );
    assert!(!r.stderr.contains("unlink"), "{}", r.stderr);
    assert_readable(&r.stderr);
    assert_eq!(before, snapshot(root));

    // -v: one line per call attempt, and the SDK's full chain under the error.
    let r = run(authwiz(root).args(["-v", "env", "checkout", "dev"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    has(
        &r.stderr,
        &format!(
            "AWS cognito-idp:DescribeUserPool {} → 200 (",
            corp.user_pool_id
        ),
    );
    has(
        &r.stderr,
        &format!(
            "AWS cognito-idp:DescribeUserPoolClient {} {} → 200 (",
            corp.user_pool_id, corp.native_client_id
        ),
    );
    has(&r.stderr, "AWS iam:GetRole corp-auth-role → 200 (");
    assert!(!r.stderr.contains(&corp.native_secret), "{}", r.stderr);
    let r = run(authwiz(root).args(["-v", "env", "checkout", "dev", "--endpoint-url", &closed]));
    has(&r.stderr, "→ connection failed (");
    has(&r.stderr, "   Cause: dispatch failure");
    has(&r.stderr, "Connection refused");
}
