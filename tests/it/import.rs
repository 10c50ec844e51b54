//! `import auth` against the emulator: headless, flags, interactive (scripted),
//! every refusal, and the files compared with what the Amplify CLI wrote.

use authwiz::prompt::{Reply, ScriptedPrompter};
use serde_json::{Value, json};

use crate::support::emulator::Emulator;
use crate::support::seed::{Corp, Seeder, trust_policy};
use crate::support::*;

/// `import auth --yes` with every id as a flag.
fn import_yes(
    root: &std::path::Path,
    pool: &str,
    web: &str,
    native: &str,
    identity_pool: &str,
) -> Run {
    run(authwiz(root).args([
        "import",
        "auth",
        "--yes",
        "--user-pool-id",
        pool,
        "--web-client-id",
        web,
        "--native-client-id",
        native,
        "--identity-pool-id",
        identity_pool,
    ]))
}

/// The fixture file with the fixture's ids replaced by this run's.
fn fixture_json(step: &str, rel: &str, corp: &Corp) -> Value {
    let seed = read_json(repo().join("tests/fixtures/amplify-cli-14.2.2/seed-dev.json"));
    let mut text = std::fs::read_to_string(fixture(step).join(rel)).unwrap();
    for (key, new) in [
        ("userPoolId", &corp.user_pool_id),
        ("webClientId", &corp.web_client_id),
        ("nativeClientId", &corp.native_client_id),
        ("identityPoolId", &corp.identity_pool_id),
    ] {
        text = text.replace(seed[key].as_str().unwrap(), new);
    }
    text = text.replace("bac5fa19-ef69-4f7c-918b-87a0b3c18dd8", &corp.native_secret);
    // The roles live in this test's emulator account.
    for (name, arn) in [
        ("corp-auth-role", &corp.auth_role_arn),
        ("corp-unauth-role", &corp.unauth_role_arn),
    ] {
        text = text.replace(
            &format!("\"arn:aws:iam::123456789012:role/{name}\""),
            &format!("\"{arn}\""),
        );
    }
    serde_json::from_str(&text).unwrap()
}

#[test]
fn headless_import_and_push_write_what_the_amplify_cli_wrote() {
    let emu = Emulator::start();
    let corp = Seeder::new(&emu, "us-east-1").corp();
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    emu.reset_calls();
    let r = headless(root, &payload(&corp, true));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The given ids only (no listing): the user pool, both clients, the identity
    // pool, its roles and the two trust policies (Amplify lists clients and
    // identity pools too). Independent reads run at once, so the order varies.
    let mut calls = emu.calls();
    calls.sort();
    assert_eq!(
        calls,
        [
            "cognito-identity:DescribeIdentityPool",
            "cognito-identity:GetIdentityPoolRoles",
            "cognito-idp:DescribeUserPool",
            "cognito-idp:DescribeUserPoolClient",
            "cognito-idp:DescribeUserPoolClient",
            "iam:GetRole",
            "iam:GetRole",
        ]
    );
    assert!(
        !r.stderr.contains("successfully imported"),
        "headless prints no banner: {}",
        r.stderr
    );
    let step = "02-import-auth";
    assert_eq!(
        read_json(root.join("amplify/backend/backend-config.json")),
        fixture_json(step, "amplify/backend/backend-config.json", &corp)
    );
    assert_eq!(
        read_json(root.join("amplify/backend/amplify-meta.json"))["auth"],
        fixture_json(step, "amplify/backend/amplify-meta.json", &corp)["auth"]
    );
    assert_eq!(
        read_json(root.join("amplify/backend/auth/peerproj/parameters.json")),
        fixture_json(step, "amplify/backend/auth/peerproj/parameters.json", &corp)
    );
    assert_eq!(
        read_json(root.join("amplify/team-provider-info.json"))["dev"]["categories"],
        fixture_json(step, "amplify/team-provider-info.json", &corp)["dev"]["categories"]
    );
    // Byte layout of Amplify's files too (key order, indentation, no newline).
    assert_eq!(
        std::fs::read_to_string(root.join("amplify/backend/auth/peerproj/parameters.json"))
            .unwrap(),
        serde_json::to_string_pretty(&fixture_json(
            step,
            "amplify/backend/auth/peerproj/parameters.json",
            &corp
        ))
        .unwrap()
    );
    // Client files are not touched by the import.
    assert_eq!(
        read_json(root.join("src/amplifyconfiguration.json")),
        json!({"aws_project_region": "us-east-1"})
    );
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status.stdout.contains("\"operation\":\"Import\""),
        "{}",
        status.stdout
    );

    emu.reset_calls();
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Only reads: the ids are checked before anything is written.
    let calls = emu.calls();
    assert!(
        calls
            .iter()
            .all(|c| c.contains(":Describe") || c.contains(":Get")),
        "{calls:?}"
    );
    assert_eq!(calls.len(), 6, "{calls:?}");
    let step = "04-push-dev";
    for f in ["src/aws-exports.js", "src/amplifyconfiguration.json"] {
        let expected = std::fs::read_to_string(fixture(step).join(f)).unwrap();
        let expected = expected
            .replace(
                "us-east-1_32082fdab595e071697a5d414cd990a2c5514211fa3e9",
                &corp.user_pool_id,
            )
            .replace("f7076200639858176d6a266e51", &corp.web_client_id)
            .replace(
                "us-east-1:fc09d42c-9bdf-4f0b-ae1a-6deec2ee34d4",
                &corp.identity_pool_id,
            );
        assert_eq!(
            std::fs::read_to_string(root.join(f)).unwrap(),
            expected,
            "{f}"
        );
    }
    let mut pushed_meta = read_json(root.join("amplify/#current-cloud-backend/amplify-meta.json"));
    let stamp = pushed_meta["auth"]["peerproj"]["lastPushTimeStamp"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(stamp.len(), "2026-11-22T05:14:05.897Z".len(), "{stamp}");
    pushed_meta["auth"]["peerproj"]["lastPushTimeStamp"] = json!("2026-11-22T05:14:05.897Z");
    assert_eq!(
        pushed_meta["auth"],
        fixture_json(
            step,
            "amplify/#current-cloud-backend/amplify-meta.json",
            &corp
        )["auth"]
    );
    assert_eq!(
        read_json(root.join("amplify/#current-cloud-backend/backend-config.json")),
        fixture_json(
            step,
            "amplify/#current-cloud-backend/backend-config.json",
            &corp
        )
    );
    assert_eq!(
        read_json(root.join("amplify/#current-cloud-backend/auth/peerproj/parameters.json")),
        fixture_json(
            step,
            "amplify/#current-cloud-backend/auth/peerproj/parameters.json",
            &corp
        )
    );
    assert_valid_outputs(&root.join("amplify_outputs.json"));
    let outputs = read_json(root.join("amplify_outputs.json"));
    assert_eq!(outputs["version"], "1");
    assert_eq!(
        outputs["auth"]["user_pool_client_id"],
        corp.web_client_id.as_str()
    );
    assert_eq!(outputs["auth"]["unauthenticated_identities_enabled"], true);
    assert_eq!(outputs["auth"]["username_attributes"], json!(["email"]));

    // Pushed import: nothing to do, no AWS call, nothing written.
    emu.reset_calls();
    let before = snapshot(root);
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
    assert!(emu.calls().is_empty());
    assert_eq!(before, snapshot(root));
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(status.stdout.contains("\"operation\":\"No Change\""));
}

#[test]
fn interactive_walkthrough_picks_pool_clients_and_identity_pool() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let corp = seed.corp();
    // A second pool that cannot be imported: its only client has a secret.
    let bad = seed.user_pool("apps-secret-only");
    seed.client(&bad, "server", true);
    let dir = project_on(&emu.url(), "javascript");
    let mut p = ScriptedPrompter::new([
        (
            "What type of auth resource",
            Reply::Pick("User Pool and Identity Pool".into()),
        ),
        (
            "Select the User Pool",
            Reply::Pick("apps-secret-only".into()),
        ),
        ("Select the User Pool", Reply::Pick("corp-users".into())),
        ("Select a Native client", Reply::Pick("corp-native".into())),
        ("Link these resources", Reply::Confirm(true)),
    ]);
    let out = run_scripted(dir.path(), &["import", "auth"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(out.script_finished);
    // Pools are labelled "<Name> (<Id>)" and sorted.
    let labels: Vec<&String> = out
        .transcript
        .iter()
        .filter(|l| l.starts_with("  ") && l.contains("us-east-1_"))
        .collect();
    assert_eq!(labels[0], &format!("  apps-secret-only ({bad})"));
    assert_eq!(labels[1], &format!("  corp-users ({})", corp.user_pool_id));
    assert!(
        out.transcript
            .iter()
            .any(|l| l.ends_with("(has app client secret)")),
        "{:?}",
        out.transcript
    );
    let h = &out.human;
    assert!(h.contains("Using service: Cognito, provided by: awscloudformation"));
    assert!(
        h.contains(
            "The selected Cognito User Pool does not have at least 1 Web app client configured."
        ),
        "{h}"
    );
    assert!(
        h.contains("✔ Only one Web app client found: 'corp-web' was automatically selected."),
        "{h}"
    );
    assert!(h.contains("The User Pool has multiple Native app clients configured."));
    assert!(h.contains(&format!(
        "✔ Only one Identity Pool resource found: 'corp_identity' ({}) was automatically selected.",
        corp.identity_pool_id
    )));
    assert!(h.contains(
        "✔ Federated identity providers are not configured, no OAuth configuration needed."
    ));
    assert!(h.contains(&format!(
        "Auth role:      arn:aws:iam::{}:role/corp-auth-role",
        emu.account_id()
    )));
    assert!(h.contains("✅ Cognito User Pool 'corp-users' and Identity Pool 'corp_identity' was successfully imported."), "{h}");
    assert!(h.contains("Next steps:"));
    // The interactive name carries 8 hex characters.
    let backend = read_json(dir.path().join("amplify/backend/backend-config.json"));
    let name = backend["auth"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    assert!(name.starts_with("peerproj") && name.len() == 16, "{name}");
    assert!(!h.contains("⚠️"), "no warnings for a correct setup: {h}");
}

#[test]
fn declining_the_summary_changes_nothing() {
    let emu = Emulator::start();
    Seeder::new(&emu, "us-east-1").corp();
    let dir = project_on(&emu.url(), "javascript");
    let before = snapshot(dir.path());
    let mut p = ScriptedPrompter::new([
        (
            "What type of auth resource",
            Reply::Pick("User Pool only".into()),
        ),
        ("Select a Native client", Reply::Pick("corp-web".into())),
        ("Do you want to change this?", Reply::Confirm(false)),
        ("Link these resources", Reply::Confirm(false)),
    ]);
    let out = run_scripted(dir.path(), &["import", "auth"], &mut p);
    assert!(
        out.result
            .unwrap_err()
            .contains("Import cancelled; nothing was changed.")
    );
    assert!(
        out.human.contains("✔ Only one Cognito User Pool ("),
        "{}",
        out.human
    );
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let emu = Emulator::start();
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    let before = snapshot(root);
    let check = |args: &[&str], expect: &str| {
        let r = run(authwiz(root).args(args));
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{args:?}: {}", r.stderr);
        assert_eq!(before, snapshot(root), "{args:?}");
    };
    // Ids are checked before any call.
    emu.reset_calls();
    check(
        &["import", "auth", "--yes", "--user-pool-id", "nope"],
        "'nope' is not a valid user pool id (expected something like us-east-1_AbCdEf123) (from --user-pool-id).",
    );
    check(
        &[
            "import",
            "auth",
            "--yes",
            "--user-pool-id",
            "us-east-1_abc",
            "--identity-pool-id",
            "us-east-1_x",
        ],
        "is not a valid identity pool id",
    );
    check(
        &[
            "import",
            "auth",
            "--user-pool-id",
            "eu-west-1_abc",
            "--web-client-id",
            "w",
            "--native-client-id",
            "n",
        ],
        "User pool eu-west-1_abc is in region eu-west-1, but environment 'dev' uses us-east-1.",
    );
    assert!(emu.calls().is_empty());
    // No pools in the region.
    check(
        &["import", "auth"],
        "No answer for \"What type of auth resource do you want to import?\"",
    );
    let mut p = ScriptedPrompter::new([("What type", Reply::Pick("User Pool only".into()))]);
    let out = run_scripted(root, &["import", "auth"], &mut p);
    let err = out.result.unwrap_err();
    assert!(
        err.contains("No Cognito User Pools were found in the configured region: us-east-1."),
        "{err}"
    );
    // With --yes, a missing id names its flag.
    let seed = Seeder::new(&emu, "us-east-1");
    let corp = seed.corp();
    check(
        &[
            "import",
            "auth",
            "--yes",
            "--user-pool-id",
            &corp.user_pool_id,
        ],
        "missing: --web-client-id ID, --native-client-id ID.",
    );
    check(
        &["import", "auth", "--yes"],
        "missing: --user-pool-id ID, --web-client-id ID, --native-client-id ID.",
    );
    // Ids that do not exist.
    check(
        &[
            "import",
            "auth",
            "--yes",
            "--user-pool-id",
            "us-east-1_DoesNotExist1",
            "--web-client-id",
            "w",
            "--native-client-id",
            "n",
        ],
        "User pool us-east-1_DoesNotExist1 does not exist in us-east-1.",
    );
    let with = |web: &str, native: &str, ip: Option<&str>| {
        let mut v = vec![
            "import",
            "auth",
            "--yes",
            "--user-pool-id",
            &corp.user_pool_id,
            "--web-client-id",
            web,
            "--native-client-id",
            native,
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        if let Some(ip) = ip {
            v.extend(["--identity-pool-id".to_string(), ip.to_string()]);
        }
        v
    };
    // A first import names what is wrong with each id and lists the valid choices.
    let r = run(authwiz(root).args(with("nosuchclient", &corp.native_client_id, None)));
    assert!(
        r.stderr.contains(&format!(
            "App client nosuchclient is not a client of user pool {} (given as the web client).",
            corp.user_pool_id
        )) && r.stderr.contains(&corp.web_client_id),
        "{}",
        r.stderr
    );
    let r = run(authwiz(root).args(with(&corp.native_client_id, &corp.native_client_id, None)));
    assert!(
        r.stderr
            .contains("has a client secret, so it cannot be the web client"),
        "{}",
        r.stderr
    );
    let r = run(authwiz(root).args(with(&corp.web_client_id, "nosuchclient", None)));
    assert!(
        r.stderr.contains(&format!(
            "App client nosuchclient is not a client of user pool {} (given as the native client).",
            corp.user_pool_id
        )),
        "{}",
        r.stderr
    );
    let r = run(authwiz(root).args(with(
        &corp.web_client_id,
        &corp.native_client_id,
        Some("us-east-1:00000000-0000-0000-0000-000000000000"),
    )));
    assert!(
        r.stderr.contains("Identity pool us-east-1:00000000-0000-0000-0000-000000000000 does not exist in us-east-1.")
            && r.stderr.contains(&corp.identity_pool_id),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
}

#[test]
fn identity_pool_requirements_and_roles() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let pool = seed.user_pool("solo");
    let (web, _) = seed.client(&pool, "web", false);
    let (native, _) = seed.client(&pool, "native", true);
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    // No identity pool uses this user pool.
    let mut p = ScriptedPrompter::new([(
        "What type",
        Reply::Pick("User Pool and Identity Pool".into()),
    )]);
    let out = run_scripted(root, &["import", "auth"], &mut p);
    let err = out.result.unwrap_err();
    assert!(err.contains(&format!("Only one Cognito User Pool '{pool}' found, but it does not meet the requirements for import:")), "{err}");
    assert!(err.contains("There are no Identity Pools found which has the selected Cognito User Pool configured as identity provider."), "{err}");

    // An identity pool that names only the web client: the selected native client is not in it.
    let only_web = seed.identity_pool("only_web", &pool, &[&web], true);
    let r = import_yes(root, &pool, &web, &native, &only_web);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Identity pool 'only_web' ("),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "does not use user pool {pool} with clients {web} and {native}"
        )),
        "{}",
        r.stderr
    );

    // Roles missing.
    let ip = seed.identity_pool("both", &pool, &[&web, &native], true);
    let args = [
        "import",
        "auth",
        "--yes",
        "--user-pool-id",
        &pool,
        "--web-client-id",
        &web,
        "--native-client-id",
        &native,
        "--identity-pool-id",
        &ip,
    ];
    let r = run(authwiz(root).args(args));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "Cannot import Identity Pool without 'authenticated' and 'unauthenticated' roles."
        ),
        "{}",
        r.stderr
    );
    // An auth role with a path, and no unauth role while guests are allowed: still refused.
    let auth = seed.role(
        "app-auth",
        "/service-role/team/",
        &trust_policy(&ip, "authenticated"),
    );
    seed.set_roles(&ip, Some(&auth), None);
    let r = run(authwiz(root).args(args));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "Cannot import Identity Pool without 'authenticated' and 'unauthenticated' roles."
        ) && r.stderr.contains("identity pool 'both'"),
        "refused for the missing unauth role (the auth role's path parsed): {}",
        r.stderr
    );
    assert!(!r.stderr.contains("Cannot parse arn"), "{}", r.stderr);

    // Without unauthenticated identities the unauth role is optional.
    let no_guest = seed.identity_pool("noguest", &pool, &[&web, &native], false);
    seed.set_roles(&no_guest, Some(&auth), None);
    let r = import_yes(root, &pool, &web, &native, &no_guest);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Unauth role:    none"), "{}", r.stderr);
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    let params = tpi["dev"]["categories"]["auth"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .clone();
    assert_eq!(params["authRoleName"], "app-auth");
    assert_eq!(params["authRoleArn"], auth.as_str());
    assert_eq!(params["allowUnauthenticatedIdentities"], false);
    assert!(params.get("unauthRoleArn").is_none() && params.get("unauthRoleName").is_none());
}

#[test]
fn trust_policy_problems_are_warnings_with_the_fix() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let pool = seed.user_pool("p");
    let (web, _) = seed.client(&pool, "web", false);
    let (native, _) = seed.client(&pool, "native", true);
    let ip = seed.identity_pool("ip", &pool, &[&web, &native], true);
    let auth = seed.role(
        "a",
        "/",
        &trust_policy("us-east-1:someone-else", "authenticated"),
    );
    let unauth_trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": ip}}}]});
    let unauth = seed.role("u", "/", &unauth_trust.to_string());
    seed.set_roles(&ip, Some(&auth), Some(&unauth));
    let dir = project_on(&emu.url(), "javascript");
    let trust_before = (seed.trust_policy("a"), seed.trust_policy("u"));
    emu.reset_calls();
    let r = import_yes(dir.path(), &pool, &web, &native, &ip);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let calls = emu.calls();
    assert!(
        r.stderr.contains(&format!(
            "IAM role 'a' trust policy does not name identity pool {ip}"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("IAM role 'u' trust policy lacks the cognito-identity.amazonaws.com:amr = \"unauthenticated\" condition"), "{}", r.stderr);
    assert!(r.stderr.contains("authwiz never changes trust policies."));
    // The roles are untouched: IAM was only read, and the trust policies are as seeded.
    let iam: Vec<&String> = calls.iter().filter(|c| c.starts_with("iam:")).collect();
    assert!(
        !iam.is_empty() && iam.iter().all(|c| *c == "iam:GetRole"),
        "{calls:?}"
    );
    assert_eq!(
        trust_before,
        (seed.trust_policy("a"), seed.trust_policy("u"))
    );
}

#[test]
fn already_imported_is_idempotent_with_the_same_ids_only() {
    let emu = Emulator::start();
    let corp = Seeder::new(&emu, "us-east-1").corp();
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    assert_eq!(headless(root, &payload(&corp, true)).code, 0);
    let before = snapshot(root);
    emu.reset_calls();
    let r = headless(root, &payload(&corp, true));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Auth resource 'peerproj' already imports these resources in environment 'dev'; nothing to change."));
    let r = run(authwiz(root)
        .args(["import", "auth", "--yes"])
        .args(id_flags(&corp)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(emu.calls().is_empty());
    let r = headless(root, &payload(&corp, false));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "Auth has already been imported to this project and cannot be modified from the CLI."
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("authwiz remove auth peerproj"));
    let mut p = ScriptedPrompter::new(Vec::<(&str, Reply)>::new());
    let out = run_scripted(root, &["import", "auth"], &mut p);
    assert!(
        out.result
            .unwrap_err()
            .contains("Auth has already been imported")
    );
    assert_eq!(before, snapshot(root));
}

#[test]
fn headless_payload_errors() {
    let dir = project_on("http://127.0.0.1:9", "javascript");
    for (payload, expect) in [
        ("", "No input received on stdin"),
        (
            "{\"userPoolId\": \"x\"}",
            "data does not have a top level \"version\" field",
        ),
        ("{\"version\": 3}", "No schema found for version 3"),
        (
            "{\"version\": 1, \"userPoolId\": \"us-east-1_a\"}",
            "missing required key \"webClientId\"",
        ),
        (
            "{\"version\": 1, \"userPoolId\": \"us-east-1_a\", \"webClientId\": \"w\", \"nativeClientId\": \"bad id\"}",
            "'bad id' is not a valid app client id",
        ),
    ] {
        let r = headless(dir.path(), payload);
        assert_eq!(r.code, 1, "{payload}");
        assert!(r.stderr.contains(expect), "{payload}: {}", r.stderr);
    }
}

#[test]
fn list_user_pools_denied_lets_the_user_type_the_id() {
    let emu = Emulator::start();
    let corp = Seeder::new(&emu, "us-east-1").corp();
    let proxy = crate::support::proxy::Proxy::start(emu.port);
    proxy.fail("ListUserPools", 400, "AccessDeniedException", None);
    let dir = project_on(&proxy.url(), "javascript");
    let mut p = ScriptedPrompter::new([
        ("What type", Reply::Pick("User Pool only".into())),
        ("Enter the User Pool ID", Reply::Text("not-an-id".into())),
        (
            "Enter the User Pool ID",
            Reply::Text(corp.user_pool_id.clone()),
        ),
        ("Select a Native client", Reply::Pick("corp-native".into())),
        ("Link these resources", Reply::Confirm(true)),
    ]);
    let out = run_scripted(dir.path(), &["import", "auth"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(
        out.human.contains("cognito-idp:ListUserPools"),
        "{}",
        out.human
    );
    assert!(
        out.transcript
            .iter()
            .any(|l| l.contains("is not a valid user pool id"))
    );
}

#[test]
fn oauth_settings_flow_into_every_client_file() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let pool = seed.user_pool("social");
    seed.domain(&pool, "social-login");
    let web = seed.oauth_client(
        &pool,
        "web",
        false,
        &["COGNITO", "Google"],
        &["http://localhost:3000/"],
        &["http://localhost:3000/"],
    );
    let native = seed.oauth_client(
        &pool,
        "native",
        true,
        &["COGNITO", "Google"],
        &["myapp://"],
        &["myapp://"],
    );
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    // Different callback URLs only: headless goes on, each client keeps its URLs.
    let payload =
        json!({"version": 1, "userPoolId": pool, "webClientId": web, "nativeClientId": native})
            .to_string();
    let r = headless(root, &payload);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("differ only in their callback and logout URLs"),
        "{}",
        r.stderr
    );
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let js = read_json(root.join("src/amplifyconfiguration.json"));
    assert_eq!(
        js["oauth"],
        json!({"domain": "social-login.auth.us-east-1.amazoncognito.com", "scope": ["openid", "email"],
               "redirectSignIn": "http://localhost:3000/", "redirectSignOut": "http://localhost:3000/", "responseType": "code"})
    );
    assert_eq!(js["federationTarget"], "COGNITO_USER_POOLS");
    assert_eq!(js["aws_cognito_social_providers"], json!(["GOOGLE"]));
    assert_valid_outputs(&root.join("amplify_outputs.json"));
    let outputs = read_json(root.join("amplify_outputs.json"));
    assert_eq!(
        outputs["auth"]["oauth"],
        json!({"identity_providers": ["GOOGLE"], "redirect_sign_in_uri": ["http://localhost:3000/"],
               "redirect_sign_out_uri": ["http://localhost:3000/"], "response_type": "code",
               "scopes": ["openid", "email"], "domain": "social-login.auth.us-east-1.amazoncognito.com"})
    );
    let params = read_json(root.join("amplify/backend/auth/peerproj/parameters.json"));
    assert_eq!(params["authProvidersUserPool"], json!(["Google"]));
}

#[test]
fn oauth_mismatch_is_shown_and_headless_refuses() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let pool = seed.user_pool("social");
    let web = seed.oauth_client(
        &pool,
        "web",
        false,
        &["COGNITO", "Google"],
        &["http://localhost:3000/"],
        &[],
    );
    let native = seed.oauth_client(
        &pool,
        "native",
        true,
        &["COGNITO"],
        &["http://localhost:3000/"],
        &[],
    );
    let other = seed.oauth_client(
        &pool,
        "web2",
        false,
        &["COGNITO", "Google"],
        &["http://localhost:3000/"],
        &[],
    );
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    let payload =
        json!({"version": 1, "userPoolId": pool, "webClientId": web, "nativeClientId": native})
            .to_string();
    let r = headless(root, &payload);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("OAuth properties for the app clients are not matching."),
        "{}",
        r.stderr
    );
    // Interactive: the tables, then new clients.
    let mut p = ScriptedPrompter::new([
        ("What type", Reply::Pick("User Pool only".into())),
        ("Select a Web client", Reply::Pick("web (".into())),
        ("Select a Native client", Reply::Pick("native".into())),
        ("Select a Web client", Reply::Pick("web (".into())),
        (
            "Select a Native client",
            Reply::Pick(format!("web2 ({other})")),
        ),
        ("Link these resources", Reply::Confirm(true)),
    ]);
    let out = run_scripted(root, &["import", "auth"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    let h = &out.human;
    assert!(h.contains("The following OAuth properties are not matching:"));
    assert!(h.contains("Configured Identity Providers:\n| web     | native  |\n| ------- | ------- |\n| COGNITO | COGNITO |\n| Google  |         |"), "{h}");
    assert!(h.contains("Select new app clients"));
    // OAuth without a sign-out URL: full block plus a warning.
    assert!(h.contains("has OAuth enabled but no sign-out URL"), "{h}");
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    let js = read_json(root.join("src/amplifyconfiguration.json"));
    assert_eq!(js["oauth"]["redirectSignOut"], "");
    assert_eq!(js["oauth"]["redirectSignIn"], "http://localhost:3000/");
    assert!(
        read_json(root.join("amplify_outputs.json"))["auth"]
            .get("oauth")
            .is_none(),
        "the v1 schema needs a sign-out URL"
    );
}

#[test]
fn saml_only_clients_get_the_full_oauth_block_and_client_files_agree_with_parameters() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let pool = seed.user_pool("enterprise");
    seed.domain(&pool, "corp-sso");
    let web = seed.oauth_client(
        &pool,
        "web",
        false,
        &["CorpSAML"],
        &["https://app.example.com/"],
        &["https://app.example.com/"],
    );
    let native = seed.oauth_client(
        &pool,
        "native",
        true,
        &["CorpSAML"],
        &["https://app.example.com/"],
        &["https://app.example.com/"],
    );
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    let payload =
        json!({"version": 1, "userPoolId": pool, "webClientId": web, "nativeClientId": native})
            .to_string();
    assert_eq!(headless(root, &payload).code, 0);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    let js = read_json(root.join("src/amplifyconfiguration.json"));
    assert_eq!(
        js["oauth"]["domain"],
        "corp-sso.auth.us-east-1.amazoncognito.com"
    );
    assert_eq!(js["oauth"]["redirectSignIn"], "https://app.example.com/");
    assert_eq!(js["oauth"]["responseType"], "code");
    assert_eq!(js["aws_cognito_social_providers"], json!([]));
    assert_valid_outputs(&root.join("amplify_outputs.json"));
    let outputs = read_json(root.join("amplify_outputs.json"));
    assert_eq!(outputs["auth"]["oauth"]["identity_providers"], json!([]));
    assert_eq!(
        outputs["auth"]["oauth"]["scopes"],
        json!(["openid", "email"])
    );

    // A hand edit of parameters.json is replaced by what the pool says on the next
    // env init, and the client files agree with the file that is written.
    let params_path = root.join("amplify/backend/auth/peerproj/parameters.json");
    let mut params = read_json(&params_path);
    params["passwordPolicyMinLength"] = json!(12);
    std::fs::write(&params_path, serde_json::to_string_pretty(&params).unwrap()).unwrap();
    // An Amplify-made meta may lack frontendAuthConfig: it is derived again.
    let meta_path = root.join("amplify/backend/amplify-meta.json");
    let mut meta = read_json(&meta_path);
    meta["auth"]["peerproj"]
        .as_object_mut()
        .unwrap()
        .remove("frontendAuthConfig");
    std::fs::write(&meta_path, serde_json::to_string_pretty(&meta).unwrap()).unwrap();
    assert_eq!(
        run(authwiz(root).args(["env", "checkout", "dev", "--yes"])).code,
        0
    );
    let js = read_json(root.join("src/amplifyconfiguration.json"));
    let written = read_json(&params_path)["passwordPolicyMinLength"].clone();
    assert_eq!(written, 10, "the pool's policy");
    assert_eq!(
        js["aws_cognito_password_protection_settings"]["passwordPolicyMinLength"], written,
        "{js}"
    );
    assert_eq!(js["aws_cognito_username_attributes"], json!(["EMAIL"]));
}
