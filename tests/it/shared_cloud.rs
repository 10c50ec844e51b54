//! The cloud is shared: what the console, another tool or a teammate set on a
//! managed resource stays through authwiz's updates (AWS's Update* calls reset
//! every setting they are not sent, and so does the emulator: moto_ext.py).

use aws_sdk_cognitoidentityprovider::operation::update_user_pool_client::builders::UpdateUserPoolClientFluentBuilder;
use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, AnalyticsConfigurationType, DeviceConfigurationType,
    LambdaConfigType, PasswordPolicyType, UserPoolPolicyType,
};
use serde_json::{Value, json};

use crate::managed_push::{added, auth_output, headless_cmd, only_auth_resource, push};
use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

const PRE_SIGN_UP: &str = "arn:aws:lambda:us-east-1:123456789012:function:presignup";

/// The default configuration added and pushed: (home, project, resource, outputs).
fn pushed_default(emu: &Emulator) -> (tempfile::TempDir, tempfile::TempDir, String, Value) {
    let home = tempfile::tempdir().unwrap();
    let dir = added(emu, home.path(), "add-default");
    let r = push(dir.path(), home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let res = only_auth_resource(dir.path());
    let out = auth_output(dir.path(), &res);
    (home, dir, res, out)
}

/// The pool's password minimum length, as the cloud holds it.
fn min_length(seeder: &Seeder, pool: &str) -> Option<i32> {
    seeder
        .describe_pool(pool)
        .policies()?
        .password_policy()?
        .minimum_length()
}

/// The console's way: the whole pool read, one setting added, all sent back.
fn console_sets_pool_extras(seeder: &Seeder, pool: &str) {
    console_sets_pool_extras_and_min_length(seeder, pool, None);
}

/// As [`console_sets_pool_extras`], the password's minimum length set too.
fn console_sets_pool_extras_and_min_length(seeder: &Seeder, pool: &str, min: Option<i32>) {
    let p = seeder.describe_pool(pool);
    let mut policies = p.policies().cloned();
    if let Some(min) = min {
        let pw = policies
            .as_ref()
            .unwrap()
            .password_policy()
            .unwrap()
            .clone();
        policies = Some(
            PasswordPolicyType::builder()
                .minimum_length(min)
                .require_lowercase(pw.require_lowercase())
                .require_uppercase(pw.require_uppercase())
                .require_numbers(pw.require_numbers())
                .require_symbols(pw.require_symbols())
                .build(),
        )
        .map(|pw| UserPoolPolicyType::builder().password_policy(pw).build());
    }
    seeder
        .rt
        .block_on(
            seeder
                .idp()
                .update_user_pool()
                .user_pool_id(pool)
                .set_policies(policies)
                .set_auto_verified_attributes(Some(p.auto_verified_attributes().to_vec()))
                .set_verification_message_template(p.verification_message_template().cloned())
                .set_sms_verification_message(p.sms_verification_message().map(str::to_string))
                .set_email_verification_message(p.email_verification_message().map(str::to_string))
                .set_email_verification_subject(p.email_verification_subject().map(str::to_string))
                .set_sms_authentication_message(p.sms_authentication_message().map(str::to_string))
                .set_email_configuration(p.email_configuration().cloned())
                .set_mfa_configuration(p.mfa_configuration().cloned())
                // A tag of another tool's (a cost center) comes along.
                .set_user_pool_tags(Some({
                    let mut tags = p.user_pool_tags().cloned().unwrap_or_default();
                    tags.insert("cost-center".into(), "42".into());
                    tags
                }))
                .lambda_config(LambdaConfigType::builder().pre_sign_up(PRE_SIGN_UP).build())
                .device_configuration(
                    DeviceConfigurationType::builder()
                        .challenge_required_on_new_device(true)
                        .device_only_remembered_on_user_prompt(true)
                        .build(),
                )
                .admin_create_user_config(
                    AdminCreateUserConfigType::builder()
                        .allow_admin_create_user_only(true)
                        .build(),
                )
                .send(),
        )
        .unwrap();
}

/// The console's way for a client: read whole, `change` applied to the
/// update, all sent back.
fn console_updates_client(
    seeder: &Seeder,
    pool: &str,
    client: &str,
    change: impl FnOnce(UpdateUserPoolClientFluentBuilder) -> UpdateUserPoolClientFluentBuilder,
) {
    let idp = seeder.idp();
    let c = seeder
        .rt
        .block_on(
            idp.describe_user_pool_client()
                .user_pool_id(pool)
                .client_id(client)
                .send(),
        )
        .unwrap()
        .user_pool_client()
        .unwrap()
        .clone();
    let update = idp
        .update_user_pool_client()
        .user_pool_id(pool)
        .client_id(client)
        .set_client_name(c.client_name().map(str::to_string))
        .refresh_token_validity(c.refresh_token_validity())
        .set_token_validity_units(c.token_validity_units().cloned())
        .set_read_attributes(Some(c.read_attributes().to_vec()))
        .set_write_attributes(Some(c.write_attributes().to_vec()))
        .set_explicit_auth_flows(Some(c.explicit_auth_flows().to_vec()));
    seeder.rt.block_on(change(update).send()).unwrap();
}

fn console_sets_client_extras(seeder: &Seeder, pool: &str, client: &str) {
    console_updates_client(seeder, pool, client, |u| {
        u.enable_propagate_additional_user_context_data(true)
            .analytics_configuration(
                AnalyticsConfigurationType::builder()
                    .application_id("pinpoint-app")
                    .role_arn("arn:aws:iam::123456789012:role/analytics")
                    .external_id("ext")
                    .build(),
            )
    });
}

#[test]
fn an_update_keeps_what_was_set_outside_authwiz_on_the_pool_clients_and_identity_pool() {
    let emu = Emulator::start();
    let (home, dir, res, out) = pushed_default(&emu);
    let root = dir.path();
    let pool = out["UserPoolId"].as_str().unwrap().to_string();
    let web = out["AppClientIDWeb"].as_str().unwrap().to_string();
    let native = out["AppClientID"].as_str().unwrap().to_string();
    let identity_pool = out["IdentityPoolId"].as_str().unwrap().to_string();

    // Settings made in the console, on every resource type the update touches.
    let seeder = Seeder::new(&emu, "us-east-1");
    console_sets_pool_extras(&seeder, &pool);
    console_sets_client_extras(&seeder, &pool, &web);
    let oidc = "arn:aws:iam::123456789012:oidc-provider/login.example.com";
    let ip = seeder.describe_identity_pool(&identity_pool).unwrap();
    seeder
        .rt
        .block_on(
            seeder
                .identity()
                .update_identity_pool()
                .identity_pool_id(&identity_pool)
                .identity_pool_name(ip.identity_pool_name())
                .allow_unauthenticated_identities(ip.allow_unauthenticated_identities())
                .set_cognito_identity_providers(Some(ip.cognito_identity_providers().to_vec()))
                .open_id_connect_provider_arns(oidc)
                .send(),
        )
        .unwrap();

    // An update of what the files manage on each: the password policy, guest
    // access, and the clients' refresh token.
    let update = r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{"passwordPolicy":{"minimumLength":10,"additionalConstraints":["REQUIRE_DIGIT"]}},"includeIdentityPool":true,"identityPoolModification":{"unauthenticatedLogin":true}}}"#;
    let r = headless_cmd(root, home.path(), &["update", "auth", "--headless"], update);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = root.join(format!("amplify/backend/auth/{res}/cli-inputs.json"));
    let mut inputs = read_json(&path);
    inputs["cognitoConfig"]["userpoolClientRefreshTokenValidity"] = json!(60);
    std::fs::write(&path, serde_json::to_string_pretty(&inputs).unwrap()).unwrap();
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let calls = emu.calls();
    for call in [
        "cognito-idp:UpdateUserPool",
        "cognito-idp:UpdateUserPoolClient",
        "cognito-identity:UpdateIdentityPool",
    ] {
        assert!(calls.iter().any(|c| c == call), "{call}: {calls:#?}");
    }

    // What the files manage changed; what they do not stayed.
    let p = seeder.describe_pool(&pool);
    let policy = p.policies().unwrap().password_policy().unwrap();
    assert_eq!(policy.minimum_length(), Some(10));
    let tags = p.user_pool_tags().unwrap();
    assert_eq!(
        tags.get("cost-center").map(String::as_str),
        Some("42"),
        "{tags:?}"
    );
    assert!(tags.contains_key("authwiz:resource"), "{tags:?}");
    assert_eq!(
        p.lambda_config().and_then(|l| l.pre_sign_up()),
        Some(PRE_SIGN_UP)
    );
    let device = p.device_configuration().expect("device tracking kept");
    assert!(device.challenge_required_on_new_device());
    assert!(device.device_only_remembered_on_user_prompt());
    assert!(
        p.admin_create_user_config()
            .unwrap()
            .allow_admin_create_user_only()
    );
    for (client, extras) in [(&web, true), (&native, false)] {
        let c = seeder
            .rt
            .block_on(
                seeder
                    .idp()
                    .describe_user_pool_client()
                    .user_pool_id(&pool)
                    .client_id(client)
                    .send(),
            )
            .unwrap()
            .user_pool_client()
            .unwrap()
            .clone();
        assert_eq!(c.refresh_token_validity(), 60);
        assert_eq!(
            c.enable_propagate_additional_user_context_data(),
            Some(extras)
        );
        assert_eq!(
            c.analytics_configuration().and_then(|a| a.application_id()),
            extras.then_some("pinpoint-app")
        );
    }
    let ip = seeder.describe_identity_pool(&identity_pool).unwrap();
    assert!(ip.allow_unauthenticated_identities());
    assert_eq!(ip.open_id_connect_provider_arns(), [oidc]);
    assert_eq!(ip.cognito_identity_providers().len(), 2);

    // Nothing is left to do: what authwiz does not manage is not a change.
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
    assert!(
        emu.calls().iter().all(|c| !c.contains(":Update")),
        "{:#?}",
        emu.calls()
    );
}

#[test]
fn a_group_update_keeps_its_description() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-mfa");
    let root = dir.path();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pool = auth_output(root, "mfaauth")["UserPoolId"]
        .as_str()
        .unwrap()
        .to_string();
    let seeder = Seeder::new(&emu, "us-east-1");
    let get = |name: &str| {
        seeder
            .rt
            .block_on(
                seeder
                    .idp()
                    .get_group()
                    .user_pool_id(&pool)
                    .group_name(name)
                    .send(),
            )
            .unwrap()
            .group()
            .unwrap()
            .clone()
    };
    let g = get("admins");
    seeder
        .rt
        .block_on(
            seeder
                .idp()
                .update_group()
                .user_pool_id(&pool)
                .group_name("admins")
                .set_precedence(g.precedence())
                .set_role_arn(g.role_arn().map(str::to_string))
                .description("Administrators")
                .send(),
        )
        .unwrap();
    let file = root.join("amplify/backend/auth/userPoolGroups/user-pool-group-precedence.json");
    std::fs::write(
        &file,
        json!([{"groupName": "admins", "precedence": 5}, {"groupName": "users", "precedence": 2}])
            .to_string(),
    )
    .unwrap();
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        emu.calls().iter().any(|c| c == "cognito-idp:UpdateGroup"),
        "{:#?}",
        emu.calls()
    );
    let g = get("admins");
    assert_eq!(g.precedence(), Some(5));
    assert_eq!(g.description(), Some("Administrators"));
}

#[test]
fn an_identity_pool_is_never_replaced_by_a_new_name() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let res = only_auth_resource(root);
    let identity_pool = auth_output(root, &res)["IdentityPoolId"]
        .as_str()
        .unwrap()
        .to_string();
    // Identity ids (and what is stored per identity) live in the identity pool.
    let path = root.join(format!("amplify/backend/auth/{res}/cli-inputs.json"));
    let mut inputs = read_json(&path);
    inputs["cognitoConfig"]["identityPoolName"] = json!("renamed_identitypool");
    std::fs::write(&path, serde_json::to_string_pretty(&inputs).unwrap()).unwrap();
    let before = snapshot(root);
    emu.reset_calls();
    let r = push(root, home.path(), &["--delete-users"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("authwiz does not replace an identity pool")
            && r.stderr.contains("renamed_identitypool"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
    let calls = emu.calls();
    assert!(
        calls
            .iter()
            .all(|c| c.contains(":Describe") || c.contains(":Get") || c.contains(":List")),
        "{calls:#?}"
    );
    let seeder = Seeder::new(&emu, "us-east-1");
    seeder
        .describe_identity_pool(&identity_pool)
        .expect("the identity pool is still there");
}

/// Every create whose reply is lost (applied, then an HTTP 500 or a dropped
/// connection) is looked up before it is tried again: the push succeeds and
/// leaves exactly one of each resource.
#[test]
fn a_create_whose_reply_is_lost_makes_no_duplicate() {
    use crate::support::proxy::{LostReply, Proxy};
    let emu = Emulator::start();
    let seeder = Seeder::new(&emu, "us-east-1");
    let mut tried = 0;
    for op in [
        "CreateUserPool",
        "CreateUserPoolClient",
        "CreateIdentityPool",
        "CreateRole",
    ] {
        for how in [LostReply::Error, LostReply::Dropped] {
            let proxy = Proxy::start(emu.port);
            let home = tempfile::tempdir().unwrap();
            let dir = project_on(&proxy.url(), "javascript");
            let root = dir.path();
            let r = headless_cmd(
                root,
                home.path(),
                &["add", "auth", "--headless"],
                &crate::managed_push::payload("add-default"),
            );
            assert_eq!(r.code, 0, "{}", r.stderr);
            let res = only_auth_resource(root);
            let inputs =
                read_json(root.join(format!("amplify/backend/auth/{res}/cli-inputs.json")));
            let config = &inputs["cognitoConfig"];
            let pool_name = format!("{}-dev", config["userPoolName"].as_str().unwrap());
            let ip_name = format!("{}__dev", config["identityPoolName"].as_str().unwrap());
            proxy.lose_reply(op, how, 1);
            let r = push(root, home.path(), &[]);
            assert_eq!(r.code, 0, "{op} {how:?}: {}\n{}", r.stdout, r.stderr);
            assert_eq!(proxy.injected(), [op], "{op} {how:?}");
            tried += 1;

            let pools: Vec<String> = seeder
                .rt
                .block_on(seeder.idp().list_user_pools().max_results(60).send())
                .unwrap()
                .user_pools()
                .iter()
                .filter(|p| p.name() == Some(pool_name.as_str()))
                .filter_map(|p| p.id().map(str::to_string))
                .collect();
            assert_eq!(pools.len(), 1, "{op} {how:?}: {pools:?}");
            let out = auth_output(root, &res);
            assert_eq!(out["UserPoolId"], json!(pools[0]));
            let clients = seeder
                .rt
                .block_on(
                    seeder
                        .idp()
                        .list_user_pool_clients()
                        .user_pool_id(&pools[0])
                        .send(),
                )
                .unwrap();
            assert_eq!(clients.user_pool_clients().len(), 2, "{op} {how:?}");
            let ips: Vec<String> = seeder
                .rt
                .block_on(
                    seeder
                        .identity()
                        .list_identity_pools()
                        .max_results(60)
                        .send(),
                )
                .unwrap()
                .identity_pools()
                .iter()
                .filter(|p| p.identity_pool_name() == Some(ip_name.as_str()))
                .filter_map(|p| p.identity_pool_id().map(str::to_string))
                .collect();
            assert_eq!(ips.len(), 1, "{op} {how:?}: {ips:?}");
            assert_eq!(out["IdentityPoolId"], json!(ips[0]));

            // The next push has nothing to do (and finds nothing to clean up).
            let r = push(root, home.path(), &[]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
            // Leave the account empty for the next case.
            let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
            assert_eq!(r.code, 0, "{}", r.stderr);
            let r = push(root, home.path(), &[]);
            assert_eq!(r.code, 0, "{}", r.stderr);
        }
    }
    assert_eq!(tried, 8);
}

/// Two clones push the same new env at once: the one that loses on
/// `CreateRole … already exists` undoes only what it made itself (by the ids
/// its run recorded), never the winner's role or pool found by name.
#[test]
fn a_rollback_undoes_only_what_its_own_push_made() {
    use crate::support::proxy::Proxy;
    let emu = Emulator::start();
    let (proxy_a, proxy_b) = (Proxy::start(emu.port), Proxy::start(emu.port));
    let home = tempfile::tempdir().unwrap();
    let a = added(&emu, home.path(), "add-default");
    let res = only_auth_resource(a.path());
    // Both clones reach the emulator through a proxy of their own.
    let b = tempfile::tempdir().unwrap();
    copy_tree(a.path(), b.path());
    let info = "amplify/.config/local-aws-info.json";
    for (dir, proxy) in [(a.path(), &proxy_a), (b.path(), &proxy_b)] {
        let text = std::fs::read_to_string(dir.join(info)).unwrap();
        std::fs::write(dir.join(info), text.replace(&emu.url(), &proxy.url())).unwrap();
    }
    // B has read the cloud (nothing there yet) when A pushes; B's creates
    // reach AWS only after A's push made everything, the roles included.
    proxy_b.delay("CreateUserPool", std::time::Duration::from_secs(4));
    let loser = authwiz(b.path())
        .env("HOME", home.path())
        .args(["push", "--yes"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let r = push(a.path(), home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lost = loser.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&lost.stderr);
    assert_eq!(lost.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("CreateRole"), "{stderr}");

    // The winner's resources are all there: its next push has nothing to do.
    let out = auth_output(a.path(), &res);
    let seeder = Seeder::new(&emu, "us-east-1");
    let pool = seeder.describe_pool(out["UserPoolId"].as_str().unwrap());
    let pools = seeder
        .rt
        .block_on(seeder.idp().list_user_pools().max_results(60).send())
        .unwrap();
    let named = pools
        .user_pools()
        .iter()
        .filter(|p| p.name() == pool.name())
        .count();
    assert_eq!(named, 1, "the loser's own pool is gone, the winner's stays");
    let meta = read_json(a.path().join("amplify/backend/amplify-meta.json"));
    let role = meta["providers"]["awscloudformation"]["AuthRoleName"]
        .as_str()
        .unwrap()
        .to_string();
    seeder
        .rt
        .block_on(seeder.iam().get_role().role_name(&role).send())
        .expect("the winner's role stays");
    let r = push(a.path(), home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
}

/// A recorded pool deleted outside authwiz is a state, not an error: removing
/// the auth deletes the rest, and an update makes the pool again only when the
/// user says so (`--recreate`; never under `--yes` alone).
#[test]
fn a_pool_that_is_gone_is_reported_and_never_strands_the_project() {
    let emu = Emulator::start();
    let seeder = Seeder::new(&emu, "us-east-1");
    for payload in ["add-default", "add-mfa"] {
        let home = tempfile::tempdir().unwrap();
        let dir = added(&emu, home.path(), payload);
        let root = dir.path();
        let r = push(root, home.path(), &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let res = only_auth_resource(root);
        let out = auth_output(root, &res);
        let pool = out["UserPoolId"].as_str().unwrap().to_string();
        seeder.delete_user_pool(&pool);

        // An update: refused under --yes, with the way on; nothing is made.
        let update = r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{"passwordPolicy":{"minimumLength":11}},"includeIdentityPool":true,"identityPoolModification":{"unauthenticatedLogin":false}}}"#;
        let r = headless_cmd(root, home.path(), &["update", "auth", "--headless"], update);
        assert_eq!(r.code, 0, "{}", r.stderr);
        emu.reset_calls();
        let r = push(root, home.path(), &[]);
        assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(&format!("({pool})"))
                && r.stderr.contains("is gone from the cloud")
                && r.stderr.contains("--recreate"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("Gone from the cloud: user pool"),
            "{}",
            r.stderr
        );
        let calls = emu.calls();
        assert!(
            calls
                .iter()
                .all(|c| c.contains(":Describe") || c.contains(":Get") || c.contains(":List")),
            "{calls:#?}"
        );
        // Said so: a new pool, recorded, and the identity pool follows it.
        let r = push(root, home.path(), &["--recreate"]);
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        let out = auth_output(root, &res);
        let new_pool = out["UserPoolId"].as_str().unwrap().to_string();
        assert_ne!(new_pool, pool);
        assert_eq!(
            seeder
                .describe_pool(&new_pool)
                .policies()
                .unwrap()
                .password_policy()
                .unwrap()
                .minimum_length(),
            Some(11)
        );

        // Deleted outside authwiz again, then the auth removed: the rest goes.
        seeder.delete_user_pool(&new_pool);
        if payload == "add-mfa" {
            let r = run(authwiz(root).args(["remove", "auth", "userPoolGroups", "--yes"]));
            assert_eq!(r.code, 0, "{}", r.stderr);
        }
        let r = run(authwiz(root).args(["remove", "auth", &res, "--yes"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = push(root, home.path(), &[]);
        assert_eq!(r.code, 0, "{payload}: {}\n{}", r.stdout, r.stderr);
        let ip = seeder.describe_identity_pool(out["IdentityPoolId"].as_str().unwrap());
        assert!(ip.is_none(), "the identity pool is deleted");
        if let Some(sms) = out["CreatedSNSRole"].as_str() {
            let name = sms.rsplit('/').next().unwrap();
            let role = seeder
                .rt
                .block_on(seeder.iam().get_role().role_name(name).send());
            assert!(role.is_err(), "the SMS role is deleted");
        }
        let r = push(root, home.path(), &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
    }
}

#[test]
fn drift_is_shown_field_by_field_and_set_back_only_when_asked() {
    let emu = Emulator::start();
    let (home, dir, res, out) = pushed_default(&emu);
    let root = dir.path();
    let pool = out["UserPoolId"].as_str().unwrap().to_string();
    let status = |extra: &[&str]| {
        let mut args = vec!["status", "--check-cloud"];
        args.extend_from_slice(extra);
        let r = run(authwiz(root).args(&args).env("HOME", home.path()));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r
    };
    let r = status(&[]);
    assert!(
        r.stderr.contains("the cloud holds what the last push made"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("settings made outside"), "{}", r.stderr);

    // The console changes a field the files manage and sets three they do not.
    let seeder = Seeder::new(&emu, "us-east-1");
    console_sets_pool_extras_and_min_length(&seeder, &pool, Some(12));
    let r = status(&[]);
    assert!(
        r.stderr
            .contains("changed outside authwiz since the last push (pushed → live)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("    minLength: 8 → 12"), "{}", r.stderr);
    for setting in [
        "LambdaConfig.PreSignUp",
        "DeviceConfiguration.ChallengeRequiredOnNewDevice",
        "AdminCreateUserConfig.AllowAdminCreateUserOnly",
    ] {
        assert!(r.stderr.contains(setting), "{setting}: {}", r.stderr);
    }
    let r = status(&["--json"]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let cloud = &doc["resources"][0]["cloud"];
    assert_eq!(cloud["ok"], json!(false), "{cloud:#}");
    let drift = cloud["drift"].as_array().unwrap();
    let pool_drift = drift.iter().find(|d| d["state"] == "changed").unwrap();
    assert_eq!(
        pool_drift["fields"],
        json!([{"field": "minLength", "pushed": 8, "live": 12}])
    );
    assert!(
        pool_drift["notManaged"]
            .as_array()
            .unwrap()
            .contains(&json!("LambdaConfig.PreSignUp")),
        "{pool_drift:#}"
    );
    assert!(
        drift
            .iter()
            .filter(|d| d["state"] != "changed")
            .all(|d| d["state"] == "same"),
        "{drift:#?}"
    );

    // A plain push stays offline; drift is set back when asked, and shown first.
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
    assert!(emu.calls().is_empty(), "{:#?}", emu.calls());
    let r = push(root, home.path(), &["--dry-run", "--check-cloud"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("changed outside authwiz: minLength: 8 → 12; set back to 8"),
        "{}",
        r.stderr
    );
    assert_eq!(min_length(&seeder, &pool), Some(12));
    let r = push(root, home.path(), &["--check-cloud"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = seeder.describe_pool(&pool);
    assert_eq!(
        p.policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(8)
    );
    assert_eq!(
        p.lambda_config().and_then(|l| l.pre_sign_up()),
        Some(PRE_SIGN_UP),
        "a setting the files do not manage is not drift"
    );
    let r = status(&[]);
    assert!(
        r.stderr.contains("the cloud holds what the last push made"),
        "{}",
        r.stderr
    );
    let r = push(root, home.path(), &["--check-cloud"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("nothing to set back"), "{}", r.stderr);

    // A resource that is gone is a state, not an error.
    let identity_pool = out["IdentityPoolId"].as_str().unwrap();
    seeder
        .rt
        .block_on(
            seeder
                .identity()
                .delete_identity_pool()
                .identity_pool_id(identity_pool)
                .send(),
        )
        .unwrap();
    let r = status(&[]);
    assert!(r.stderr.contains("gone from the cloud"), "{}", r.stderr);
    // The push names it and makes it again (an identity pool holds no users).
    let r = push(root, home.path(), &["--check-cloud"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "Gone from the cloud: identity pool {} ({identity_pool}), recorded by the last push; the identity ids it gave are gone",
            out["IdentityPoolName"].as_str().unwrap()
        )),
        "{}",
        r.stderr
    );
    let again = auth_output(root, &res)["IdentityPoolId"].clone();
    assert_ne!(again, json!(identity_pool));
    let r = status(&[]);
    assert!(
        r.stderr.contains("the cloud holds what the last push made"),
        "{}",
        r.stderr
    );
}

fn console_sets_refresh_token(seeder: &Seeder, pool: &str, client: &str, days: i32) {
    console_updates_client(seeder, pool, client, |u| u.refresh_token_validity(days));
}

#[test]
fn pull_auth_keeps_a_console_change_in_the_files_and_the_next_push_changes_nothing() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["pull", "auth"]));
    assert_eq!(r.code, 1, "never pushed: {}", r.stderr);
    assert!(r.stderr.contains("was never pushed"), "{}", r.stderr);
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let res = only_auth_resource(root);
    let out = auth_output(root, &res);
    let pool = out["UserPoolId"].as_str().unwrap().to_string();
    let web = out["AppClientIDWeb"].as_str().unwrap().to_string();
    let inputs = root.join(format!("amplify/backend/auth/{res}/cli-inputs.json"));
    let overrides = root.join(format!("amplify/backend/auth/{res}/override.json"));

    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["pull", "auth"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Nothing to pull"), "{}", r.stderr);

    let seeder = Seeder::new(&emu, "us-east-1");
    console_sets_pool_extras_and_min_length(&seeder, &pool, Some(12));
    console_sets_refresh_token(&seeder, &pool, &web, 45);
    let before = read_json(&inputs);
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["pull", "auth"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("minLength: 8 → 12"), "{}", r.stderr);
    let after = read_json(&inputs);
    assert_eq!(after["cognitoConfig"]["passwordPolicyMinLength"], json!(12));
    // Only that field moved.
    let mut rest = after.clone();
    rest["cognitoConfig"]["passwordPolicyMinLength"] =
        before["cognitoConfig"]["passwordPolicyMinLength"].clone();
    assert_eq!(rest, before);
    // One client changed: the shared setting stays, that client's override says it.
    assert_eq!(
        read_json(&overrides),
        json!({"$schema": "https://authwiz.dev/schemas/override.schema.json",
               "userPoolClientWeb": {"RefreshTokenValidity": 45}})
    );
    let r = run(authwiz(root).args(["status", "--json"]));
    assert!(
        r.stdout.contains("\"operation\":\"Update\""),
        "{}",
        r.stdout
    );

    // The cloud already holds it: the push records, and changes nothing there.
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        emu.calls()
            .iter()
            .all(|c| !c.contains(":Update") && !c.contains(":Create")),
        "{:#?}",
        emu.calls()
    );
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["status", "--check-cloud"]));
    assert!(
        r.stderr.contains("the cloud holds what the last push made"),
        "{}",
        r.stderr
    );
    assert_eq!(min_length(&seeder, &pool), Some(12));
}

/// The Amplify CLI's project after its push (fixture 44-default-push), on the
/// emulator: its pool made there under the stack's tag, its recorded ids
/// rewritten to the pool's. Returns (project, pool id).
fn amplify_cli_pushed(emu: &Emulator, seeder: &Seeder) -> (tempfile::TempDir, String) {
    let step = repo().join("tests/fixtures/amplify-cli-14.2.2-managed/44-default-push");
    let dir = tempfile::tempdir().unwrap();
    for sub in ["amplify", "src"] {
        copy_tree(&step.join(sub), &dir.path().join(sub));
    }
    let root = dir.path();
    let info = root.join("amplify/.config/local-aws-info.json");
    let mut v = read_json(&info);
    v["dev"]["endpointUrl"] = json!(emu.url());
    std::fs::write(&info, v.to_string()).unwrap();
    let stack = "amplify-mgddefault-dev-270ba-authmgdprojauth-1B2C3D4E5F6G";
    let pool = seeder
        .rt
        .block_on(
            seeder
                .idp()
                .create_user_pool()
                .pool_name("mgdprojauth_userpool_6394c24c-dev")
                .user_pool_tags("aws:cloudformation:stack-name", stack)
                .user_pool_tags("aws:cloudformation:logical-id", "UserPool")
                .send(),
        )
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let recorded = "us-east-1_c2b8dccbe8dd9236ffbb71c6211110d31e403b73a7f8a";
    for rel in [
        "amplify/backend/amplify-meta.json",
        "amplify/#current-cloud-backend/amplify-meta.json",
    ] {
        let p = root.join(rel);
        let text = std::fs::read_to_string(&p)
            .unwrap()
            .replace(recorded, &pool);
        std::fs::write(&p, text).unwrap();
    }
    (dir, pool)
}

#[test]
fn what_the_amplify_clis_stack_holds_is_never_changed_or_deleted() {
    let emu = Emulator::start();
    let seeder = Seeder::new(&emu, "us-east-1");
    let (dir, pool) = amplify_cli_pushed(&emu, &seeder);
    let root = dir.path();
    let home = tempfile::tempdir().unwrap();
    let update = std::fs::read_to_string(
        repo().join("tests/fixtures/amplify-cli-14.2.2-managed/payloads/update-default.json"),
    )
    .unwrap();
    let r = headless_cmd(
        root,
        home.path(),
        &["update", "auth", "--headless"],
        &update,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    emu.reset_calls();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("belongs to the CloudFormation stack amplify-mgddefault-dev-270ba (its nested stack authmgdprojauth)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("amplify push"), "{}", r.stderr);
    assert!(
        emu.calls().is_empty(),
        "refused before any call: {:#?}",
        emu.calls()
    );

    // Without the record, the stack's tag on the pool says it.
    for rel in [
        "amplify/backend/amplify-meta.json",
        "amplify/#current-cloud-backend/amplify-meta.json",
    ] {
        let p = root.join(rel);
        let mut v = read_json(&p);
        v["auth"]["mgdprojauth"]
            .as_object_mut()
            .unwrap()
            .remove("providerMetadata");
        std::fs::write(&p, v.to_string()).unwrap();
    }
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("belongs to the CloudFormation stack amplify-mgddefault-dev-270ba-authmgdprojauth-1B2C3D4E5F6G"),
        "{}",
        r.stderr
    );
    // Removing the resource deletes nothing of the stack's either.
    let r = run(authwiz(root).env("HOME", home.path()).args([
        "remove",
        "auth",
        "mgdprojauth",
        "--yes",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = push(root, home.path(), &["--delete-users"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("CloudFormation stack"), "{}", r.stderr);
    assert!(
        emu.calls()
            .iter()
            .all(|c| !c.contains(":Update") && !c.contains(":Delete")),
        "{:#?}",
        emu.calls()
    );
    assert_eq!(seeder.describe_pool(&pool).id(), Some(pool.as_str()));
}

/// What `git clone` of the project gives: the files Amplify's .gitignore keeps
/// out of the repository are not there.
fn fresh_clone(from: &std::path::Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    copy_tree(from, to.path());
    let root = to.path();
    for dir in ["amplify/#current-cloud-backend", "amplify/backend/.temp"] {
        let _ = std::fs::remove_dir_all(root.join(dir));
    }
    for file in [
        "amplify/backend/amplify-meta.json",
        "amplify/.config/local-env-info.json",
        "amplify/.config/local-aws-info.json",
        "src/aws-exports.js",
        "src/amplifyconfiguration.json",
        "amplify_outputs.json",
    ] {
        let _ = std::fs::remove_file(root.join(file));
    }
    to
}

/// A teammate's first push on a fresh clone compares with what the pool
/// holds, not with a default: nothing changed, nothing to do.
#[test]
fn a_teammates_fresh_clone_pushes_with_no_change() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let ok = |r: Run| {
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        r
    };
    ok(push(root, home.path(), &[]));
    let update = r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{"passwordPolicy":{"minimumLength":10,"additionalConstraints":["REQUIRE_DIGIT"]}},"includeIdentityPool":true,"identityPoolModification":{}}}"#;
    ok(headless_cmd(
        root,
        home.path(),
        &["update", "auth", "--headless"],
        update,
    ));
    ok(push(root, home.path(), &[]));
    ok(run(authwiz(root)
        .env("HOME", home.path())
        .args(["env", "add", "staging", "--yes"])));
    ok(push(root, home.path(), &[]));
    ok(run(authwiz(root)
        .env("HOME", home.path())
        .args(["env", "checkout", "dev", "--yes"])));

    let clone = fresh_clone(root);
    let mate = tempfile::tempdir().unwrap();
    ok(run(authwiz(clone.path()).env("HOME", mate.path()).args([
        "env",
        "checkout",
        "dev",
        "--yes",
        "--endpoint-url",
        &emu.url(),
    ])));
    emu.reset_calls();
    let r = ok(push(
        clone.path(),
        mate.path(),
        &["--endpoint-url", &emu.url()],
    ));
    let changed: Vec<String> = emu
        .calls()
        .into_iter()
        .filter(|c| !c.contains(":Describe") && !c.contains(":List") && !c.contains(":Get"))
        .collect();
    assert!(changed.is_empty(), "{changed:#?}\n{}", r.stderr);
    // The teammate records the same resources as the original.
    let auth = |dir: &std::path::Path| {
        let mut a = read_json(dir.join("amplify/backend/amplify-meta.json"))["auth"].clone();
        a["mgdprojauth"]["lastPushTimeStamp"] = Value::Null;
        a
    };
    assert_eq!(auth(clone.path()), auth(root));
    assert!(clone.path().join("src/aws-exports.js").exists());
}

/// `env remove --delete-cloud` deletes what the env's pushes made, as a push
/// that deletes (a pool with users only when told so); the other env stays whole.
#[test]
fn env_remove_deletes_the_envs_cloud_resources_only_when_asked() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    let ok = |r: Run| {
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        r
    };
    let cmd = |args: &[&str]| run(authwiz(root).env("HOME", home.path()).args(args));
    ok(push(root, home.path(), &[]));
    let res = only_auth_resource(root);
    ok(cmd(&["env", "add", "staging", "--yes"]));
    ok(push(root, home.path(), &[]));
    let staging = auth_output(root, &res);
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    let roles: Vec<String> = ["AuthRoleName", "UnauthRoleName"]
        .iter()
        .map(|k| {
            meta["providers"]["awscloudformation"][k]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let seeder = Seeder::new(&emu, "us-east-1");
    let pool = staging["UserPoolId"].as_str().unwrap();
    seeder.user(pool, "someone@example.com", "Passw0rd!Passw0rd");
    ok(cmd(&["env", "checkout", "dev", "--yes"]));
    let dev = auth_output(root, &res);

    // A pool with users is not deleted under --yes alone; nothing changes.
    let before = snapshot(root);
    let r = cmd(&["env", "remove", "staging", "--yes", "--delete-cloud"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("holds 1 user(s)"), "{}", r.stderr);
    assert_eq!(before, snapshot(root));
    assert!(seeder.describe_pool(pool).id().is_some());

    let r = ok(cmd(&[
        "env",
        "remove",
        "staging",
        "--yes",
        "--delete-cloud",
        "--delete-users",
    ]));
    for shown in [
        "user pool mgdprojauth_userpool_",
        "identity pool mgdprojauth_identitypool_",
        &format!("IAM role {}", roles[0]),
    ] {
        assert!(r.stderr.contains(shown), "{shown}: {}", r.stderr);
    }
    let pools = seeder
        .rt
        .block_on(seeder.idp().list_user_pools().max_results(60).send())
        .unwrap();
    let ids: Vec<&str> = pools.user_pools().iter().filter_map(|p| p.id()).collect();
    assert_eq!(
        ids,
        [dev["UserPoolId"].as_str().unwrap()],
        "only dev's pool is left"
    );
    let identity = seeder
        .rt
        .block_on(
            seeder
                .identity()
                .list_identity_pools()
                .max_results(60)
                .send(),
        )
        .unwrap();
    assert_eq!(identity.identity_pools().len(), 1);
    for role in &roles {
        let r = seeder
            .rt
            .block_on(seeder.iam().get_role().role_name(role).send());
        assert!(r.is_err(), "{role} is deleted");
    }
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    assert!(tpi.get("staging").is_none());
    assert!(tpi.get("dev").is_some());
    // Dev is as its last push left it.
    let r = ok(cmd(&["status", "--check-cloud"]));
    assert!(
        r.stderr.contains("the cloud holds what the last push made"),
        "{}",
        r.stderr
    );
    assert!(
        !root
            .join("amplify/.config/local-authwiz-env-remove-auth.json")
            .exists()
    );
}
