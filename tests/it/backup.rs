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

/// `n` users in `pool` (email sign-in), every tenth in `group`; made with
/// concurrent requests (the emulator takes them at once).
fn seed_users(seed: &Seeder, pool: &str, n: usize, group: &str) {
    use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
    let client = seed.idp();
    seed.rt.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..n {
            let (client, pool, group) = (client.clone(), pool.to_string(), group.to_string());
            tasks.push(tokio::spawn(async move {
                let email = format!("user{i:05}@example.com");
                let out = client
                    .admin_create_user()
                    .user_pool_id(&pool)
                    .username(&email)
                    .message_action(MessageActionType::Suppress)
                    .user_attributes(
                        AttributeType::builder()
                            .name("email")
                            .value(&email)
                            .build()
                            .unwrap(),
                    )
                    .user_attributes(
                        AttributeType::builder()
                            .name("name")
                            .value(format!("User {i}"))
                            .build()
                            .unwrap(),
                    )
                    .send()
                    .await
                    .unwrap();
                if i % 10 == 0 {
                    let username = out.user().unwrap().username().unwrap().to_string();
                    client
                        .admin_add_user_to_group()
                        .user_pool_id(&pool)
                        .username(username)
                        .group_name(&group)
                        .send()
                        .await
                        .unwrap();
                }
            }));
            if tasks.len() == 16 {
                for t in tasks.drain(..) {
                    t.await.unwrap();
                }
            }
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
}

/// A pushed MFA pool with `users` seeded users (every tenth in admins),
/// backed up; the summary must say `counts`. The emulator account, the
/// project and the backup file.
fn backed_up(users: usize, counts: &str) -> (Emulator, tempfile::TempDir, std::path::PathBuf) {
    let from = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = added(&from, home.path(), "add-mfa");
    let root = dir.path();
    assert_eq!(push(root, home.path(), &[]).code, 0);
    let pool = auth_output(root, "mfaauth")["UserPoolId"]
        .as_str()
        .unwrap()
        .to_string();
    seed_users(&Seeder::new(&from, "us-east-1"), &pool, users, "admins");
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["backup", "auth"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains(counts), "{}", r.stderr);
    let file = backup_file(root);
    (from, dir, file)
}

#[test]
fn two_thousand_users_restore_into_an_empty_pool_after_a_kill_with_no_duplicate() {
    use crate::managed_push::added_behind_a_proxy;
    let (_from, _dir, file) = backed_up(2000, "2000 users, 2 groups, 200 memberships");
    // Another account, its own empty pool, reached through a proxy that
    // freezes after 700 mutating requests: the restore is killed there.
    let to = Emulator::start();
    let (proxy, home2, dir2) = added_behind_a_proxy(&to, "add-mfa");
    let target = dir2.path();
    assert_eq!(push(target, home2.path(), &[]).code, 0);
    let target_pool = auth_output(target, "mfaauth")["UserPoolId"]
        .as_str()
        .unwrap()
        .to_string();
    proxy.freeze_after(Some(700));
    let mut child = authwiz(target)
        .env("HOME", home2.path())
        .args(["restore", "auth"])
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    while !proxy.frozen() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the restore ended before the kill"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    proxy.freeze_after(None);
    proxy.thaw();
    let restore = |extra: &[&str]| {
        run(authwiz(target)
            .env("HOME", home2.path())
            .args(["restore", "auth"])
            .arg(&file)
            .args(extra))
    };
    let r = restore(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("left as they are"), "{}", r.stderr);
    let r = restore(&["--check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Exactly one of each user.
    let seed = Seeder::new(&to, "us-east-1");
    let client = seed.idp();
    let mut count = 0;
    let mut token: Option<String> = None;
    loop {
        let out = seed
            .rt
            .block_on(
                client
                    .list_users()
                    .user_pool_id(&target_pool)
                    .set_pagination_token(token.clone())
                    .send(),
            )
            .unwrap();
        count += out.users().len();
        token = out.pagination_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(count, 2000);
}

mod users_and_groups {
    //! `users …` and `groups …` on a managed and on an imported pool.
    use super::*;
    use serde_json::json;

    fn aw(root: &Path, home: &Path, args: &[&str]) -> Run {
        run(authwiz(root).env("HOME", home).args(args))
    }

    fn listed(root: &Path, home: &Path, extra: &[&str]) -> Vec<Value> {
        let r = aw(
            root,
            home,
            &[&["users", "list", "--json"][..], extra].concat(),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str::<Value>(&r.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    #[test]
    fn a_managed_pools_users_and_groups_and_the_files_groups_left_to_the_files() {
        let emu = Emulator::start();
        let home = tempfile::tempdir().unwrap();
        let dir = added(&emu, home.path(), "add-mfa");
        let (root, h) = (dir.path(), home.path());
        assert_eq!(push(root, h, &[]).code, 0);
        let r = aw(
            root,
            h,
            &[
                "users",
                "add",
                "ada@example.com",
                "--email",
                "ada@example.com",
                "--attribute",
                "name=Ada",
                "--group",
                "admins",
                "--no-invite",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let users = listed(root, h, &[]);
        assert_eq!(users.len(), 1, "{users:?}");
        assert_eq!(users[0]["attributes"]["email"], "ada@example.com");
        assert_eq!(users[0]["attributes"]["name"], "Ada");
        let name = users[0]["username"].as_str().unwrap().to_string();
        assert_eq!(listed(root, h, &["--group", "admins"]).len(), 1);
        assert_eq!(listed(root, h, &["--filter", "email ^= \"ad\""]).len(), 1);
        assert_eq!(listed(root, h, &["--filter", "email ^= \"zz\""]).len(), 0);
        let r = aw(
            root,
            h,
            &[
                "users", "groups", &name, "--remove", "admins", "--add", "users",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains(": users"), "{}", r.stderr);
        assert_eq!(aw(root, h, &["users", "disable", &name]).code, 0);
        assert_eq!(listed(root, h, &[])[0]["enabled"], json!(false));
        assert_eq!(aw(root, h, &["users", "enable", &name]).code, 0);
        assert_eq!(listed(root, h, &[])[0]["enabled"], json!(true));
        // A group the files define is theirs; another one is the pool's.
        let r = aw(root, h, &["groups", "remove", "admins"]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains("defined by the project's files") && r.stderr.contains("update auth"),
            "{}",
            r.stderr
        );
        let r = aw(root, h, &["groups", "add", "testers", "--precedence", "5"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = aw(root, h, &["groups", "list", "--json"]);
        let groups: Value = serde_json::from_str(&r.stdout).unwrap();
        let names: Vec<&str> = groups
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"testers") && names.contains(&"admins"),
            "{names:?}"
        );
        assert_eq!(aw(root, h, &["groups", "remove", "testers"]).code, 0);
        // Deleting asks; --yes in scripts.
        let r = aw(root, h, &["users", "remove", &name]);
        assert_ne!(r.code, 0, "{}", r.stderr);
        assert_eq!(listed(root, h, &[]).len(), 1);
        let r = run(authwiz(root)
            .env("HOME", h)
            .args(["--yes", "users", "remove", &name]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(listed(root, h, &[]).is_empty());
        // A user that does not exist is named.
        let r = aw(root, h, &["users", "disable", "nobody"]);
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("nobody"), "{}", r.stderr);
    }

    #[test]
    fn an_imported_pools_users_and_groups() {
        let emu = Emulator::start();
        let (dir, _corp) = pushed(&emu, "javascript");
        let home = tempfile::tempdir().unwrap();
        let (root, h) = (dir.path(), home.path());
        let before = listed(root, h, &[]).len();
        let r = aw(
            root,
            h,
            &[
                "users",
                "add",
                "bob@example.com",
                "--email",
                "bob@example.com",
                "--no-invite",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(listed(root, h, &[]).len(), before + 1);
        let r = aw(
            root,
            h,
            &["groups", "add", "editors", "--description", "Edit things"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = aw(root, h, &["groups", "list"]);
        assert!(
            r.stderr.contains("editors") || r.stdout.contains("editors"),
            "{}{}",
            r.stdout,
            r.stderr
        );
    }
}

#[test]
fn a_create_answered_with_an_html_page_past_the_sdks_retries_is_looked_up_and_made_once() {
    use crate::managed_push::added_behind_a_proxy;
    let (_from, _dir, file) = backed_up(1, "1 users, 2 groups, 1 memberships");
    let to = Emulator::start();
    let (proxy, home2, dir2) = added_behind_a_proxy(&to, "add-mfa");
    let target = dir2.path();
    assert_eq!(push(target, home2.path(), &[]).code, 0);
    // Four creates answered with a failing server's page: more than the SDK
    // retries one request, so the restore looks the user up and tries again.
    proxy.fail("AdminCreateUser", 500, "<html>", Some(4));
    let r = run(authwiz(target)
        .env("HOME", home2.path())
        .args(["restore", "auth"])
        .arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("1 users made"), "{}", r.stderr);
    let users = run(authwiz(target)
        .env("HOME", home2.path())
        .args(["users", "list", "--json"]));
    let users: Value = serde_json::from_str(&users.stdout).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1);
    let r = run(authwiz(target)
        .env("HOME", home2.path())
        .args(["restore", "auth", "--check"])
        .arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
}
