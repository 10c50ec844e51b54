//! The social and manual `add auth` walkthroughs and the `update auth` menu write
//! exactly what the equivalent `--headless` request writes: each answer set runs
//! through the scripted prompter (and through flags with `--yes`) in one project
//! and as a hand-written request in another, and the two projects' files (and
//! deployment secrets) are compared. No AWS call is made (the envs point at a
//! closed port).

use std::collections::BTreeMap;
use std::path::Path;

use authwiz::prompt::{Reply, ScriptedPrompter};
use serde_json::{Value, json};

use crate::support::*;

/// A new project whose env points at a closed port.
fn offline_project(name: &str, home: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = run(init_yes(dir.path(), name, "us-east-1")
        .env("HOME", home)
        .args(["--endpoint-url", CLOSED_ENDPOINT]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

fn add_headless(root: &Path, home: &Path, request: &Value) {
    let r = with_stdin(
        authwiz(root)
            .env("HOME", home)
            .args(["add", "auth", "--headless"]),
        &request.to_string(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn update_headless(root: &Path, home: &Path, request: &Value) {
    let r = with_stdin(
        authwiz(root)
            .env("HOME", home)
            .args(["update", "auth", "--headless"]),
        &request.to_string(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn steps(list: &[(&str, Reply)]) -> ScriptedPrompter {
    ScriptedPrompter::new(list.iter().map(|(q, r)| (q.to_string(), r.clone())))
}

fn text(s: &str) -> Reply {
    Reply::Text(s.into())
}

fn pick(s: &str) -> Reply {
    Reply::Pick(s.into())
}

fn pick_many(list: &[&str]) -> Reply {
    Reply::PickMany(list.iter().map(|s| s.to_string()).collect())
}

/// Runs `authwiz <args>` in-process with the script; it must succeed and use it all.
fn scripted(root: &Path, home: &Path, args: &[&str], script: &[(&str, Reply)]) -> InProcess {
    let mut p = steps(script);
    let out = run_scripted_with(root, args, &mut p, &[("HOME", home.to_str().unwrap())]);
    assert_eq!(out.result, Ok(()), "{}\n{:?}", out.human, out.transcript);
    assert!(out.script_finished, "{:?}", out.transcript);
    out
}

/// The Cognito resource's name and sharedId.
fn resource(root: &Path) -> (String, String) {
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    let res = meta["auth"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["service"] == "Cognito")
        .unwrap()
        .0
        .clone();
    let inputs = read_json(root.join(format!("amplify/backend/auth/{res}/cli-inputs.json")));
    let shared = inputs["cognitoConfig"]["sharedId"]
        .as_str()
        .unwrap()
        .to_string();
    (res, shared)
}

/// Every file of the project and the home's deployment secrets, with the given
/// sharedIds made one placeholder.
fn files(root: &Path, home: &Path, ids: &[&str]) -> BTreeMap<String, String> {
    // The project's own folder (local-env-info.json) and sharedIds aside.
    let root_path = root.to_str().unwrap();
    let same = |t: &str| {
        ids.iter().fold(t.replace(root_path, "PROJECT"), |t, id| {
            t.replace(id, "SHAREDID")
        })
    };
    let mut all: BTreeMap<String, String> = snapshot(root)
        .into_iter()
        .map(|(k, v)| (same(&k), same(&String::from_utf8_lossy(&v))))
        .collect();
    let secrets = home.join(".aws/amplify/deployment-secrets.json");
    if secrets.exists() {
        all.insert(
            "~/.aws/amplify/deployment-secrets.json".into(),
            same(&std::fs::read_to_string(secrets).unwrap()),
        );
    }
    all
}

fn assert_same_files(a: (&Path, &Path), b: (&Path, &Path), ids: &[&str]) {
    let (x, y) = (files(a.0, a.1, ids), files(b.0, b.1, ids));
    assert_eq!(
        x.keys().collect::<Vec<_>>(),
        y.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, content) in &x {
        assert_eq!(content, &y[path], "{path}");
    }
}

/// The walkthrough's project (`a`) and the headless one (`b`), each with its home.
struct Pair {
    a: tempfile::TempDir,
    a_home: tempfile::TempDir,
    b: tempfile::TempDir,
    b_home: tempfile::TempDir,
}

impl Pair {
    fn new(project: &str) -> Pair {
        let a_home = tempfile::tempdir().unwrap();
        let b_home = tempfile::tempdir().unwrap();
        Pair {
            a: offline_project(project, a_home.path()),
            b: offline_project(project, b_home.path()),
            a_home,
            b_home,
        }
    }

    fn a(&self) -> (&Path, &Path) {
        (self.a.path(), self.a_home.path())
    }

    fn b(&self) -> (&Path, &Path) {
        (self.b.path(), self.b_home.path())
    }

    /// The headless side adds `request`; both sides' files must then be the same.
    fn assert_add_equals(&self, request: &Value) {
        add_headless(self.b.path(), self.b_home.path(), request);
        let (_, ours) = resource(self.a.path());
        let (_, theirs) = resource(self.b.path());
        assert_same_files(self.a(), self.b(), &[&ours, &theirs]);
    }
}

const APPLE_KEY: &str =
    "-----BEGIN PRIVATE KEY----- MIGTAgEAMBMGByqGSM49 -----END PRIVATE KEY-----";

fn social_request(res: &str) -> Value {
    json!({"version": 2, "resourceName": res, "serviceConfiguration": {
        "serviceName": "Cognito",
        "userPoolConfiguration": {
            "signinMethod": "EMAIL",
            "requiredSignupAttributes": ["EMAIL"],
            "autoVerifiedAttributes": [{"type": "EMAIL"}],
            "readAttributes": ["EMAIL"],
            "writeAttributes": ["EMAIL"],
            "oAuth": {
                "domainPrefix": "myapp-login",
                "redirectSigninURIs": ["https://example.com/", "myapp://"],
                "redirectSignoutURIs": ["https://example.com/out/"],
                "oAuthGrantType": "CODE",
                "oAuthScopes": ["PHONE", "EMAIL", "OPENID", "PROFILE", "AWS.COGNITO.SIGNIN.USER.ADMIN"],
                "socialProviderConfigurations": [
                    {"provider": "FACEBOOK", "clientId": "fb-id", "clientSecret": "fb-secret"},
                    {"provider": "GOOGLE", "clientId": "g-id", "clientSecret": "g-secret"},
                    {"provider": "LOGIN_WITH_AMAZON", "clientId": "amzn-id", "clientSecret": "amzn-secret"},
                    {"provider": "SIGN_IN_WITH_APPLE", "clientId": "com.example.web", "teamId": "TEAM123", "keyId": "KEY456", "privateKey": "MIGTAgEAMBMGByqGSM49"}
                ]
            }
        },
        "includeIdentityPool": true,
        "identityPoolConfiguration": {"unauthenticatedLogin": false}
    }})
}

#[test]
fn social_walkthrough_writes_what_the_equivalent_headless_request_writes() {
    let pair = Pair::new("socialproj");
    let out = scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["add", "auth"],
        &[
            ("default authentication", pick("Social Provider")),
            ("sign in", pick("Email")),
            ("advanced settings", Reply::Enter),
            ("domain name prefix", text("My_App")),
            ("domain name prefix", text("myapp-login")),
            ("redirect signin URI", text("http://example.com/")),
            ("redirect signin URI", text("https://example.com/")),
            ("add another redirect signin URI", Reply::Confirm(true)),
            ("redirect signin URI", text("myapp://")),
            ("add another redirect signin URI", Reply::Enter),
            ("redirect signout URI", text("https://example.com/out/")),
            ("add another redirect signout URI", Reply::Enter),
            (
                "social providers you want to configure for your user pool",
                pick_many(&[
                    "Facebook",
                    "Google",
                    "Login With Amazon",
                    "Sign in with Apple",
                ]),
            ),
            ("Facebook App ID for your OAuth flow", text("fb-id")),
            ("Facebook App Secret", text("fb-secret")),
            ("Google Web Client ID for your OAuth flow", text("g-id")),
            ("Google Web Client Secret", text("g-secret")),
            ("Amazon App ID for your OAuth flow", text("amzn-id")),
            ("Amazon App Secret", text("amzn-secret")),
            ("Services ID", text("com.example.web")),
            ("Team ID", text("TEAM123")),
            ("Key ID", text("KEY456")),
            ("Private Key", text("MIGTAgEAMBMGByqGSM49")),
            ("Private Key", text(APPLE_KEY)),
        ],
    );
    // Amplify's validation messages, then the question again.
    for message in [
        "! The value must be a valid domain name format.",
        "! The value must be a valid URI with a trailing forward slash.",
        "! Private key provided is invalid.",
    ] {
        assert!(
            out.transcript.iter().any(|l| l.starts_with(message)),
            "{message}: {:?}",
            out.transcript
        );
    }
    let (res, _) = resource(pair.a.path());
    pair.assert_add_equals(&social_request(&res));
    // The providers' secrets are only in the deployment secrets.
    for (path, bytes) in snapshot(pair.a.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("fb-secret") && !text.contains("MIGTAgEAMBMG"),
            "{path}"
        );
    }
    assert!(
        std::fs::read_to_string(
            pair.a_home
                .path()
                .join(".aws/amplify/deployment-secrets.json")
        )
        .unwrap()
        .contains("fb-secret")
    );
}

#[test]
fn social_flags_with_yes_write_the_same() {
    let pair = Pair::new("socialproj");
    let r = run(authwiz(pair.a.path())
        .env("HOME", pair.a_home.path())
        .args([
            "add",
            "auth",
            "--yes",
            "--default-config",
            "social",
            "--sign-in",
            "email",
            "--domain-prefix",
            "myapp-login",
            "--redirect-signin-uris",
            "https://example.com/,myapp://",
            "--redirect-signout-uris",
            "https://example.com/out/",
            "--social-providers",
            "facebook,google,amazon,apple",
            "--facebook-oauth-app-id",
            "fb-id",
            "--facebook-oauth-app-secret",
            "fb-secret",
            "--google-oauth-client-id",
            "g-id",
            "--google-oauth-client-secret",
            "g-secret",
            "--amazon-oauth-app-id",
            "amzn-id",
            "--amazon-oauth-app-secret",
            "amzn-secret",
            "--apple-services-id",
            "com.example.web",
            "--apple-team-id",
            "TEAM123",
            "--apple-key-id",
            "KEY456",
            "--apple-private-key",
            APPLE_KEY,
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (res, _) = resource(pair.a.path());
    pair.assert_add_equals(&social_request(&res));
}

#[test]
fn manual_walkthrough_with_mfa_groups_and_federation_writes_what_headless_writes() {
    let pair = Pair::new("manualproj");
    let out = scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["add", "auth"],
        &[
            ("default authentication", pick("Manual")),
            ("authentication/authorization services", Reply::Enter),
            ("friendly name", text("my-auth")),
            ("friendly name", text("manualauth")),
            ("name for your identity pool", Reply::Enter),
            ("unauthenticated logins", pick("Yes")),
            ("3rd party authentication providers", Reply::Enter),
            (
                "third party identity providers",
                pick_many(&["Facebook", "Google"]),
            ),
            ("Facebook App ID for your identity pool", text("fb-pool-id")),
            (
                "Google Web Client ID for your identity pool",
                text("g-pool-id"),
            ),
            ("name for your user pool", text("manual pool")),
            ("sign in", pick("Email")),
            ("add User Pool Groups", Reply::Enter),
            ("name for your user pool group", text("")),
            ("name for your user pool group", text("admins")),
            ("add another User Pool Group", Reply::Confirm(true)),
            ("name for your user pool group", text("users")),
            ("add another User Pool Group", Reply::Enter),
            ("Sort the user pool groups", text("users, admins")),
            ("admin queries API", Reply::Enter),
            ("Multifactor authentication", pick("OPTIONAL")),
            ("MFA types", pick_many(&["SMS", "TOTP"])),
            ("SMS authentication message", text("Code: {####}")),
            ("Email based user registration", Reply::Enter),
            ("email verification subject", text("Welcome")),
            ("email verification message", text("no code")),
            ("email verification message", text("Your code is {####}")),
            ("override the default password policy", Reply::Confirm(true)),
            ("minimum password length", text("5")),
            ("minimum password length", text("10")),
            (
                "password character requirements",
                pick_many(&["Numbers", "Symbols"]),
            ),
            (
                "required for signing up",
                pick_many(&["Email", "Birthdate"]),
            ),
            ("refresh token expiration period", text("60")),
            ("read and write", Reply::Confirm(true)),
            // "Email" is also in "Email Verified?": both are picked.
            ("read attributes", pick_many(&["Email", "Locale"])),
            ("write attributes", pick_many(&["Nickname"])),
            ("capabilities", Reply::Enter),
            ("OAuth flow", pick("No")),
            ("Lambda Triggers", Reply::Enter),
        ],
    );
    assert!(
        out.transcript
            .iter()
            .any(|l| l == "! Resource name should be alphanumeric")
    );
    assert!(
        out.transcript
            .iter()
            .any(|l| l.starts_with("! The resource name must be at least 1 character"))
    );
    let (res, shared) = resource(pair.a.path());
    assert_eq!(res, "manualauth");
    let request = json!({"version": 2, "resourceName": "manualauth", "serviceConfiguration": {
        "serviceName": "Cognito",
        "userPoolConfiguration": {
            "signinMethod": "EMAIL",
            "requiredSignupAttributes": ["BIRTHDATE", "EMAIL"],
            "userPoolName": "manual pool",
            "userPoolGroups": [{"groupName": "users"}, {"groupName": "admins"}],
            "mfa": {"mode": "OPTIONAL", "mfaTypes": ["SMS", "TOTP"], "smsMessage": "Code: {####}"},
            "autoVerifiedAttributes": [{"type": "EMAIL", "verificationMessage": "Your code is {####}", "verificationSubject": "Welcome"}],
            "passwordPolicy": {"minimumLength": 10, "additionalConstraints": ["REQUIRE_DIGIT", "REQUIRE_SYMBOL"]},
            "refreshTokenPeriod": 60,
            "readAttributes": ["EMAIL", "LOCALE", "EMAIL_VERIFIED"],
            "writeAttributes": ["NICKNAME", "BIRTHDATE", "EMAIL"]
        },
        "includeIdentityPool": true,
        "identityPoolConfiguration": {
            "identityPoolName": format!("manualproj{shared}_identitypool_{shared}"),
            "unauthenticatedLogin": true,
            "identitySocialFederation": [
                {"provider": "FACEBOOK", "clientId": "fb-pool-id"},
                {"provider": "GOOGLE", "clientId": "g-pool-id"}
            ]
        }
    }});
    pair.assert_add_equals(&request);
    let tpi = read_json(pair.a.path().join("amplify/team-provider-info.json"));
    assert_eq!(
        tpi["dev"]["categories"]["auth"]["manualauth"],
        json!({"facebookAppId": "fb-pool-id", "googleClientId": "g-pool-id"})
    );
    let precedence = read_json(
        pair.a
            .path()
            .join("amplify/backend/auth/userPoolGroups/user-pool-group-precedence.json"),
    );
    assert_eq!(
        precedence,
        json!([{"groupName": "users", "precedence": 1}, {"groupName": "admins", "precedence": 2}])
    );
}

/// User pool only, no groups, MFA off, phone verification, defaults kept,
/// OAuth with the implicit grant, some scopes and Google.
fn user_pool_only_request(shared: &str) -> Value {
    json!({"version": 2, "resourceName": "uponly", "serviceConfiguration": {
        "serviceName": "Cognito",
        "userPoolConfiguration": {
            "signinMethod": "PHONE_NUMBER",
            "requiredSignupAttributes": ["EMAIL"],
            "userPoolName": format!("uponlyproj{shared}_userpool_{shared}"),
            "mfa": {"mode": "OFF"},
            "autoVerifiedAttributes": [{"type": "PHONE_NUMBER", "verificationMessage": "Your verification code is {####}"}],
            "refreshTokenPeriod": 30,
            "readAttributes": ["EMAIL"],
            "writeAttributes": ["EMAIL"],
            "oAuth": {
                "domainPrefix": format!("uponlyproj{shared}-{shared}"),
                "redirectSigninURIs": ["http://localhost:3000/"],
                "redirectSignoutURIs": ["http://localhost:3000/"],
                "oAuthGrantType": "IMPLICIT",
                "oAuthScopes": ["EMAIL", "OPENID"],
                "socialProviderConfigurations": [
                    {"provider": "GOOGLE", "clientId": "g-id", "clientSecret": "g-secret"}
                ]
            }
        },
        "includeIdentityPool": false
    }})
}

#[test]
fn manual_user_pool_only_with_oauth_writes_what_headless_writes() {
    let pair = Pair::new("uponlyproj");
    scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["add", "auth"],
        &[
            ("default authentication", pick("Manual")),
            (
                "authentication/authorization services",
                pick("Sign-In only"),
            ),
            ("friendly name", text("uponly")),
            ("name for your user pool", Reply::Enter),
            ("sign in", pick("Phone Number")),
            ("add User Pool Groups", pick("No")),
            ("admin queries API", pick("learn more")),
            ("admin queries API", Reply::Enter),
            ("Multifactor authentication", Reply::Enter),
            ("Email based user registration", pick("Disabled")),
            ("SMS verification message", Reply::Enter),
            ("override the default password policy", Reply::Enter),
            ("required for signing up", Reply::Enter),
            ("refresh token expiration period", Reply::Enter),
            ("read and write", Reply::Enter),
            ("capabilities", Reply::Enter),
            ("OAuth flow", Reply::Enter),
            ("domain name prefix", Reply::Enter),
            ("redirect signin URI", text("http://localhost:3000/")),
            ("add another redirect signin URI", Reply::Enter),
            ("redirect signout URI", text("http://localhost:3000/")),
            ("add another redirect signout URI", Reply::Enter),
            ("OAuth flows", pick("Implicit")),
            ("OAuth scopes", pick_many(&["Email", "OpenID"])),
            ("social providers", pick_many(&["Google"])),
            ("Google Web Client ID for your OAuth flow", text("g-id")),
            ("Google Web Client Secret", text("g-secret")),
            ("Lambda Triggers", Reply::Enter),
        ],
    );
    let (_, shared) = resource(pair.a.path());
    pair.assert_add_equals(&user_pool_only_request(&shared));
}

#[test]
fn manual_flags_with_yes_write_the_same() {
    let pair = Pair::new("uponlyproj");
    let r = run(authwiz(pair.a.path())
        .env("HOME", pair.a_home.path())
        .args([
            "add",
            "auth",
            "--yes",
            "--default-config",
            "manual",
            "--auth-selections",
            "user-pool-only",
            "--resource-name",
            "uponly",
            "--sign-in",
            "phone",
            "--user-pool-groups",
            "no",
            "--email-registration",
            "disabled",
            "--redirect-signin-uris",
            "http://localhost:3000/",
            "--redirect-signout-uris",
            "http://localhost:3000/",
            "--oauth-flow",
            "implicit",
            "--oauth-scopes",
            "email,openid",
            "--social-providers",
            "google",
            "--google-oauth-client-id",
            "g-id",
            "--google-oauth-client-secret",
            "g-secret",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, shared) = resource(pair.a.path());
    pair.assert_add_equals(&user_pool_only_request(&shared));

    // Groups, MFA and federation by flags.
    let pair = Pair::new("manualproj");
    let r = run(authwiz(pair.a.path())
        .env("HOME", pair.a_home.path())
        .args([
            "add",
            "auth",
            "--yes",
            "--default-config",
            "manual",
            "--resource-name",
            "flagsauth",
            "--identity-providers",
            "amazon,apple",
            "--amazon-app-id",
            "amzn-pool",
            "--apple-bundle-id",
            "com.example.app",
            "--group-names",
            "admins,users",
            "--group-order",
            "users,admins",
            "--mfa",
            "on",
            "--mfa-types",
            "totp",
            "--override-password-policy",
            "yes",
            "--password-min-length",
            "12",
            "--password-characters",
            "lowercase,uppercase",
            "--oauth",
            "no",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, shared) = resource(pair.a.path());
    pair.assert_add_equals(&json!({"version": 2, "resourceName": "flagsauth", "serviceConfiguration": {
        "serviceName": "Cognito",
        "userPoolConfiguration": {
            "signinMethod": "USERNAME",
            "requiredSignupAttributes": ["EMAIL"],
            "userPoolName": format!("manualproj{shared}_userpool_{shared}"),
            "userPoolGroups": [{"groupName": "users"}, {"groupName": "admins"}],
            "mfa": {"mode": "ON", "mfaTypes": ["TOTP"], "smsMessage": "Your authentication code is {####}"},
            "autoVerifiedAttributes": [{"type": "EMAIL"}],
            "passwordPolicy": {"minimumLength": 12, "additionalConstraints": ["REQUIRE_LOWERCASE", "REQUIRE_UPPERCASE"]},
            "readAttributes": ["EMAIL"],
            "writeAttributes": ["EMAIL"]
        },
        "includeIdentityPool": true,
        "identityPoolConfiguration": {
            "identityPoolName": format!("manualproj{shared}_identitypool_{shared}"),
            "identitySocialFederation": [
                {"provider": "AMAZON", "clientId": "amzn-pool"},
                {"provider": "APPLE", "clientId": "com.example.app"}
            ]
        }
    }}));
}

#[test]
fn add_walkthrough_refusals_name_the_flag_and_write_nothing() {
    let home = tempfile::tempdir().unwrap();
    let dir = offline_project("refusals", home.path());
    let root = dir.path();
    let before = snapshot(root);
    for (flags, expect) in [
        (
            vec!["--default-config", "social"],
            "No answer for \"Enter your redirect signin URI:\" (no terminal to ask in).",
        ),
        (
            vec!["--default-config", "manual"],
            "Supply it with --group-names LIST (or --user-pool-groups no).",
        ),
        (
            vec!["--default-config", "manual", "--user-pool-groups", "no"],
            "Supply it with --redirect-signin-uris LIST.",
        ),
        (
            vec![
                "--default-config",
                "manual",
                "--user-pool-groups",
                "no",
                "--oauth",
                "no",
                "--admin-queries",
                "yes",
            ],
            "`amplify update auth` → \"Create or update Admin queries API\"",
        ),
        (
            vec![
                "--default-config",
                "manual",
                "--user-pool-groups",
                "no",
                "--oauth",
                "no",
                "--lambda-triggers",
                "yes",
                "--triggers",
                "pre-sign-up",
                "--trigger-modules",
                "pre-sign-up=add-to-group",
            ],
            "Invalid value for --trigger-modules: pre-sign-up: 'add-to-group' is not one of: email-filter-allowlist, email-filter-denylist, custom, existing",
        ),
        (
            vec![
                "--default-config",
                "social",
                "--redirect-signin-uris",
                "https://example.com",
            ],
            "Invalid value for --redirect-signin-uris: 'https://example.com': The value must be a valid URI with a trailing forward slash.",
        ),
        (
            vec!["--default-config", "social", "--domain-prefix", "aws-login"],
            "Invalid value for --domain-prefix: The value must be a valid domain name format.",
        ),
        (
            vec![
                "--default-config",
                "social",
                "--advanced-settings",
                "yes",
                "--required-attributes",
                "email,nickname",
                "--redirect-signin-uris",
                "https://example.com/",
                "--redirect-signout-uris",
                "https://example.com/",
                "--social-providers",
                "google",
            ],
            "Invalid value for --social-providers: Your UserPool is configured to require nickname, which cannot be retrieved from Google",
        ),
        (
            vec!["--domain-prefix", "myapp"],
            "--domain-prefix answers \"What domain name prefix do you want to use?\", which the other answers leave out.",
        ),
        (
            vec![
                "--default-config",
                "manual",
                "--user-pool-groups",
                "no",
                "--mfa",
                "sometimes",
            ],
            "Invalid value for --mfa: 'sometimes' is not one of: off, on, optional",
        ),
    ] {
        let r = run(authwiz(root)
            .env("HOME", home.path())
            .args(["add", "auth", "--yes"])
            .args(&flags));
        assert_eq!(r.code, usage_or_error(expect), "{flags:?}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{flags:?}: {}", r.stderr);
        assert_eq!(before, snapshot(root), "{flags:?}");
    }
    assert!(!home.path().join(".aws/amplify").exists());
}

// ---- update auth: the menu ----

/// Two copies of one project with auth added from `payload` (same sharedId), each
/// with its own home holding the same deployment secrets.
fn updatable(project: &str, payload: &str) -> Pair {
    let pair = Pair::new(project);
    let body = std::fs::read_to_string(
        repo()
            .join("tests/fixtures/amplify-cli-14.2.2-managed/payloads")
            .join(payload),
    )
    .unwrap();
    add_headless(
        pair.a.path(),
        pair.a_home.path(),
        &serde_json::from_str(&body).unwrap(),
    );
    // The same project in another folder (local-env-info.json names the folder).
    let env_info = pair.b.path().join("amplify/.config/local-env-info.json");
    let own = std::fs::read(&env_info).unwrap();
    std::fs::remove_dir_all(pair.b.path().join("amplify")).unwrap();
    copy_tree(
        &pair.a.path().join("amplify"),
        &pair.b.path().join("amplify"),
    );
    std::fs::write(&env_info, own).unwrap();
    let secrets = pair.a_home.path().join(".aws");
    if secrets.exists() {
        copy_tree(&secrets, &pair.b_home.path().join(".aws"));
    }
    pair
}

impl Pair {
    /// The headless side applies `request`; both sides must then be the same.
    fn assert_update_equals(&self, request: &Value) {
        update_headless(self.b.path(), self.b_home.path(), request);
        assert_same_files(self.a(), self.b(), &[]);
    }
}

fn update_request(modification: Value, identity: Option<Value>) -> Value {
    let mut svc = json!({
        "serviceName": "Cognito",
        "userPoolModification": modification,
        "includeIdentityPool": identity.is_some(),
    });
    if let Some(ip) = identity {
        svc["identityPoolModification"] = ip;
    }
    json!({"version": 2, "serviceModification": svc})
}

#[test]
fn update_walkthrough_of_all_settings_writes_what_headless_writes() {
    let pair = updatable("mgdmfa", "add-mfa.json");
    let out = scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["update", "auth"],
        &[
            ("What do you want to do?", pick("Walkthrough all")),
            ("authentication/authorization services", Reply::Enter),
            ("unauthenticated logins", pick("Yes")),
            ("3rd party authentication providers", pick("Yes")),
            ("third party identity providers", pick_many(&["Amazon"])),
            ("Amazon App ID for your identity pool", text("amzn-pool")),
            ("add User Pool Groups", pick("Yes")),
            ("user pool groups you want to delete", pick_many(&["users"])),
            ("add another User Pool Group", Reply::Confirm(true)),
            ("name for your user pool group", text("editors")),
            ("add another User Pool Group", Reply::Enter),
            ("Sort the user pool groups", text("editors,admins")),
            ("admin queries API", Reply::Enter),
            // MFA is OPTIONAL already: Amplify does not ask it again.
            ("Email based user registration", Reply::Enter),
            ("email verification subject", Reply::Enter),
            ("email verification message", text("Code {####}")),
            ("override the default password policy", Reply::Confirm(true)),
            ("minimum password length", Reply::Enter),
            (
                "password character requirements",
                pick_many(&["Uppercase", "Symbols"]),
            ),
            ("refresh token expiration period", text("10")),
            ("read and write", Reply::Enter),
            ("capabilities", Reply::Enter),
            ("OAuth flow", pick("Yes")),
            ("domain name prefix", text("mfa-login")),
            ("redirect signin URI", text("https://mfa.example/")),
            ("add another redirect signin URI", Reply::Enter),
            ("redirect signout URI", text("https://mfa.example/")),
            ("add another redirect signout URI", Reply::Enter),
            ("OAuth flows", Reply::Enter),
            ("OAuth scopes", Reply::Enter),
            (
                "identity providers you want to configure for your user pool",
                Reply::Enter,
            ),
            ("Lambda Triggers", Reply::Enter),
        ],
    );
    assert!(
        out.human
            .contains("Please note that certain attributes may not be overwritten"),
        "{}",
        out.human
    );
    assert!(!out.transcript.iter().any(|l| l.contains("Multifactor")));
    pair.assert_update_equals(&update_request(
        json!({
            "userPoolGroups": [{"groupName": "editors"}, {"groupName": "admins"}],
            "autoVerifiedAttributes": [{"type": "EMAIL", "verificationMessage": "Code {####}", "verificationSubject": "Your verification code"}],
            "passwordPolicy": {"minimumLength": 12, "additionalConstraints": ["REQUIRE_UPPERCASE", "REQUIRE_SYMBOL"]},
            "refreshTokenPeriod": 10,
            "oAuth": {
                "domainPrefix": "mfa-login",
                "redirectSigninURIs": ["https://mfa.example/"],
                "redirectSignoutURIs": ["https://mfa.example/"],
                "oAuthGrantType": "CODE",
                "oAuthScopes": ["PHONE", "EMAIL", "OPENID", "PROFILE", "AWS.COGNITO.SIGNIN.USER.ADMIN"],
                "socialProviderConfigurations": []
            }
        }),
        Some(json!({
            "unauthenticatedLogin": true,
            "identitySocialFederation": [{"provider": "AMAZON", "clientId": "amzn-pool"}]
        })),
    ));
}

#[test]
fn update_redirect_uris_writes_what_headless_writes() {
    let pair = updatable("mgdoauth", "add-oauth.json");
    scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["update", "auth"],
        &[
            ("What do you want to do?", pick("redirect URIs")),
            ("Which redirect signin URIs", pick_many(&["localhost"])),
            (
                "Update http://localhost:3000/",
                text("https://app.example/"),
            ),
            ("add redirect signin URIs", Reply::Enter),
            ("new redirect signin URI", text("myapp://")),
            ("add another redirect signin URI", Reply::Enter),
            ("Which redirect signout URIs", Reply::Enter),
            ("add redirect signout URIs", Reply::Confirm(false)),
        ],
    );
    let request = update_request(
        json!({"oAuth": {
            "redirectSigninURIs": ["https://app.example/", "myapp://"],
            "redirectSignoutURIs": ["http://localhost:3000/"]
        }}),
        Some(json!({})),
    );
    pair.assert_update_equals(&request);

    // The same by flags.
    let flags = updatable("mgdoauth", "add-oauth.json");
    let r = run(authwiz(flags.a.path())
        .env("HOME", flags.a_home.path())
        .args([
            "update",
            "auth",
            "--yes",
            "--action",
            "callbacks",
            "--edit-signin-uris",
            "http://localhost:3000/",
            "--updated-signin-uris",
            "https://app.example/",
            "--redirect-signin-uris",
            "myapp://",
            "--add-signout-uris",
            "no",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    flags.assert_update_equals(&request);
}

#[test]
fn update_social_providers_writes_what_headless_writes() {
    let pair = updatable("mgdoauth", "add-oauth.json");
    scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["update", "auth"],
        &[
            ("What do you want to do?", pick("social providers")),
            (
                "identity providers you want to configure for your user pool",
                pick_many(&["Facebook", "Google"]),
            ),
            ("Facebook App ID", text("fb-id")),
            ("Facebook App Secret", text("fb-secret")),
            // Google's id and secret are the current ones (from the deployment secrets).
            ("Google Web Client ID", Reply::Enter),
            ("Google Web Client Secret", Reply::Enter),
        ],
    );
    let request = update_request(
        json!({"oAuth": {"socialProviderConfigurations": [
            {"provider": "FACEBOOK", "clientId": "fb-id", "clientSecret": "fb-secret"},
            {"provider": "GOOGLE", "clientId": "dummy-google-client-id.apps.googleusercontent.com", "clientSecret": "dummy-google-client-secret"}
        ]}}),
        Some(json!({})),
    );
    pair.assert_update_equals(&request);
    // `--yes` keeps the current providers and secrets.
    let flags = updatable("mgdoauth", "add-oauth.json");
    let r = run(authwiz(flags.a.path())
        .env("HOME", flags.a_home.path())
        .args([
            "update",
            "auth",
            "--yes",
            "--action",
            "providers",
            "--social-providers",
            "facebook,google",
            "--facebook-oauth-app-id",
            "fb-id",
            "--facebook-oauth-app-secret",
            "fb-secret",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    flags.assert_update_equals(&request);
}

#[test]
fn update_groups_writes_what_headless_writes() {
    let pair = updatable("mgdmfa", "add-mfa.json");
    scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["update", "auth"],
        &[
            ("What do you want to do?", pick("user pool groups")),
            ("groups you want to delete", pick_many(&["admins"])),
            ("add another User Pool Group", Reply::Confirm(true)),
            ("name for your user pool group", text("ops")),
            ("add another User Pool Group", Reply::Enter),
            ("Sort the user pool groups", Reply::Enter),
        ],
    );
    let request = update_request(
        json!({"userPoolGroups": [{"groupName": "users"}, {"groupName": "ops"}]}),
        Some(json!({})),
    );
    pair.assert_update_equals(&request);
    let flags = updatable("mgdmfa", "add-mfa.json");
    let r = run(authwiz(flags.a.path())
        .env("HOME", flags.a_home.path())
        .args([
            "update",
            "auth",
            "--yes",
            "--action",
            "groups",
            "--delete-groups",
            "admins",
            "--group-names",
            "ops",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    flags.assert_update_equals(&request);
}

#[test]
fn update_apply_defaults_writes_what_headless_writes() {
    // Without social providers: the hosted UI goes, the safe defaults come back.
    let pair = updatable("mgdoauth", "add-oauth.json");
    scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["update", "auth"],
        &[("What do you want to do?", pick("without Social Provider"))],
    );
    pair.assert_update_equals(&update_request(
        json!({
            "passwordPolicy": {"minimumLength": 8, "additionalConstraints": []},
            "refreshTokenPeriod": 30,
            "autoVerifiedAttributes": [],
            "oAuth": {}
        }),
        Some(json!({"unauthenticatedLogin": false, "identitySocialFederation": []})),
    ));

    // With social providers: a hosted UI for a resource that had none.
    let pair = updatable("mgddefault", "add-default.json");
    let (_, shared) = resource(pair.a.path());
    scripted(
        pair.a.path(),
        pair.a_home.path(),
        &["update", "auth"],
        &[
            ("What do you want to do?", pick("with Social Provider")),
            ("domain name prefix", Reply::Enter),
            ("redirect signin URI", text("https://d.example/")),
            ("add another redirect signin URI", Reply::Enter),
            ("redirect signout URI", text("https://d.example/")),
            ("add another redirect signout URI", Reply::Enter),
            (
                "identity providers you want to configure",
                pick_many(&["Amazon"]),
            ),
            ("Amazon App ID", text("amzn-id")),
            ("Amazon App Secret", text("amzn-secret")),
        ],
    );
    pair.assert_update_equals(&update_request(
        json!({
            "passwordPolicy": {"minimumLength": 8, "additionalConstraints": []},
            "refreshTokenPeriod": 30,
            "autoVerifiedAttributes": [],
            "oAuth": {
                "domainPrefix": format!("mgddefault{shared}-{shared}"),
                "redirectSigninURIs": ["https://d.example/"],
                "redirectSignoutURIs": ["https://d.example/"],
                "oAuthGrantType": "CODE",
                "oAuthScopes": ["PHONE", "EMAIL", "OPENID", "PROFILE", "AWS.COGNITO.SIGNIN.USER.ADMIN"],
                "socialProviderConfigurations": [
                    {"provider": "LOGIN_WITH_AMAZON", "clientId": "amzn-id", "clientSecret": "amzn-secret"}
                ]
            }
        }),
        Some(json!({"unauthenticatedLogin": false, "identitySocialFederation": []})),
    ));
}

#[test]
fn update_manual_by_flags_switches_the_identity_pool_off() {
    let pair = updatable("mgddefault", "add-default.json");
    let r = run(authwiz(pair.a.path())
        .env("HOME", pair.a_home.path())
        .args([
            "update",
            "auth",
            "--yes",
            "--action",
            "manual",
            "--auth-selections",
            "user-pool-only",
            "--user-pool-groups",
            "no",
            "--mfa",
            "optional",
            "--mfa-types",
            "totp",
            "--email-registration",
            "disabled",
            "--oauth",
            "no",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Warning! Your existing IdentityPool: mgdprojauth_identitypool_"),
        "{}",
        r.stderr
    );
    pair.assert_update_equals(&update_request(
        json!({
            "mfa": {"mode": "OPTIONAL", "mfaTypes": ["TOTP"], "smsMessage": "Your authentication code is {####}"},
            "autoVerifiedAttributes": [{"type": "PHONE_NUMBER", "verificationMessage": "Your verification code is {####}"}],
            "refreshTokenPeriod": 30
        }),
        None,
    ));
}

#[test]
fn update_refusals_name_the_flag_and_write_nothing() {
    let pair = updatable("mgddefault", "add-default.json");
    let (root, home) = pair.a();
    let before = snapshot(root);
    for (flags, expect) in [
        (
            vec![],
            "Supply it with --action default|social|manual|callbacks|providers|groups|admin-queries.",
        ),
        (
            vec!["--action", "callbacks"],
            "Invalid value for --action: 'callbacks' is not one of: default, social, manual, groups, admin-queries",
        ),
        (
            vec!["--action", "admin-queries"],
            "Use `amplify update auth` → \"Create or update Admin queries API\" in the Amplify CLI",
        ),
        (
            vec![
                "--action",
                "manual",
                "--user-pool-groups",
                "no",
                "--oauth",
                "no",
                "--mfa",
                "on",
            ],
            "Invalid value for --mfa: ON (Required for all logins) can only be chosen when the user pool is created; choose OPTIONAL.",
        ),
        (
            vec!["--action", "groups", "--group-names", "ops", "--mfa", "off"],
            "--mfa answers \"Multifactor authentication (MFA) user login options:\", which the other answers leave out.",
        ),
        (
            vec!["--action", "groups", "--sign-in", "email"],
            "unexpected argument '--sign-in'",
        ),
        (
            vec!["--action", "groups", "--group-names", "ok,not-ok"],
            "Invalid value for --group-names: 'not-ok': Resource name should be alphanumeric",
        ),
    ] {
        let r = run(authwiz(root)
            .env("HOME", home)
            .args(["update", "auth", "--yes"])
            .args(&flags));
        assert_ne!(r.code, 0, "{flags:?}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{flags:?}: {}", r.stderr);
        assert_eq!(before, snapshot(root), "{flags:?}");
    }
    // Without a terminal and without --yes: the menu names its flag.
    let r = run(authwiz(root).env("HOME", home).args(["update", "auth"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("What do you want to do?") && r.stderr.contains("--action"),
        "{}",
        r.stderr
    );
    // --headless takes no walkthrough flags: bad usage.
    let r = run(authwiz(root).args(["update", "auth", "--headless", "--action", "groups"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// The exit status of a refusal: 2 for bad usage (a flag's value that is not
/// valid, a flag the other answers leave out), else 1.
pub fn usage_or_error(expect: &str) -> i32 {
    if expect.starts_with("Invalid value for --")
        || expect.contains("which the other answers leave out")
    {
        2
    } else {
        1
    }
}
