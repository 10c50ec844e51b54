//! `export gen2`: the Gen 2 backend of each configuration (imported, default
//! managed, MFA with groups, OAuth with Google, user pool only, with overrides)
//! against its snapshot, its values against the env's, and every one compiled by
//! the real TypeScript compiler against the pinned @aws-amplify/backend and
//! aws-cdk-lib (tests/gen2). No AWS call: the projects point at nothing.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::*;

const SNAPSHOTS: &str = "tests/fixtures/gen2-export";

fn managed(step: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repo()
            .join("tests/fixtures/amplify-cli-14.2.2-managed")
            .join(step)
            .join("amplify"),
        &dir.path().join("amplify"),
    );
    dir
}

fn imported() -> tempfile::TempDir {
    offline_from_fixture("04-push-dev")
}

fn export(root: &Path, extra: &[&str]) -> Run {
    run(authwiz(root).args(["export", "gen2"]).args(extra))
}

/// Compares the exported files with the snapshot. A difference fails the
/// test; with AUTHWIZ_UPDATE_SNAPSHOTS=1 the snapshot is rewritten first, and
/// the test still fails, so that an update is never a silent pass.
fn assert_snapshot(name: &str, out: &Path) {
    let want = repo().join(SNAPSHOTS).join(name);
    let got = snapshot(out);
    let had = snapshot(&want);
    if got == had {
        return;
    }
    if std::env::var_os("AUTHWIZ_UPDATE_SNAPSHOTS").is_some() {
        let _ = std::fs::remove_dir_all(&want);
        copy_tree(out, &want);
        panic!(
            "{name}: the snapshot was rewritten; review it (git diff) and run again without AUTHWIZ_UPDATE_SNAPSHOTS"
        );
    }
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        had.keys().collect::<Vec<_>>(),
        "{name}: files"
    );
    for (rel, bytes) in had {
        assert_eq!(
            String::from_utf8_lossy(&got[&rel]),
            String::from_utf8_lossy(&bytes),
            "{name}: {rel} (AUTHWIZ_UPDATE_SNAPSHOTS=1 rewrites the snapshot)"
        );
    }
}

/// Every configuration's backend in one folder, compiled by tsc at once.
fn compile(backends: &[(String, PathBuf)]) {
    let gen2 = repo().join("tests/gen2");
    let tsc = gen2.join("node_modules/typescript/bin/tsc");
    assert!(
        tsc.exists() && gen2.join("node_modules/@aws-amplify/backend").exists(),
        "the Gen 2 libraries are not installed: run scripts/test.sh (it installs tests/gen2)"
    );
    let work = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(gen2.join("node_modules"), work.path().join("node_modules"))
        .unwrap();
    for (name, out) in backends {
        copy_tree(
            &out.join("amplify"),
            &work.path().join(name).join("amplify"),
        );
    }
    let tsconfig = json!({
        "compilerOptions": {
            "target": "es2022", "module": "es2022", "moduleResolution": "bundler",
            "resolveJsonModule": true, "esModuleInterop": true, "strict": true,
            "skipLibCheck": true, "noEmit": true
        },
        "include": ["*/amplify/**/*.ts"]
    });
    std::fs::write(work.path().join("tsconfig.json"), tsconfig.to_string()).unwrap();
    let out = std::process::Command::new("node")
        .arg(&tsc)
        .args(["-p", "tsconfig.json"])
        .current_dir(work.path())
        .output()
        .expect("node runs tsc");
    assert!(
        out.status.success(),
        "tsc:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_configuration_exports_the_snapshot_and_compiles() {
    let mut backends = Vec::new();
    let mut keep = Vec::new();
    let overrides_json = json!({
        "userPool": {
            "Policies.PasswordPolicy.MinimumLength": 14,
            "Policies.SignInPolicy.AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN", "EMAIL_OTP"],
            "WebAuthnRelyingPartyID": "example.com",
            "UserPoolTier": "ESSENTIALS",
            "MfaConfiguration": "OPTIONAL",
            "EnabledMfas": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
            "EmailConfiguration.EmailSendingAccount": "DEVELOPER",
            "EmailConfiguration.From": "no-reply@example.com",
            "EmailConfiguration.SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            "AccountRecoverySetting.RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 1}]
        },
        "userPoolClientWeb": {
            "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        },
        "identityPool": {"AllowClassicFlow": true}
    });
    for (name, dir, extra) in [
        ("imported", imported(), vec![]),
        ("imported-add-output", imported(), vec!["--add-output"]),
        ("default", managed("42-default-add-auth"), vec![]),
        ("mfa-groups", managed("52-mfa-add-auth"), vec![]),
        ("oauth-google", managed("62-oauth-add-auth"), vec![]),
        ("user-pool-only", managed("72-uponly-add-auth"), vec![]),
        ("overrides", managed("52-mfa-add-auth"), vec![]),
    ] {
        let root = dir.path();
        if name == "overrides" {
            std::fs::write(
                root.join("amplify/backend/auth/mfaauth/override.json"),
                overrides_json.to_string(),
            )
            .unwrap();
        }
        let r = export(root, &extra);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert_snapshot(name, &root.join("gen2"));
        backends.push((name.to_string(), root.join("gen2")));
        keep.push((name, dir, r.stderr));
    }
    compile(&backends);
    // What each says beyond the files.
    let said = |name: &str| keep.iter().find(|k| k.0 == name).unwrap().2.clone();
    assert!(said("oauth-google").contains("npx ampx sandbox secret set GOOGLE_CLIENT_SECRET"));
    assert!(said("oauth-google").contains("The hosted UI domain prefix 'mgdprojoauth'"));
    assert!(said("user-pool-only").contains("A user pool without an identity pool"));
    assert!(said("default").contains("Sign-in with a user name"));
    assert!(
        !said("mfa-groups").contains("Not expressed"),
        "{}",
        said("mfa-groups")
    );
}

#[test]
fn imported_values_are_the_envs() {
    let dir = imported();
    let root = dir.path();
    assert_eq!(export(root, &[]).code, 0);
    let ts = std::fs::read_to_string(root.join("gen2/amplify/auth/resource.ts")).unwrap();
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    let ids = &tpi["dev"]["categories"]["auth"]["peerproj"];
    for (key, field) in [
        ("userPoolId", "userPoolId"),
        ("webClientId", "userPoolClientId"),
        ("identityPoolId", "identityPoolId"),
        ("authRoleArn", "authRoleArn"),
        ("unauthRoleArn", "unauthRoleArn"),
    ] {
        let want = format!("{field}: {},", ids[key]);
        assert!(ts.contains(&want), "{want} in\n{ts}");
    }
}

#[test]
fn export_never_overwrites_without_force_and_refuses_what_it_cannot_say() {
    let dir = managed("52-mfa-add-auth");
    let root = dir.path();
    assert_eq!(export(root, &[]).code, 0);
    let file = root.join("gen2/amplify/backend.ts");
    std::fs::write(&file, "// mine\n").unwrap();
    let before = snapshot(root);
    let r = export(root, &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("gen2/amplify/backend.ts") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root), "nothing was written");
    let r = export(root, &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(std::fs::read_to_string(&file).unwrap(), "// mine\n");
    // Not into the Gen 1 folder, not outside the project; a bad override stops it.
    let r = export(root, &["--out", "amplify"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Gen 1 project's amplify/ folder"),
        "{}",
        r.stderr
    );
    let r = export(root, &["--out", "x/../amplify"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("goes through '..'"), "{}", r.stderr);
    // Outside the project (a new Gen 2 app's folder): built beside it and
    // put in place whole; into one that exists, its other files stay; a
    // changed file needs --force; a symbolic link is refused.
    let apps = tempfile::tempdir().unwrap();
    let app = apps.path().join("my-gen2-app");
    let r = export(root, &["--out", &app.to_string_lossy()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(app.join("amplify/backend.ts").exists());
    let leftovers: Vec<_> = std::fs::read_dir(apps.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    std::fs::write(app.join("package.json"), "{}").unwrap();
    std::fs::write(app.join("amplify/backend.ts"), "// mine\n").unwrap();
    let r = export(root, &["--out", &app.to_string_lossy()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    let r = export(root, &["--out", &app.to_string_lossy(), "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(
        std::fs::read_to_string(app.join("amplify/backend.ts")).unwrap(),
        "// mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(app.join("package.json")).unwrap(),
        "{}"
    );
    let link = apps.path().join("linked-app");
    std::os::unix::fs::symlink(&app, &link).unwrap();
    let r = export(root, &["--out", &link.to_string_lossy(), "--force"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    // `../name` from the project is a folder beside it.
    let r = export(root, &["--out", "../gen2-beside"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        root.parent()
            .unwrap()
            .join("gen2-beside/amplify/backend.ts")
            .exists()
    );
    std::fs::remove_dir_all(root.parent().unwrap().join("gen2-beside")).unwrap();
    std::fs::write(
        root.join("amplify/backend/auth/mfaauth/override.json"),
        r#"{"userPool": {"UserPoolTeir": "PLUS"}}"#,
    )
    .unwrap();
    let r = export(root, &["--force"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("nearest valid ones: UserPoolTier"),
        "{}",
        r.stderr
    );
}

mod reference {
    //! Managed auth pushed to the emulator: `referenceAuth` by default when the
    //! pool holds users or signs in with user names, with the env's ids.
    use super::*;
    use crate::managed_push::{added, auth_output, push};
    use crate::support::emulator::Emulator;
    use crate::support::seed::Seeder;

    /// The MFA payload added and pushed: the project, its home, the emulator
    /// account and the pool's id.
    fn pushed_mfa() -> (Emulator, tempfile::TempDir, tempfile::TempDir, String) {
        let emu = Emulator::start();
        let home = tempfile::tempdir().unwrap();
        let dir = added(&emu, home.path(), "add-mfa");
        assert_eq!(push(dir.path(), home.path(), &[]).code, 0);
        let pool = auth_output(dir.path(), "mfaauth")["UserPoolId"]
            .as_str()
            .unwrap()
            .to_string();
        (emu, home, dir, pool)
    }

    fn resource_ts(root: &Path) -> String {
        std::fs::read_to_string(root.join("gen2/amplify/auth/resource.ts")).unwrap()
    }

    #[test]
    fn a_pool_with_users_is_referenced_with_the_envs_ids_and_define_is_asked_for() {
        let (emu, _home, dir, pool) = pushed_mfa();
        let root = dir.path();
        let out = auth_output(root, "mfaauth");
        // No users yet: defineAuth, and it says how to keep the pool.
        let r = export(root, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(resource_ts(root).contains("defineAuth("));
        assert!(r.stderr.contains("the pool holds no users"), "{}", r.stderr);
        // A user: referenceAuth, the env's ids and the groups' roles.
        Seeder::new(&emu, "us-east-1").user(&pool, "ada@example.com", "Passw0rd!Passw0rd");
        let r = export(root, &["--force"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("the pool holds 1 users"), "{}", r.stderr);
        assert!(
            r.stderr.contains("The Gen 1 project still manages"),
            "{}",
            r.stderr
        );
        let ts = resource_ts(root);
        let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
        let cfn = &meta["providers"]["awscloudformation"];
        let groups = &meta["auth"]["userPoolGroups"]["output"];
        for (field, want) in [
            ("userPoolId", &out["UserPoolId"]),
            ("userPoolClientId", &out["AppClientIDWeb"]),
            ("identityPoolId", &out["IdentityPoolId"]),
            ("authRoleArn", &cfn["AuthRoleArn"]),
            ("unauthRoleArn", &cfn["UnauthRoleArn"]),
            ("admins", &groups["adminsGroupRole"]),
            ("users", &groups["usersGroupRole"]),
        ] {
            assert!(want.is_string(), "{field}: {meta}");
            let line = format!("{field}: {want},");
            assert!(ts.contains(&line), "{line} in\n{ts}");
        }
        // --define: the settings for a new pool, whatever the pool holds.
        let r = export(root, &["--force", "--define"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(resource_ts(root).contains("defineAuth("));
    }

    #[test]
    fn user_name_sign_in_is_referenced_without_a_call_and_reference_needs_a_push() {
        let emu = Emulator::start();
        let home = tempfile::tempdir().unwrap();
        let dir = added(&emu, home.path(), "add-default");
        let root = dir.path();
        // Not pushed: nothing to reference.
        let before = snapshot(root);
        let r = export(root, &["--reference"]);
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("has not been pushed"), "{}", r.stderr);
        assert_eq!(before, snapshot(root), "nothing was written");
        assert_eq!(push(root, home.path(), &[]).code, 0);
        emu.reset_calls();
        let r = export(root, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("sign in with user names"), "{}", r.stderr);
        assert!(resource_ts(root).contains("referenceAuth("));
        assert!(emu.calls().is_empty(), "{:?}", emu.calls());
    }

    #[test]
    fn detach_makes_the_gen1_resource_imported_and_remove_then_push_keeps_the_pool() {
        let (emu, home, dir, pool) = pushed_mfa();
        let root = dir.path();
        // --detach only follows a referenceAuth export.
        let before = snapshot(root);
        let r = export(root, &["--detach"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("--detach follows a referenceAuth export"),
            "{}",
            r.stderr
        );
        assert_eq!(before, snapshot(root), "nothing was written");
        let seed = Seeder::new(&emu, "us-east-1");
        seed.user(&pool, "ada@example.com", "Passw0rd!Passw0rd");
        let r = export(root, &["--detach"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("is now imported"), "{}", r.stderr);
        let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
        assert_eq!(meta["auth"]["mfaauth"]["serviceType"], "imported", "{meta}");
        assert_eq!(meta["auth"]["mfaauth"]["output"]["UserPoolId"], json!(pool));
        assert!(meta["auth"].get("userPoolGroups").is_none(), "{meta}");
        let res = root.join("amplify/backend/auth/mfaauth");
        assert!(res.join("parameters.json").exists() && !res.join("cli-inputs.json").exists());
        let tpi = read_json(root.join("amplify/team-provider-info.json"));
        assert_eq!(
            tpi["dev"]["categories"]["auth"]["mfaauth"]["userPoolId"],
            json!(pool)
        );
        // The record says the same: nothing to push.
        let r = run(authwiz(root).env("HOME", home.path()).arg("status"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            !r.stdout.contains("| Update") && !r.stdout.contains("| Delete"),
            "{}",
            r.stdout
        );
        // remove auth + push unlinks: the pool and its user stay.
        let r = run(authwiz(root)
            .env("HOME", home.path())
            .args(["remove", "auth", "mfaauth", "--yes"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        emu.reset_calls();
        assert_eq!(push(root, home.path(), &[]).code, 0);
        assert!(
            !emu.calls().iter().any(|c| c.contains("Delete")),
            "{:?}",
            emu.calls()
        );
        assert_eq!(seed.describe_pool(&pool).estimated_number_of_users(), 1);
    }
}
