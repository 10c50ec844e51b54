//! Exports proven by a real synth: each managed payload (with and without
//! overrides) pushed to the emulator, exported as `defineAuth` and as
//! `referenceAuth`, and each backend synthesized by the pinned
//! @aws-amplify/backend and aws-cdk-lib (tests/gen2/synth.mjs: no network, no
//! Docker). `defineAuth`'s synthesized Cognito resources must hold the live
//! pool's settings, each setting the export claims to carry, unless the export
//! announced the difference; `referenceAuth` must name exactly the env's ids.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::managed_push::{added, auth_output, push};
use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

fn export(root: &Path, extra: &[&str]) -> Run {
    run(authwiz(root)
        .args(["export", "gen2", "--force"])
        .args(extra))
}

/// The Cognito resources of the synthesized backend in `root/gen2`.
fn synth(root: &Path, name: &str) -> Vec<Value> {
    let gen2 = repo().join("tests/gen2");
    assert!(
        gen2.join("node_modules/esbuild").exists(),
        "the Gen 2 libraries are not installed: run scripts/test.sh (it installs tests/gen2)"
    );
    let work = gen2
        .join(".synth")
        .join(format!("{name}-{}", std::process::id()));
    let out = std::process::Command::new("node")
        .arg(gen2.join("synth.mjs"))
        .arg(root.join("gen2"))
        .arg(&work)
        .output()
        .expect("node runs the synth");
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        out.status.success(),
        "{name}: synth failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn of_type<'a>(resources: &'a [Value], t: &str) -> Vec<&'a Value> {
    resources
        .iter()
        .filter(|r| r["type"] == t)
        .map(|r| &r["properties"])
        .collect()
}

fn sorted(v: impl IntoIterator<Item = String>) -> Value {
    let mut v: Vec<String> = v.into_iter().collect();
    v.sort();
    json!(v)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// A validity in days, from a number and its unit.
fn days(n: i64, unit: &str) -> Value {
    match unit {
        "minutes" => json!(n / (60 * 24)),
        "hours" => json!(n / 24),
        _ => json!(n),
    }
}

type Settings = BTreeMap<&'static str, Value>;

/// The settings `defineAuth`'s export claims to carry, as the synthesized
/// resources set them.
fn synthesized(resources: &[Value]) -> Settings {
    let pool = of_type(resources, "AWS::Cognito::UserPool")[0];
    let client = of_type(resources, "AWS::Cognito::UserPoolClient")[0];
    let identity = of_type(resources, "AWS::Cognito::IdentityPool");
    let pw = &pool["Policies"]["PasswordPolicy"];
    let mode = pool["MfaConfiguration"].as_str().unwrap_or("OFF");
    let required = pool["Schema"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["Required"] == json!(true))
        .filter_map(|a| a["Name"].as_str().map(str::to_string));
    let groups = of_type(resources, "AWS::Cognito::UserPoolGroup")
        .into_iter()
        .map(|g| {
            format!(
                "{}:{}",
                g["GroupName"].as_str().unwrap_or(""),
                g["Precedence"]
            )
        });
    let subject = pool["EmailVerificationSubject"]
        .as_str()
        .or(pool["VerificationMessageTemplate"]["EmailSubject"].as_str());
    BTreeMap::from([
        (
            "password policy",
            json!([
                pw["MinimumLength"],
                pw["RequireLowercase"],
                pw["RequireUppercase"],
                pw["RequireNumbers"],
                pw["RequireSymbols"]
            ]),
        ),
        ("MFA mode", json!(mode)),
        (
            "MFA methods",
            if mode == "OFF" {
                json!([])
            } else {
                sorted(strings(&pool["EnabledMfas"]))
            },
        ),
        (
            "username attributes",
            sorted(strings(&pool["UsernameAttributes"])),
        ),
        (
            "auto-verified attributes",
            sorted(strings(&pool["AutoVerifiedAttributes"])),
        ),
        ("required attributes", sorted(required)),
        ("groups", sorted(groups)),
        (
            "refresh token days",
            days(
                client["RefreshTokenValidity"]
                    .as_i64()
                    .unwrap_or(30 * 24 * 60),
                client["TokenValidityUnits"]["RefreshToken"]
                    .as_str()
                    .unwrap_or("minutes"),
            ),
        ),
        (
            "guest access",
            json!(
                identity
                    .first()
                    .map(|i| i["AllowUnauthenticatedIdentities"].clone())
            ),
        ),
        ("verification subject", json!(subject)),
    ])
}

/// The same settings of the live pool, its web client, groups and identity pool.
fn live(seed: &Seeder, out: &Value) -> Settings {
    let id = out["UserPoolId"].as_str().unwrap();
    let pool = seed.describe_pool(id);
    let idp = seed.idp();
    let mfa = seed
        .rt
        .block_on(idp.get_user_pool_mfa_config().user_pool_id(id).send())
        .unwrap();
    let client = seed
        .rt
        .block_on(
            idp.describe_user_pool_client()
                .user_pool_id(id)
                .client_id(out["AppClientIDWeb"].as_str().unwrap())
                .send(),
        )
        .unwrap();
    let client = client.user_pool_client().unwrap();
    let groups = seed
        .rt
        .block_on(idp.list_groups().user_pool_id(id).send())
        .unwrap();
    let pw = pool.policies().and_then(|p| p.password_policy()).unwrap();
    let mode = pool
        .mfa_configuration()
        .map_or("OFF", |m| m.as_str())
        .to_string();
    let mut methods = Vec::new();
    if mfa.sms_mfa_configuration().is_some() {
        methods.push("SMS_MFA".to_string());
    }
    if mfa
        .software_token_mfa_configuration()
        .is_some_and(|t| t.enabled())
    {
        methods.push("SOFTWARE_TOKEN_MFA".to_string());
    }
    if mfa.email_mfa_configuration().is_some() {
        methods.push("EMAIL_OTP".to_string());
    }
    let required = pool
        .schema_attributes()
        .iter()
        .filter(|a| a.required() == Some(true) && a.name() != Some("sub"))
        .filter_map(|a| a.name().map(str::to_string));
    let guests = out["IdentityPoolId"]
        .as_str()
        .and_then(|ip| seed.describe_identity_pool(ip))
        .map(|ip| ip.allow_unauthenticated_identities());
    let subject = pool.email_verification_subject().or(pool
        .verification_message_template()
        .and_then(|t| t.email_subject()));
    let unit = client
        .token_validity_units()
        .and_then(|u| u.refresh_token())
        .map_or("days", |u| u.as_str());
    BTreeMap::from([
        (
            "password policy",
            json!([
                pw.minimum_length(),
                pw.require_lowercase(),
                pw.require_uppercase(),
                pw.require_numbers(),
                pw.require_symbols()
            ]),
        ),
        ("MFA mode", json!(mode)),
        (
            "MFA methods",
            if mode == "OFF" {
                json!([])
            } else {
                sorted(methods)
            },
        ),
        (
            "username attributes",
            sorted(
                pool.username_attributes()
                    .iter()
                    .map(|a| a.as_str().to_string()),
            ),
        ),
        (
            "auto-verified attributes",
            sorted(
                pool.auto_verified_attributes()
                    .iter()
                    .map(|a| a.as_str().to_string()),
            ),
        ),
        ("required attributes", sorted(required)),
        (
            "groups",
            sorted(groups.groups().iter().map(|g| {
                format!(
                    "{}:{}",
                    g.group_name().unwrap_or(""),
                    g.precedence().map_or("null".into(), |p| p.to_string())
                )
            })),
        ),
        (
            "refresh token days",
            days(client.refresh_token_validity().into(), unit),
        ),
        ("guest access", json!(guests)),
        ("verification subject", json!(subject)),
    ])
}

/// What an export says when a setting cannot be carried: the setting → the
/// words the export uses for it.
const ANNOUNCED: &[(&str, &str)] = &[
    ("username attributes", "Sign-in with a user name"),
    ("auto-verified attributes", "Sign-in with a user name"),
    ("guest access", "A user pool without an identity pool"),
];

/// `defineAuth`: each setting equal to the live pool's, or announced.
/// Returns the table row of each setting for the closing figures.
fn compare_define(name: &str, want: &Settings, got: &Settings, said: &str) -> Vec<String> {
    let mut rows = Vec::new();
    for (setting, live) in want {
        let synthesized = &got[setting];
        if live == synthesized {
            rows.push(format!("{setting}: equal"));
            continue;
        }
        let announced = ANNOUNCED
            .iter()
            .any(|(s, words)| s == setting && said.contains(words));
        assert!(
            announced,
            "{name}: {setting} differs and the export did not say so: live {live}, synthesized {synthesized}\n{said}"
        );
        rows.push(format!("{setting}: differs, announced"));
    }
    rows
}

/// `referenceAuth`: exactly the env's ids (or, without an identity pool, the
/// env's client configuration through addOutput).
fn assert_referenced(name: &str, root: &Path, resources: &[Value], out: &Value) {
    let refs = of_type(resources, "Custom::AmplifyRefAuth");
    if out["IdentityPoolId"].is_null() {
        assert!(refs.is_empty(), "{name}: {refs:?}");
        let backend = std::fs::read_to_string(root.join("gen2/amplify/backend.ts")).unwrap();
        assert!(
            backend.contains(out["UserPoolId"].as_str().unwrap()),
            "{name}: {backend}"
        );
        return;
    }
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    let cfn = &meta["providers"]["awscloudformation"];
    let r = refs[0];
    assert_eq!(r["userPoolId"], out["UserPoolId"], "{name}");
    assert_eq!(r["userPoolClientId"], out["AppClientIDWeb"], "{name}");
    assert_eq!(r["identityPoolId"], out["IdentityPoolId"], "{name}");
    assert_eq!(r["authRoleArn"], cfn["AuthRoleArn"], "{name}");
    assert_eq!(r["unauthRoleArn"], cfn["UnauthRoleArn"], "{name}");
    let groups: BTreeMap<String, Value> = meta["auth"]["userPoolGroups"]["output"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.strip_suffix("GroupRole")?.to_string(), v.clone())))
        .collect();
    assert_eq!(r["groups"], json!(groups), "{name}");
}

#[test]
fn every_managed_payload_synthesizes_to_the_live_pool_or_says_why_not() {
    let overrides = json!({"userPool": {
        "Policies.PasswordPolicy.MinimumLength": 14,
        "Policies.PasswordPolicy.RequireUppercase": false
    }});
    let mut table = Vec::new();
    for (payload, res) in [
        ("add-default", "mgdprojauth"),
        ("add-mfa", "mfaauth"),
        ("add-oauth", "oauthauth"),
        ("add-uponly", "uponlyauth"),
    ] {
        for with_overrides in [false, true] {
            let name = format!(
                "{payload}{}",
                if with_overrides { "+overrides" } else { "" }
            );
            let emu = Emulator::start();
            let home = tempfile::tempdir().unwrap();
            let dir = added(&emu, home.path(), payload);
            let root = dir.path();
            if with_overrides {
                std::fs::write(
                    root.join(format!("amplify/backend/auth/{res}/override.json")),
                    overrides.to_string(),
                )
                .unwrap();
            }
            let r = push(root, home.path(), &[]);
            assert_eq!(r.code, 0, "{name}: {}", r.stderr);
            let out = auth_output(root, res);
            let seed = Seeder::new(&emu, "us-east-1");
            let r = export(root, &["--define"]);
            assert_eq!(r.code, 0, "{name}: {}", r.stderr);
            let got = synthesized(&synth(root, &name));
            let rows = compare_define(&name, &live(&seed, &out), &got, &r.stderr);
            table.push(format!("{name} defineAuth: {}", rows.join("; ")));
            if !with_overrides {
                let r = export(root, &["--reference"]);
                assert_eq!(r.code, 0, "{name}: {}", r.stderr);
                assert_referenced(&name, root, &synth(root, &name), &out);
                table.push(format!("{name} referenceAuth: the env's ids"));
            }
        }
    }
    eprintln!("{}", table.join("\n"));
}

#[test]
fn imported_auth_synthesizes_to_the_envs_ids() {
    let dir = offline_from_fixture("04-push-dev");
    let root = dir.path();
    let r = export(root, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let resources = synth(root, "imported");
    let r = of_type(&resources, "Custom::AmplifyRefAuth")[0];
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    let ids = &tpi["dev"]["categories"]["auth"]["peerproj"];
    for (field, key) in [
        ("userPoolId", "userPoolId"),
        ("userPoolClientId", "webClientId"),
        ("identityPoolId", "identityPoolId"),
        ("authRoleArn", "authRoleArn"),
        ("unauthRoleArn", "unauthRoleArn"),
    ] {
        assert_eq!(r[field], ids[key], "{field}");
    }
}
