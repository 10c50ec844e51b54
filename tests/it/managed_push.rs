//! `push` of Amplify-managed auth against the emulator: create, a second push
//! that changes nothing, update in place, remove and delete; the client files
//! and Amplify's outputs after each.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

pub(crate) fn payload(name: &str) -> String {
    std::fs::read_to_string(
        repo()
            .join("tests/fixtures/amplify-cli-14.2.2-managed/payloads")
            .join(format!("{name}.json")),
    )
    .unwrap()
}

pub(crate) fn headless_cmd(root: &Path, home: &Path, args: &[&str], body: &str) -> Run {
    with_stdin(authwiz(root).env("HOME", home).args(args), body)
}

pub(crate) fn push(root: &Path, home: &Path, extra: &[&str]) -> Run {
    run(authwiz(root)
        .env("HOME", home)
        .args(["push", "--yes"])
        .args(extra))
}

pub(crate) fn auth_output(root: &Path, res: &str) -> Value {
    read_json(root.join("amplify/backend/amplify-meta.json"))["auth"][res]["output"].clone()
}

pub(crate) fn only_auth_resource(root: &Path) -> String {
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    meta["auth"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["service"] == "Cognito")
        .map(|(k, _)| k.clone())
        .unwrap()
}

#[test]
fn default_managed_auth_is_created_updated_and_deleted() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    let r = headless_cmd(
        root,
        home.path(),
        &["add", "auth", "--headless"],
        &payload("add-default"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let res = only_auth_resource(root);
    emu.reset_calls();

    // Create.
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let calls = emu.calls();
    let out = auth_output(root, &res);
    let pool_id = out["UserPoolId"].as_str().unwrap().to_string();
    let identity_pool_id = out["IdentityPoolId"].as_str().unwrap().to_string();
    let keys: Vec<&str> = out
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "IdentityPoolId",
            "IdentityPoolName",
            "UserPoolId",
            "UserPoolArn",
            "UserPoolName",
            "AppClientIDWeb",
            "AppClientID"
        ]
    );
    let mutating: Vec<&String> = calls
        .iter()
        .filter(|c| !c.contains(":Describe") && !c.contains(":Get") && !c.contains(":List"))
        .collect();
    assert!(
        calls.len() <= 24,
        "no more calls than the Amplify CLI's 24: {calls:#?}"
    );
    assert_eq!(
        mutating
            .iter()
            .filter(|c| c.ends_with("CreateUserPool"))
            .count(),
        1,
        "{calls:#?}"
    );
    let seeder = Seeder::new(&emu, "us-east-1");
    let pool = seeder.describe_pool(&pool_id);
    assert!(pool.name().unwrap().ends_with("-dev"));
    let roles = seeder
        .rt
        .block_on(
            seeder
                .identity()
                .get_identity_pool_roles()
                .identity_pool_id(&identity_pool_id)
                .send(),
        )
        .unwrap();
    let auth_role_arn = roles.roles().unwrap()["authenticated"].clone();
    let auth_role = auth_role_arn.rsplit('/').next().unwrap().to_string();
    let trust = seeder.trust_policy(&auth_role);
    assert_eq!(
        trust["Statement"][0]["Condition"]["StringEquals"]["cognito-identity.amazonaws.com:aud"],
        json!(identity_pool_id)
    );
    // The env records its roles as the Amplify CLI's root stack does.
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    assert_eq!(
        tpi["dev"]["awscloudformation"]["AuthRoleName"],
        json!(auth_role)
    );
    assert_eq!(
        tpi["dev"]["awscloudformation"]["AuthRoleArn"],
        json!(auth_role_arn)
    );
    let exports = std::fs::read_to_string(root.join("src/aws-exports.js")).unwrap();
    assert!(exports.contains(&pool_id), "{exports}");
    assert!(exports.contains(&identity_pool_id), "{exports}");
    assert_eq!(
        assert_valid_outputs(&root.join("amplify_outputs.json")),
        "1"
    );
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        !status.stdout.contains("\"Create\""),
        "{}\n{}",
        status.stdout,
        std::fs::read_to_string(root.join("amplify/backend/amplify-meta.json")).unwrap()
    );

    // A second env gets its own resources; each env keeps its own ids.
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["env", "add", "prod", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let prod_pool = auth_output(root, &res)["UserPoolId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(prod_pool, pool_id);
    let prod = seeder.describe_pool(&prod_pool);
    assert!(prod.name().unwrap().ends_with("-prod"));
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(auth_output(root, &res)["UserPoolId"], json!(pool_id));
    let exports = std::fs::read_to_string(root.join("src/aws-exports.js")).unwrap();
    assert!(exports.contains(&pool_id), "{exports}");
    // Removing the env's records says what it leaves in the cloud.
    let r = run(authwiz(root).args(["env", "remove", "prod", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("user pool {prod_pool}")) && r.stderr.contains("stays there"),
        "{}",
        r.stderr
    );

    // Nothing changed: no call at all.
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
    assert!(emu.calls().is_empty(), "{:?}", emu.calls());

    // Update in place: the same pool, the new password policy.
    let r = headless_cmd(
        root,
        home.path(),
        &["update", "auth", "--headless"],
        &payload("update-default"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    emu.reset_calls();
    let r = push(root, home.path(), &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("minLength: 8 → 10"), "{}", r.stderr);
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let calls = emu.calls();
    assert!(
        calls.iter().any(|c| c.ends_with(":UpdateUserPool")),
        "{calls:#?}"
    );
    assert!(!calls.iter().any(|c| c.contains(":Create")), "{calls:#?}");
    assert_eq!(auth_output(root, &res)["UserPoolId"], json!(pool_id));
    let pool = seeder.describe_pool(&pool_id);
    let policy = pool.policies().unwrap().password_policy().unwrap().clone();
    assert_eq!(policy.minimum_length(), Some(10));
    assert!(policy.require_numbers() && policy.require_uppercase());

    // Remove, then push deletes what was created (the env's roles stay).
    seeder.user(&pool_id, "someone@example.com", "Passw0rd!Passw0rd");
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = push(root, home.path(), &[]);
    assert_ne!(r.code, 0, "a pool with users is not deleted by --yes alone");
    assert!(r.stderr.contains("--delete-users"), "{}", r.stderr);
    assert!(
        seeder
            .rt
            .block_on(
                seeder
                    .idp()
                    .describe_user_pool()
                    .user_pool_id(&pool_id)
                    .send()
            )
            .is_ok()
    );
    let r = push(root, home.path(), &["--delete-users"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        seeder
            .rt
            .block_on(
                seeder
                    .idp()
                    .describe_user_pool()
                    .user_pool_id(&pool_id)
                    .send()
            )
            .is_err()
    );
    // A backup of the pool's users was written first, and says where.
    assert!(
        r.stderr.contains("Backed up the deleted user pool"),
        "{}",
        r.stderr
    );
    let backups = root.join("amplify/.config/local-authwiz-backups/dev");
    let file = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .next()
        .unwrap();
    let backup = read_json(file.path());
    assert_eq!(backup["userPoolId"], json!(pool_id));
    assert_eq!(
        backup["users"][0]["attributes"]["email"],
        "someone@example.com"
    );
    assert!(seeder.describe_identity_pool(&identity_pool_id).is_none());
    assert!(
        seeder
            .rt
            .block_on(seeder.iam().get_role().role_name(&auth_role).send())
            .is_ok(),
        "the env's roles stay with the env"
    );
    assert!(
        !root
            .join("amplify/#current-cloud-backend/auth")
            .join(&res)
            .exists()
    );
}

/// A project whose calls go through a fault proxy, with `payload` added.
pub(crate) fn added_behind_a_proxy(
    emu: &Emulator,
    payload_name: &str,
) -> (
    crate::support::proxy::Proxy,
    tempfile::TempDir,
    tempfile::TempDir,
) {
    let proxy = crate::support::proxy::Proxy::start(emu.port);
    let home = tempfile::tempdir().unwrap();
    let dir = project_on(&proxy.url(), "javascript");
    let r = headless_cmd(
        dir.path(),
        home.path(),
        &["add", "auth", "--headless"],
        &payload(payload_name),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    (proxy, home, dir)
}

pub(crate) fn added(emu: &Emulator, home: &Path, name: &str) -> tempfile::TempDir {
    let dir = project_on(&emu.url(), "javascript");
    let r = headless_cmd(
        dir.path(),
        home,
        &["add", "auth", "--headless"],
        &payload(name),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

#[test]
fn mfa_and_groups_are_deployed_and_a_lost_record_makes_no_duplicate() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-mfa");
    let root = dir.path();
    let before = tempfile::tempdir().unwrap();
    copy_tree(&root.join("amplify"), before.path());
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let out = auth_output(root, "mfaauth");
    let pool_id = out["UserPoolId"].as_str().unwrap().to_string();
    assert!(
        out["CreatedSNSRole"]
            .as_str()
            .unwrap()
            .contains(":role/sns"),
        "{out}"
    );
    let seeder = Seeder::new(&emu, "us-east-1");
    let mfa = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .get_user_pool_mfa_config()
                .user_pool_id(&pool_id)
                .send(),
        )
        .unwrap();
    assert_eq!(mfa.mfa_configuration().unwrap().as_str(), "OPTIONAL");
    assert!(mfa.sms_mfa_configuration().is_some());
    assert!(mfa.software_token_mfa_configuration().unwrap().enabled());
    // Groups with their roles, as Amplify's userPoolGroups outputs them.
    let groups = read_json(root.join("amplify/backend/amplify-meta.json"))["auth"]["userPoolGroups"]
        ["output"]
        .clone();
    for (group, precedence) in [("admins", 1), ("users", 2)] {
        let arn = groups[format!("{group}GroupRole")].as_str().unwrap();
        assert!(
            arn.ends_with(&format!("role/{pool_id}-{group}GroupRole")),
            "{arn}"
        );
        let g = seeder
            .rt
            .block_on(
                seeder
                    .idp()
                    .get_group()
                    .user_pool_id(&pool_id)
                    .group_name(group)
                    .send(),
            )
            .unwrap();
        let g = g.group().unwrap();
        assert_eq!(g.role_arn(), Some(arn));
        assert_eq!(g.precedence(), Some(precedence));
    }
    let pool = seeder.describe_pool(&pool_id);
    // Groups need amplify_outputs.json version 1.3.
    assert_eq!(
        assert_valid_outputs(&root.join("amplify_outputs.json")),
        "1.3"
    );
    let outputs = read_json(root.join("amplify_outputs.json"));
    assert_eq!(
        outputs["auth"]["groups"],
        json!([{"admins": {"precedence": 1}}, {"users": {"precedence": 2}}])
    );
    let username: Vec<&str> = pool
        .username_attributes()
        .iter()
        .map(|a| a.as_str())
        .collect();
    assert_eq!(username, ["email"]);
    assert_eq!(
        pool.policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(12)
    );

    // The project loses its record of the push (an old checkout): the next push
    // finds what exists by name and creates nothing twice.
    push_without_the_record(&emu, root, home.path(), before.path());
    assert_eq!(auth_output(root, "mfaauth")["UserPoolId"], json!(pool_id));

    // An update of the password policy keeps MFA and the sign-in attributes
    // (UpdateUserPool resets what it is not sent).
    let r = headless_cmd(
        root,
        home.path(),
        &["update", "auth", "--headless"],
        &payload("update-default"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let pool = seeder.describe_pool(&pool_id);
    assert_eq!(pool.mfa_configuration().unwrap().as_str(), "OPTIONAL");
    assert_eq!(pool.username_attributes().len(), 1);
    assert_eq!(
        pool.policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(10)
    );
    let again = push(root, home.path(), &["--dry-run"]);
    assert!(
        again.stderr.contains("No changes detected"),
        "{}",
        again.stderr
    );
}

#[test]
fn hosted_ui_domain_social_provider_and_oauth_clients_are_deployed() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-oauth");
    let root = dir.path();
    let before = tempfile::tempdir().unwrap();
    copy_tree(&root.join("amplify"), before.path());
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        !r.stderr.contains("dummy-google-client-secret"),
        "secrets stay out of the plan"
    );
    let out = auth_output(root, "oauthauth");
    assert_eq!(out["HostedUIDomain"], json!("mgdprojoauth-dev"));
    let pool_id = out["UserPoolId"].as_str().unwrap().to_string();
    let seeder = Seeder::new(&emu, "us-east-1");
    let google = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .describe_identity_provider()
                .user_pool_id(&pool_id)
                .provider_name("Google")
                .send(),
        )
        .unwrap();
    let details = google
        .identity_provider()
        .unwrap()
        .provider_details()
        .unwrap();
    assert_eq!(
        details["client_id"],
        "dummy-google-client-id.apps.googleusercontent.com"
    );
    assert_eq!(details["authorize_scopes"], "openid email profile");
    let web = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .describe_user_pool_client()
                .user_pool_id(&pool_id)
                .client_id(out["AppClientIDWeb"].as_str().unwrap())
                .send(),
        )
        .unwrap();
    let web = web.user_pool_client().unwrap();
    assert_eq!(web.callback_urls(), ["http://localhost:3000/"]);
    let mut providers: Vec<&str> = web
        .supported_identity_providers()
        .iter()
        .map(String::as_str)
        .collect();
    providers.sort();
    assert_eq!(providers, ["COGNITO", "Google"]);
    let exports = std::fs::read_to_string(root.join("src/aws-exports.js")).unwrap();
    assert!(
        exports.contains("mgdprojoauth-dev.auth.us-east-1.amazoncognito.com"),
        "{exports}"
    );
    assert_eq!(
        assert_valid_outputs(&root.join("amplify_outputs.json")),
        "1"
    );
    // Read back, every setting is as wanted: a push without the record sends nothing.
    push_without_the_record(&emu, root, home.path(), before.path());
    assert_eq!(auth_output(root, "oauthauth")["UserPoolId"], json!(pool_id));
    // Google replaced by Facebook: the secret goes to the deployment secrets, the
    // push swaps the providers and the clients' list.
    let update = r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{"oAuth":{"socialProviderConfigurations":[{"provider":"FACEBOOK","clientId":"fb-app","clientSecret":"fb-secret"}]}},"includeIdentityPool":true,"identityPoolModification":{}}}"#;
    let r = headless_cmd(root, home.path(), &["update", "auth", "--headless"], update);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = snapshot(root);
    assert!(
        files
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains("fb-secret")),
        "no secret in the project"
    );
    let secrets =
        std::fs::read_to_string(home.path().join(".aws/amplify/deployment-secrets.json")).unwrap();
    assert!(secrets.contains("fb-secret"), "{secrets}");
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("fb-secret"), "{}", r.stderr);
    let idp = |name: &str| {
        seeder
            .rt
            .block_on(
                seeder
                    .idp()
                    .describe_identity_provider()
                    .user_pool_id(&pool_id)
                    .provider_name(name)
                    .send(),
            )
            .ok()
    };
    assert!(idp("Google").is_none(), "Google was deleted");
    let facebook = idp("Facebook").expect("Facebook was made");
    let details = facebook
        .identity_provider()
        .unwrap()
        .provider_details()
        .unwrap();
    assert_eq!(details["client_id"], "fb-app");
    let web = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .describe_user_pool_client()
                .user_pool_id(&pool_id)
                .client_id(out["AppClientIDWeb"].as_str().unwrap())
                .send(),
        )
        .unwrap();
    let mut providers: Vec<&str> = web
        .user_pool_client()
        .unwrap()
        .supported_identity_providers()
        .iter()
        .map(String::as_str)
        .collect();
    providers.sort();
    assert_eq!(providers, ["COGNITO", "Facebook"]);
    // Removing deletes the domain before the pool (AWS refuses the other order).
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let domain = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .describe_user_pool_domain()
                .domain("mgdprojoauth-dev")
                .send(),
        )
        .unwrap();
    assert!(
        domain
            .domain_description()
            .and_then(|d| d.user_pool_id())
            .is_none()
    );
}

#[test]
fn a_denied_call_mid_push_takes_back_what_the_push_made_and_the_next_push_completes() {
    let emu = Emulator::start();
    let (proxy, home, dir) = added_behind_a_proxy(&emu, "add-default");
    let root = dir.path();
    let res = only_auth_resource(root);
    // The identity pool is refused after the user pool and clients were made.
    proxy.fail("CreateIdentityPool", 400, "AccessDeniedException", Some(1));
    let before = snapshot(root);
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("cognito-identity:CreateIdentityPool")
            && r.stderr.contains(
                "Everything this push made was deleted and everything it changed was put back"
            ),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root), "nothing recorded");
    let seeder = Seeder::new(&emu, "us-east-1");
    let pools = seeder
        .rt
        .block_on(seeder.idp().list_user_pools().max_results(60).send())
        .unwrap();
    assert!(pools.user_pools().is_empty(), "the pool was deleted again");
    // Permission granted: the next push makes everything, once.
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pools = seeder
        .rt
        .block_on(seeder.idp().list_user_pools().max_results(60).send())
        .unwrap();
    assert_eq!(pools.user_pools().len(), 1);
    assert!(auth_output(root, &res)["IdentityPoolId"].is_string());
}

#[test]
fn overrides_are_checked_applied_read_back_and_reach_amplify_outputs() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-mfa");
    let root = dir.path();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let pool_id = auth_output(root, "mfaauth")["UserPoolId"]
        .as_str()
        .unwrap()
        .to_string();

    // The template, then a file with a typo and a broken rule: refused with the fix.
    let r = run(authwiz(root).args(["override", "auth"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = root.join("amplify/backend/auth/mfaauth/override.json");
    assert_eq!(
        read_json(&file),
        json!({"$schema": "https://authwiz.dev/schemas/override.schema.json",
               "userPool": {}, "userPoolClientWeb": {}, "userPoolClient": {}, "identityPool": {}})
    );
    std::fs::write(
        &file,
        json!({"userPool": {"Policies.PasswordPolicy.MinimumLenght": 14,
                            "Policies.SignInPolicy.AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}})
        .to_string(),
    )
    .unwrap();
    let r = run(authwiz(root).args(["override", "auth", "--check"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("nearest valid ones: Policies.PasswordPolicy.MinimumLength"),
        "{}",
        r.stderr
    );
    let before = snapshot(root);
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("override.json cannot be applied"),
        "{}",
        r.stderr
    );
    assert!(emu.calls().is_empty(), "refused before any call");
    assert_eq!(before, snapshot(root));

    // Gen 2's escape-hatch examples, declared.
    let overrides = json!({
        "userPool": {
            "Policies.PasswordPolicy.MinimumLength": 14,
            "Policies.PasswordPolicy.TemporaryPasswordValidityDays": 3,
            "Policies.SignInPolicy.AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN", "EMAIL_OTP"],
            "WebAuthnRelyingPartyID": "localhost",
            "WebAuthnUserVerification": "preferred",
            "UserPoolTier": "ESSENTIALS",
            "MfaConfiguration": "OPTIONAL",
            "EnabledMfas": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
            "EmailAuthenticationMessage": "Your code is {####}",
            "EmailAuthenticationSubject": "Your code",
            "EmailConfiguration.EmailSendingAccount": "DEVELOPER",
            "EmailConfiguration.From": "no-reply@example.com",
            "EmailConfiguration.SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            "AccountRecoverySetting.RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 1}]
        },
        "userPoolClientWeb": {
            "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "AccessTokenValidity": 30,
            "TokenValidityUnits.AccessToken": "minutes"
        }
    });
    std::fs::write(&file, serde_json::to_string_pretty(&overrides).unwrap()).unwrap();
    let r = run(authwiz(root).args(["override", "auth", "--check"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(status.stdout.contains("\"Update\""), "{}", status.stdout);
    let r = push(root, home.path(), &["--dry-run"]);
    assert!(
        r.stderr.contains("UserPoolTier: null → \"ESSENTIALS\""),
        "{}",
        r.stderr
    );
    let pushed_before = tempfile::tempdir().unwrap();
    copy_tree(&root.join("amplify"), pushed_before.path());
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);

    let seeder = Seeder::new(&emu, "us-east-1");
    let pool = seeder.describe_pool(&pool_id);
    let policies = pool.policies().unwrap();
    let password = policies.password_policy().unwrap();
    assert_eq!(password.minimum_length(), Some(14));
    assert_eq!(password.temporary_password_validity_days(), 3);
    let mut factors: Vec<&str> = policies
        .sign_in_policy()
        .unwrap()
        .allowed_first_auth_factors()
        .iter()
        .map(|f| f.as_str())
        .collect();
    factors.sort();
    assert_eq!(factors, ["EMAIL_OTP", "PASSWORD", "WEB_AUTHN"]);
    assert_eq!(pool.user_pool_tier().unwrap().as_str(), "ESSENTIALS");
    assert_eq!(
        pool.email_configuration().unwrap().from(),
        Some("no-reply@example.com")
    );
    let mfa = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .get_user_pool_mfa_config()
                .user_pool_id(&pool_id)
                .send(),
        )
        .unwrap();
    assert_eq!(
        mfa.email_mfa_configuration().unwrap().message(),
        Some("Your code is {####}")
    );
    assert_eq!(
        mfa.web_authn_configuration().unwrap().relying_party_id(),
        Some("localhost")
    );
    assert!(mfa.software_token_mfa_configuration().unwrap().enabled());
    assert!(
        mfa.sms_mfa_configuration().is_none(),
        "EnabledMfas replaced SMS"
    );
    let web = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .describe_user_pool_client()
                .user_pool_id(&pool_id)
                .client_id(
                    auth_output(root, "mfaauth")["AppClientIDWeb"]
                        .as_str()
                        .unwrap(),
                )
                .send(),
        )
        .unwrap();
    let web = web.user_pool_client().unwrap();
    let flows: Vec<&str> = web
        .explicit_auth_flows()
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert!(flows.contains(&"ALLOW_USER_AUTH"), "{flows:?}");
    assert_eq!(web.access_token_validity(), Some(30));

    // amplify_outputs.json: passwordless and email MFA need version 1.4.
    assert_eq!(
        assert_valid_outputs(&root.join("amplify_outputs.json")),
        "1.4"
    );
    let outputs = read_json(root.join("amplify_outputs.json"));
    assert_eq!(outputs["auth"]["mfa_methods"], json!(["TOTP", "EMAIL"]));
    assert_eq!(outputs["auth"]["password_policy"]["min_length"], json!(14));
    assert_eq!(
        outputs["auth"]["passwordless"],
        json!({"email_otp_enabled": true, "sms_otp_enabled": false,
               "web_authn": {"relying_party_id": "localhost", "user_verification": "preferred"}})
    );

    // The Gen 1 files carry what their format can: TOTP (not EMAIL), the rules.
    let config = read_json(root.join("src/amplifyconfiguration.json"));
    assert_eq!(config["aws_cognito_mfa_types"], json!(["TOTP"]));
    assert_eq!(
        config["aws_cognito_password_protection_settings"]["passwordPolicyMinLength"],
        json!(14)
    );

    // Read back, every override equals what was set: without the record, the
    // push sends nothing.
    push_without_the_record(&emu, root, home.path(), pushed_before.path());
}

#[test]
fn imported_auth_takes_no_overrides() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    let before = snapshot(root);
    let r = run(authwiz(root).args(["override", "auth"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("imported auth: overrides apply to Amplify-managed auth only"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
}

#[test]
fn a_user_pool_is_never_replaced_by_a_hand_edit() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let res = only_auth_resource(root);
    // Sign-in attributes are fixed when the pool is made; a hand edit asks for a new pool.
    let path = root.join(format!("amplify/backend/auth/{res}/cli-inputs.json"));
    let mut inputs = read_json(&path);
    inputs["cognitoConfig"]["usernameAttributes"] = json!(["email"]);
    std::fs::write(&path, serde_json::to_string_pretty(&inputs).unwrap()).unwrap();
    emu.reset_calls();
    let before = snapshot(root);
    let r = push(root, home.path(), &["--delete-users"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("authwiz does not replace it") && r.stderr.contains("usernameAttributes"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
    assert!(
        emu.calls()
            .iter()
            .all(|c| c.contains(":Describe") || c.contains(":Get") || c.contains(":List")),
        "{:?}",
        emu.calls()
    );
}

fn user_pool_name(root: &Path, res: &str) -> String {
    let inputs = read_json(root.join(format!("amplify/backend/auth/{res}/cli-inputs.json")));
    format!(
        "{}-dev",
        inputs["cognitoConfig"]["userPoolName"].as_str().unwrap()
    )
}

/// The project goes back to `before` (its record of the last push lost: an old
/// checkout, a fresh clone); a push then finds everything by name, and, every
/// setting read back being as wanted, sends not a single change.
fn push_without_the_record(emu: &Emulator, root: &Path, home: &Path, before: &Path) {
    std::fs::remove_dir_all(root.join("amplify")).unwrap();
    copy_tree(before, &root.join("amplify"));
    emu.reset_calls();
    let r = push(root, home, &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let calls = emu.calls();
    assert!(only_reads(&calls), "{calls:#?}");
}

fn only_reads(calls: &[String]) -> bool {
    calls
        .iter()
        .all(|c| c.contains(":Describe") || c.contains(":Get") || c.contains(":List"))
}

#[test]
fn what_authwiz_did_not_make_is_never_taken_over() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let seeder = Seeder::new(&emu, "us-east-1");
    // A pool of the same name that the Amplify CLI (say) deployed: no authwiz tag.
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let res = only_auth_resource(root);
    let theirs = seeder.user_pool(&user_pool_name(root, &res));
    emu.reset_calls();
    let before = snapshot(root);
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("authwiz did not make it"), "{}", r.stderr);
    assert!(only_reads(&emu.calls()), "{:?}", emu.calls());
    assert_eq!(before, snapshot(root));
    seeder.delete_user_pool(&theirs);

    // A hosted UI domain prefix another pool holds is not taken from it.
    let other = seeder.user_pool("someone-else");
    seeder.domain(&other, "mgdprojoauth-dev");
    let dir = added(&emu, home.path(), "add-oauth");
    let root = dir.path();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("mgdprojoauth-dev belongs to another user pool"),
        "{}",
        r.stderr
    );
    let domain = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .describe_user_pool_domain()
                .domain("mgdprojoauth-dev")
                .send(),
        )
        .unwrap();
    assert_eq!(
        domain.domain_description().and_then(|d| d.user_pool_id()),
        Some(other.as_str())
    );
}

#[test]
fn a_removed_override_stays_and_deletion_protection_is_respected() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let res = only_auth_resource(root);
    let file = root.join(format!("amplify/backend/auth/{res}/override.json"));
    std::fs::write(
        &file,
        json!({"userPool": {"UserPoolTier": "PLUS", "DeletionProtection": "ACTIVE"}}).to_string(),
    )
    .unwrap();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pool_id = auth_output(root, &res)["UserPoolId"]
        .as_str()
        .unwrap()
        .to_string();
    // An edit not pushed yet stays out of the env's client files.
    std::fs::write(
        &file,
        json!({"userPool": {"UserPoolTier": "PLUS", "DeletionProtection": "ACTIVE",
                            "EnabledMfas": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"], "MfaConfiguration": "OPTIONAL",
                            "EmailConfiguration.EmailSendingAccount": "DEVELOPER",
                            "EmailConfiguration.From": "a@example.com",
                            "EmailConfiguration.SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
                            "AccountRecoverySetting.RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]}})
        .to_string(),
    )
    .unwrap();
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        assert_valid_outputs(&root.join("amplify_outputs.json")),
        "1"
    );
    // The tier leaves the file; an unrelated update (the password policy) does not
    // reset it (UpdateUserPool resets what it is not sent).
    std::fs::write(
        &file,
        json!({"userPool": {"DeletionProtection": "ACTIVE"}}).to_string(),
    )
    .unwrap();
    let r = headless_cmd(
        root,
        home.path(),
        &["update", "auth", "--headless"],
        &payload("update-default"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let seeder = Seeder::new(&emu, "us-east-1");
    let pool = seeder.describe_pool(&pool_id);
    assert_eq!(pool.user_pool_tier().unwrap().as_str(), "PLUS");
    assert_eq!(
        pool.policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(10)
    );
    // Removing the resource: the protected pool is not deleted, whatever the flags.
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    emu.reset_calls();
    let r = push(root, home.path(), &["--delete-users"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("has deletion protection on"),
        "{}",
        r.stderr
    );
    assert!(only_reads(&emu.calls()), "{:?}", emu.calls());
}

#[test]
fn a_native_client_secret_reaches_the_outputs_privately() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let res = only_auth_resource(root);
    let path = root.join(format!("amplify/backend/auth/{res}/cli-inputs.json"));
    let mut inputs = read_json(&path);
    inputs["cognitoConfig"]["userpoolClientGenerateSecret"] = json!(true);
    std::fs::write(&path, serde_json::to_string_pretty(&inputs).unwrap()).unwrap();
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The secret comes with CreateUserPoolClient's answer: no call to read it again.
    assert!(
        !emu.calls()
            .iter()
            .any(|c| c.ends_with(":DescribeUserPoolClient")),
        "{:?}",
        emu.calls()
    );
    let out = auth_output(root, &res);
    let secret = out["AppClientSecret"]
        .as_str()
        .expect("the native client's secret");
    assert!(!r.stderr.contains(secret), "not printed");
    use std::os::unix::fs::PermissionsExt;
    let meta = root.join("amplify/backend/amplify-meta.json");
    assert_eq!(
        std::fs::metadata(&meta).unwrap().permissions().mode() & 0o777,
        0o600,
        "a file with a secret is the owner's only"
    );
}

#[test]
fn a_new_sms_role_is_waited_for_until_cognito_may_use_it() {
    let emu = Emulator::start();
    let (proxy, home, dir) = added_behind_a_proxy(&emu, "add-mfa");
    let root = dir.path();
    // IAM has not propagated the SMS role yet: AWS refuses the pool twice.
    // In process, on the test's clock: the 2 s pauses before each retry take
    // no time.
    proxy.fail(
        "CreateUserPool",
        400,
        "InvalidSmsRoleTrustRelationshipException",
        Some(2),
    );
    let mut p =
        authwiz::prompt::ScriptedPrompter::new(Vec::<(&str, authwiz::prompt::Reply)>::new());
    let home_dir = home.path().to_str().unwrap();
    let out = run_scripted_with(root, &["push", "--yes"], &mut p, &[("HOME", home_dir)]);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert_eq!(proxy.injected().len(), 2);
    assert!(auth_output(root, "mfaauth")["CreatedSNSRole"].is_string());
}

#[test]
fn letting_guests_in_is_confirmed_apart_and_no_is_the_default() {
    use authwiz::prompt::{Reply, ScriptedPrompter};
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let res = only_auth_resource(root);
    let update = r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{},"includeIdentityPool":true,"identityPoolModification":{"unauthenticatedLogin":true}}}"#;
    let r = headless_cmd(root, home.path(), &["update", "auth", "--headless"], update);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = snapshot(root);
    emu.reset_calls();
    let mut p = ScriptedPrompter::new([(
        "This push lets more in than now (listed above: a role's trust, guest access or the classic flow). Are you sure you want to continue?",
        Reply::Enter,
    )]);
    let out = run_scripted(root, &["push"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(out.human.contains("Nothing was changed."), "{}", out.human);
    assert!(only_reads(&emu.calls()), "{:?}", emu.calls());
    assert_eq!(before, snapshot(root));
    let seeder = Seeder::new(&emu, "us-east-1");
    let ip = seeder
        .describe_identity_pool(auth_output(root, &res)["IdentityPoolId"].as_str().unwrap())
        .unwrap();
    assert!(!ip.allow_unauthenticated_identities());
}

/// A failed push keeps the cloud's error: without -v the message names the
/// call and the fix; with -v the SDK's error code and message follow.
#[test]
fn a_denied_create_names_the_call_and_verbose_shows_the_sdk_error() {
    let emu = Emulator::start();
    let (proxy, home, dir) = added_behind_a_proxy(&emu, "add-default");
    let root = dir.path();
    proxy.fail("CreateUserPool", 400, "AccessDeniedException", Some(2));
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Access denied for cognito-idp:CreateUserPool")
            && r.stderr
                .contains("Grant the permission `cognito-idp:CreateUserPool`"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("Cause:"), "{}", r.stderr);
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["-v", "push", "--yes"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let cause = r
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("Cause:"))
        .unwrap_or_else(|| panic!("no cause line in\n{}", r.stderr));
    assert!(
        cause.contains("AccessDeniedException") && cause.contains("injected AccessDeniedException"),
        "{cause}"
    );
}
