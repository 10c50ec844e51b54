//! `backup auth` and `restore auth` on the emulator: a pushed pool with users,
//! a disabled one, groups and memberships saved (0600, git-ignored folder),
//! the users deleted, restored, checked, and restored again with no duplicate.

use std::path::Path;

use serde_json::Value;

use crate::managed_push::{added, auth_output, push};
use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

fn backup_file(root: &Path) -> std::path::PathBuf {
    let dir = root.join("amplify/.config/local-authwiz-backups/dev");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files.pop().unwrap()
}

#[test]
fn a_backup_restores_users_groups_and_memberships_and_checks_clean() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&emu, home.path(), "add-mfa");
    let root = dir.path();
    assert_eq!(push(root, home.path(), &[]).code, 0);
    let pool = auth_output(root, "mfaauth")["UserPoolId"]
        .as_str()
        .unwrap()
        .to_string();
    let seed = Seeder::new(&emu, "us-east-1");
    let client = seed.idp();
    let emails = ["ada@example.com", "bob@example.com", "cy@example.com"];
    for e in emails {
        seed.user(&pool, e, "Passw0rd!Passw0rd");
    }
    let rt = &seed.rt;
    let username = |email: &str| -> String {
        let out = rt
            .block_on(
                client
                    .list_users()
                    .user_pool_id(&pool)
                    .filter(format!("email = \"{email}\""))
                    .send(),
            )
            .unwrap();
        out.users()[0].username().unwrap().to_string()
    };
    rt.block_on(
        client
            .admin_add_user_to_group()
            .user_pool_id(&pool)
            .username(username("ada@example.com"))
            .group_name("admins")
            .send(),
    )
    .unwrap();
    rt.block_on(
        client
            .admin_disable_user()
            .user_pool_id(&pool)
            .username(username("cy@example.com"))
            .send(),
    )
    .unwrap();
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["backup", "auth"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("3 users, 2 groups, 1 memberships"),
        "{}",
        r.stderr
    );
    let file = backup_file(root);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let b: Value = read_json(&file);
    assert_eq!(b["format"], "authwiz-auth-backup");
    assert_eq!(b["version"], 1);
    assert_eq!(b["users"].as_array().unwrap().len(), 3);
    assert!(b["cannotHold"][0].as_str().unwrap().contains("Passwords"));
    assert!(!b.to_string().contains("client_secret"));
    // The users gone: restore makes them, with the membership and the
    // disabled one disabled; a check finds nothing missing.
    for e in emails {
        rt.block_on(
            client
                .admin_delete_user()
                .user_pool_id(&pool)
                .username(username(e))
                .send(),
        )
        .unwrap();
    }
    let check = |root: &Path| {
        run(authwiz(root)
            .env("HOME", home.path())
            .args(["restore", "auth", "--check"])
            .arg(&file))
    };
    let r = check(root);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("user ada@example.com: missing"),
        "{}",
        r.stderr
    );
    let restore = || {
        run(authwiz(root)
            .env("HOME", home.path())
            .args(["restore", "auth"])
            .arg(&file))
    };
    let r = restore();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("0 groups and 3 users made, 1 memberships"),
        "{}",
        r.stderr
    );
    let r = check(root);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let cy = rt
        .block_on(
            client
                .admin_get_user()
                .user_pool_id(&pool)
                .username(username("cy@example.com"))
                .send(),
        )
        .unwrap();
    assert!(!cy.enabled());
    // Again: nothing made twice.
    let r = restore();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("0 groups and 0 users made"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("left as they are: 3 users"),
        "{}",
        r.stderr
    );
    let all = rt
        .block_on(client.list_users().user_pool_id(&pool).send())
        .unwrap();
    assert_eq!(all.users().len(), 3);
}

#[test]
fn restore_refuses_what_is_not_a_backup() {
    let dir = offline_from_fixture("04-push-dev");
    let root = dir.path();
    let bad = root.join("bad.json");
    std::fs::write(&bad, r#"{"format": "something-else", "version": 1}"#).unwrap();
    let before = snapshot(root);
    let r = run(authwiz(root).args(["restore", "auth"]).arg(&bad));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("bad.json is not a backup"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
}
