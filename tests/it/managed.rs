//! `add auth --headless` writes what the Amplify CLI 14.2.2 wrote for the same
//! AddAuthRequest (the four payloads of the managed fixtures), makes no AWS call,
//! and keeps provider secrets out of the project.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::*;

fn managed(step: &str) -> PathBuf {
    repo()
        .join("tests/fixtures/amplify-cli-14.2.2-managed")
        .join(step)
}

fn payload(name: &str) -> String {
    std::fs::read_to_string(managed("payloads").join(format!("add-{name}.json"))).unwrap()
}

/// A new project named as the fixture's, whose env points at a closed port (any
/// AWS call would fail the command).
fn project(name: &str, home: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = run(authwiz(dir.path()).env("HOME", home).args([
        "init",
        "--yes",
        "--project-name",
        name,
        "--env",
        "dev",
        "--region",
        "us-east-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

/// The fixture's JSON with its sharedId replaced by ours.
fn fixture_json(step: &str, rel: &str, shared: &str, ours: &str) -> Value {
    let text = std::fs::read_to_string(managed(step).join(rel)).unwrap();
    serde_json::from_str(&text.replace(shared, ours)).unwrap()
}

fn add(root: &Path, home: &Path, body: &str) -> Run {
    with_stdin(
        authwiz(root)
            .env("HOME", home)
            .args(["add", "auth", "--headless"]),
        body,
    )
}

#[test]
fn every_fixture_payload_writes_the_files_the_amplify_cli_wrote() {
    for (name, step, project_name, res) in [
        (
            "default",
            "42-default-add-auth",
            "mgddefault",
            "mgdprojauth",
        ),
        ("mfa", "52-mfa-add-auth", "mgdmfa", "mfaauth"),
        ("oauth", "62-oauth-add-auth", "mgdoauth", "oauthauth"),
        ("uponly", "72-uponly-add-auth", "mgduponly", "uponlyauth"),
    ] {
        let home = tempfile::tempdir().unwrap();
        let dir = project(project_name, home.path());
        let root = dir.path();
        let r = add(root, home.path(), &payload(name));
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("Successfully added auth resource {res} locally")),
            "{}",
            r.stderr
        );
        let inputs_rel = format!("amplify/backend/auth/{res}/cli-inputs.json");
        let ours = read_json(root.join(&inputs_rel));
        let theirs_shared = read_json(managed(step).join(&inputs_rel))["cognitoConfig"]["sharedId"]
            .as_str()
            .unwrap()
            .to_string();
        let shared = ours["cognitoConfig"]["sharedId"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(shared.len(), 8, "{name}");
        assert_eq!(
            ours,
            fixture_json(step, &inputs_rel, &theirs_shared, &shared),
            "{name}: cli-inputs.json"
        );
        for rel in [
            "amplify/backend/backend-config.json",
            "amplify/team-provider-info.json",
        ] {
            let mut theirs = fixture_json(step, rel, &theirs_shared, &shared);
            let mut mine = read_json(root.join(rel));
            if rel.ends_with("team-provider-info.json") {
                // Amplify's env record holds its root stack; ours holds the region.
                theirs = theirs["dev"]["categories"].clone();
                mine = mine["dev"]["categories"].clone();
            }
            assert_eq!(mine, theirs, "{name}: {rel}");
        }
        let meta_rel = "amplify/backend/amplify-meta.json";
        assert_eq!(
            read_json(root.join(meta_rel))["auth"],
            fixture_json(step, meta_rel, &theirs_shared, &shared)["auth"],
            "{name}: amplify-meta.json"
        );
        let groups = "amplify/backend/auth/userPoolGroups/user-pool-group-precedence.json";
        assert_eq!(
            root.join(groups).exists(),
            managed(step).join(groups).exists(),
            "{name}"
        );
        if root.join(groups).exists() {
            assert_eq!(
                read_json(root.join(groups)),
                read_json(managed(step).join(groups))
            );
        }
        let status = run(authwiz(root).args(["status", "--json"]));
        assert!(
            status.stdout.contains(&format!(
                "\"resourceName\":\"{res}\",\"operation\":\"Create\""
            )),
            "{}",
            status.stdout
        );
    }
}

#[test]
fn social_provider_secrets_go_to_the_deployment_secrets_only() {
    let home = tempfile::tempdir().unwrap();
    let dir = project("mgdoauth", home.path());
    let root = dir.path();
    assert_eq!(add(root, home.path(), &payload("oauth")).code, 0);
    let secrets_path = home.path().join(".aws/amplify/deployment-secrets.json");
    let secrets = read_json(&secrets_path);
    let creds = secrets["appSecrets"][0]["environments"]["dev"]["auth"]["oauthauth"]
        ["hostedUIProviderCreds"]
        .as_str()
        .unwrap();
    let creds: Value = serde_json::from_str(creds).unwrap();
    assert_eq!(
        creds,
        json!([{"ProviderName": "Google", "client_id": "dummy-google-client-id.apps.googleusercontent.com", "client_secret": "dummy-google-client-secret"}])
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secrets_path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    for (path, bytes) in snapshot(root) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("dummy-google-client-secret"),
            "{path} holds the secret"
        );
    }
}

#[test]
fn add_auth_refusals_name_the_problem_and_write_nothing() {
    let home = tempfile::tempdir().unwrap();
    let dir = project("mgddefault", home.path());
    let root = dir.path();
    let before = snapshot(root);
    let fail = |body: &str, expect: &str| {
        let r = add(root, home.path(), body);
        assert_eq!(r.code, 1, "{body}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{expect}: {}", r.stderr);
        assert_eq!(before, snapshot(root));
    };
    fail("{", "not valid JSON");
    fail(
        r#"{"resourceName":"x"}"#,
        "data does not have a top level \"version\" field",
    );
    fail(r#"{"version":3}"#, "No schema found for version 3");
    fail(
        r#"{"version":2,"resourceName":"a","serviceConfiguration":{"serviceName":"Cognito","userPoolConfiguration":{"signinMethod":"FAX","requiredSignupAttributes":[]},"includeIdentityPool":false}}"#,
        "`serviceConfiguration.userPoolConfiguration.signinMethod`",
    );
    fail(
        r#"{"version":2,"resourceName":"a","serviceConfiguration":{"serviceName":"Cognito","userPoolConfiguration":{"signinMethod":"EMAIL","requiredSignupAttributes":["EMAIL"],"adminQueries":{"permissions":{"restrictAccess":false}}},"includeIdentityPool":true}}"#,
        "authwiz does not create the admin queries API",
    );
    fail(
        r#"{"version":2,"resourceName":"a","serviceConfiguration":{"serviceName":"Cognito","userPoolConfiguration":{"signinMethod":"EMAIL","requiredSignupAttributes":["EMAIL"],"mfa":{"mode":"ON"}},"includeIdentityPool":true}}"#,
        "`mfaTypes` (SMS, TOTP) and `smsMessage` are required",
    );
    fail(
        r#"{"version":2,"resourceName":"my-auth","serviceConfiguration":{"serviceName":"Cognito","userPoolConfiguration":{"signinMethod":"EMAIL","requiredSignupAttributes":["EMAIL"]},"includeIdentityPool":true}}"#,
        "is not a valid resource name",
    );
    // Without --headless and without a terminal: the first question names its flag.
    let r = run(authwiz(root).args(["add", "auth"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Do you want to use the default authentication and security configuration?")
            && r.stderr.contains("--default-config default|social|manual"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
    // Auth already there: Amplify's wording.
    assert_eq!(add(root, home.path(), &payload("default")).code, 0);
    let r = add(root, home.path(), &payload("uponly"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Auth has already been added to this project."),
        "{}",
        r.stderr
    );
}

/// `add auth --yes` (the walkthrough's defaults, no terminal) with more flags.
fn add_walkthrough(root: &Path, home: &Path, flags: &[&str]) -> Run {
    run(authwiz(root)
        .env("HOME", home)
        .args(["add", "auth", "--yes"])
        .args(flags))
}

/// The only auth resource of the project and its sharedId.
fn added_resource(root: &Path) -> (String, String) {
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    let res = meta["auth"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let inputs = read_json(root.join(format!("amplify/backend/auth/{res}/cli-inputs.json")));
    let shared = inputs["cognitoConfig"]["sharedId"]
        .as_str()
        .unwrap()
        .to_string();
    (res, shared)
}

const INTERACTIVE: &str = "81-interactive-default-add-auth";
const INTERACTIVE_SHARED: &str = "827f50d0";

/// The files of Amplify's interactive Default / Username / No, I am done
/// (81-interactive-default-add-auth), sharedId mapped; cli-inputs.json byte for byte.
fn assert_like_interactive_default(root: &Path) {
    let (res, shared) = added_resource(root);
    assert_eq!(res, format!("mgdinterdef{shared}"));
    let inputs_rel = format!("amplify/backend/auth/{res}/cli-inputs.json");
    let theirs = std::fs::read_to_string(managed(INTERACTIVE).join(format!(
        "amplify/backend/auth/mgdinterdef{INTERACTIVE_SHARED}/cli-inputs.json"
    )))
    .unwrap()
    .replace(INTERACTIVE_SHARED, &shared);
    let ours = std::fs::read_to_string(root.join(&inputs_rel)).unwrap();
    assert_eq!(ours, theirs, "cli-inputs.json");
    for rel in [
        "amplify/backend/backend-config.json",
        "amplify/team-provider-info.json",
        "amplify/backend/amplify-meta.json",
    ] {
        let mut theirs = fixture_json(INTERACTIVE, rel, INTERACTIVE_SHARED, &shared);
        let mut mine = read_json(root.join(rel));
        if rel.ends_with("team-provider-info.json") {
            theirs = theirs["dev"]["categories"].clone();
            mine = mine["dev"]["categories"].clone();
        }
        if rel.ends_with("amplify-meta.json") {
            theirs = theirs["auth"].clone();
            mine = mine["auth"].clone();
        }
        assert_eq!(mine, theirs, "{rel}");
    }
    // Only the Cognito resource: no userPoolGroups, no secrets.
    assert!(!root.join("amplify/backend/auth/userPoolGroups").exists());
}

#[test]
fn yes_adds_what_the_interactive_default_configuration_wrote() {
    let home = tempfile::tempdir().unwrap();
    let dir = project("mgdinterdef", home.path());
    let root = dir.path();
    let r = add_walkthrough(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Successfully added auth resource mgdinterdef"),
        "{}",
        r.stderr
    );
    // Nothing is asked, so nothing of the walkthrough is shown.
    assert!(!r.stderr.contains("Using service"), "{}", r.stderr);
    assert_like_interactive_default(root);
    assert!(
        !home
            .path()
            .join(".aws/amplify/deployment-secrets.json")
            .exists()
    );
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status.stdout.contains("\"operation\":\"Create\""),
        "{}",
        status.stdout
    );
    // The same flags answer the same questions explicitly.
    let dir = project("mgdinterdef", home.path());
    let r = add_walkthrough(
        dir.path(),
        home.path(),
        &[
            "--default-config",
            "default",
            "--sign-in",
            "username",
            "--advanced-settings",
            "no",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_like_interactive_default(dir.path());
}

#[test]
fn each_sign_in_choice_records_its_username_attributes() {
    let home = tempfile::tempdir().unwrap();
    for (flag, expected, fac) in [
        ("username", None, json!([])),
        ("email", Some(json!(["email"])), json!(["EMAIL"])),
        (
            "phone",
            Some(json!(["phone_number"])),
            json!(["PHONE_NUMBER"]),
        ),
        (
            "email-or-phone",
            Some(json!(["email, phone_number"])),
            json!(["EMAIL", "PHONE_NUMBER"]),
        ),
        // The label is accepted as well as the value.
        (
            "Phone Number",
            Some(json!(["phone_number"])),
            json!(["PHONE_NUMBER"]),
        ),
    ] {
        let dir = project("signin", home.path());
        let root = dir.path();
        let r = add_walkthrough(root, home.path(), &["--sign-in", flag]);
        assert_eq!(r.code, 0, "{flag}: {}", r.stderr);
        let (res, _) = added_resource(root);
        let config = &read_json(root.join(format!("amplify/backend/auth/{res}/cli-inputs.json")))["cognitoConfig"];
        assert_eq!(
            config.get("usernameAttributes").cloned(),
            expected,
            "{flag}"
        );
        // usernameAttributes follows useDefault, before userPoolGroupList.
        let keys: Vec<&String> = config.as_object().unwrap().keys().collect();
        let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        if expected.is_some() {
            assert_eq!(
                at("usernameAttributes"),
                at("useDefault") + 1,
                "{flag}: {keys:?}"
            );
        }
        assert_eq!(at("userPoolGroupList") + 1, at("serviceName"), "{flag}");
        let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
        assert_eq!(
            meta["auth"][&res]["frontendAuthConfig"]["usernameAttributes"], fac,
            "{flag}"
        );
    }
}

#[test]
fn advanced_settings_ask_the_required_attributes() {
    let home = tempfile::tempdir().unwrap();
    let dir = project("advanced", home.path());
    let root = dir.path();
    let r = add_walkthrough(
        root,
        home.path(),
        &[
            "--advanced-settings",
            "yes",
            "--required-attributes",
            "name,email",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (res, _) = added_resource(root);
    let config = &read_json(root.join(format!("amplify/backend/auth/{res}/cli-inputs.json")))["cognitoConfig"];
    assert_eq!(config["requiredAttributes"], json!(["email", "name"]));
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    assert_eq!(
        meta["auth"][&res]["frontendAuthConfig"]["signupAttributes"],
        json!(["EMAIL", "NAME"])
    );
}

#[test]
fn walkthrough_refusals_name_the_way_around_and_write_nothing() {
    let home = tempfile::tempdir().unwrap();
    let dir = project("refused", home.path());
    let root = dir.path();
    let before = snapshot(root);
    for (flags, expect) in [
        (
            vec![
                "--advanced-settings",
                "yes",
                "--capabilities",
                "addUserToGroup",
            ],
            "Invalid value for --capabilities: 'addUserToGroup' is not one of: recaptcha,",
        ),
        (
            vec!["--sign-in", "fax"],
            "Invalid value for --sign-in: 'fax' is not one of: username, email, phone, email-or-phone",
        ),
        (
            vec!["--sign-in", "learnMore"],
            "Invalid value for --sign-in: 'learnMore' is not one of",
        ),
        (
            vec!["--required-attributes", "email"],
            "--required-attributes answers \"What attributes are required for signing up?\"",
        ),
    ] {
        let r = add_walkthrough(root, home.path(), &flags);
        let usage = expect.starts_with("Invalid value for --") || expect.contains(" answers \"");
        assert_eq!(r.code, if usage { 2 } else { 1 }, "{flags:?}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{flags:?}: {}", r.stderr);
        assert_eq!(before, snapshot(root), "{flags:?}");
    }
    // --headless takes no walkthrough flags: bad usage.
    let r = run(authwiz(root).args(["add", "auth", "--headless", "--sign-in", "email"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
}
