//! `push --replace-user-pool`: a create-only setting changed (a sign-in
//! attribute); the new pool gets the users, groups and memberships of the
//! old one from a backup taken in the same run, the identity pool (same id)
//! moves to it, and the old pool stays with its users, recorded as retired.

use crate::managed_push::{added, auth_output, push};
use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

fn users_of(seed: &Seeder, pool: &str) -> Vec<String> {
    let out = seed
        .rt
        .block_on(seed.idp().list_users().user_pool_id(pool).send())
        .unwrap();
    let mut names: Vec<String> = out
        .users()
        .iter()
        .filter_map(|u| u.username().map(str::to_string))
        .collect();
    names.sort();
    names
}

#[test]
fn a_pool_replaced_after_a_sign_in_change_keeps_users_groups_and_the_identity_pool() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-default");
    let root = dir.path();
    assert_eq!(push(root, home.path(), &[]).code, 0);
    let res = crate::managed_push::only_auth_resource(root);
    let before = auth_output(root, &res);
    let old_pool = before["UserPoolId"].as_str().unwrap().to_string();
    let identity_pool = before["IdentityPoolId"].as_str().unwrap().to_string();
    let ok = |args: &[&str]| {
        let r = run(authwiz(root).env("HOME", home.path()).args(args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    };
    ok(&["groups", "add", "team", "--precedence", "3"]);
    ok(&[
        "users",
        "add",
        "alice",
        "--email",
        "alice@example.com",
        "--group",
        "team",
        "--no-invite",
    ]);
    ok(&[
        "users",
        "add",
        "bob",
        "--email",
        "bob@example.com",
        "--no-invite",
    ]);
    ok(&["users", "disable", "bob"]);
    // Sign in with the email too: only a new pool can have it.
    let inputs = root.join(format!("amplify/backend/auth/{res}/cli-inputs.json"));
    let mut v = read_json(&inputs);
    v["cognitoConfig"]["aliasAttributes"] = serde_json::json!(["email"]);
    std::fs::write(&inputs, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--replace-user-pool"), "{}", r.stderr);
    // Without --yes and a terminal: the typed name is missing, nothing changes.
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["push", "--replace-user-pool"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(users_of(&seed, &old_pool), ["alice", "bob"]);

    let r = push(root, home.path(), &["--replace-user-pool"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("retired"), "{}", r.stderr);
    let after = auth_output(root, &res);
    let new_pool = after["UserPoolId"].as_str().unwrap().to_string();
    assert_ne!(new_pool, old_pool);
    assert_eq!(
        after["IdentityPoolId"].as_str(),
        Some(identity_pool.as_str())
    );
    // Every user, the group and its member; the disabled user still disabled.
    assert_eq!(users_of(&seed, &new_pool), ["alice", "bob"]);
    let idp = seed.idp();
    let members = seed
        .rt
        .block_on(
            idp.list_users_in_group()
                .user_pool_id(&new_pool)
                .group_name("team")
                .send(),
        )
        .unwrap();
    let names: Vec<&str> = members
        .users()
        .iter()
        .filter_map(|u| u.username())
        .collect();
    assert_eq!(names, ["alice"]);
    let bob = seed
        .rt
        .block_on(
            idp.admin_get_user()
                .user_pool_id(&new_pool)
                .username("bob")
                .send(),
        )
        .unwrap();
    assert!(!bob.enabled());
    let described = seed
        .rt
        .block_on(idp.describe_user_pool().user_pool_id(&new_pool).send())
        .unwrap();
    let aliases: Vec<String> = described
        .user_pool()
        .unwrap()
        .alias_attributes()
        .iter()
        .map(|a| a.as_str().to_string())
        .collect();
    assert_eq!(aliases, ["email"]);
    // The identity pool trusts the new pool's clients only.
    let ip = seed
        .rt
        .block_on(
            seed.identity()
                .describe_identity_pool()
                .identity_pool_id(&identity_pool)
                .send(),
        )
        .unwrap();
    for p in ip.cognito_identity_providers() {
        assert!(p.provider_name().unwrap().ends_with(&new_pool), "{p:?}");
    }
    // The old pool is still there with its users, recorded as retired.
    assert_eq!(users_of(&seed, &old_pool), ["alice", "bob"]);
    let retired = read_json(root.join("amplify/authwiz-retired-user-pools.json"));
    assert_eq!(retired["dev"][0]["userPoolId"], old_pool.as_str());
    assert_eq!(retired["dev"][0]["replacedBy"], new_pool.as_str());
    let exports = std::fs::read_to_string(root.join("src/aws-exports.js")).unwrap();
    assert!(exports.contains(&new_pool), "{exports}");
    // Done: the next push has nothing to do.
    let r = push(root, home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
    // The old pool goes only when asked, after a backup of its users.
    let r = run(authwiz(root).args(["retired", "list", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(listed[0]["userPoolId"], old_pool.as_str());
    let r = run(authwiz(root).args(["retired", "delete", &new_pool, "--yes"]));
    assert_eq!(
        r.code, 1,
        "the pool in use is not a retired one: {}",
        r.stderr
    );
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["retired", "delete", &old_pool, "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let gone = seed
        .rt
        .block_on(idp.describe_user_pool().user_pool_id(&old_pool).send());
    assert!(gone.is_err(), "the retired pool stays: {gone:?}");
    let backups = root.join("amplify/.config/local-authwiz-backups/dev");
    let kept: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-retired-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let b = read_json(backups.join(&kept[0]));
    assert_eq!(b["users"].as_array().unwrap().len(), 2);
    assert!(
        !root
            .join("amplify/authwiz-retired-user-pools.json")
            .exists()
    );
    assert_eq!(users_of(&seed, &new_pool), ["alice", "bob"]);
}
