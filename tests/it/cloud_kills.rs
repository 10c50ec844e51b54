//! A push killed at every AWS request that changes the cloud (the request
//! applied, its reply never seen) converges on the next push: nothing made
//! twice, nothing left over, and the cloud as the files say. Managed auth is
//! created (default, MFA, OAuth payloads), updated and deleted.

use std::path::Path;
use std::time::Duration;

use crate::managed_push::{added, headless_cmd, only_auth_resource, push};
use crate::support::emulator::Emulator;
use crate::support::proxy::Proxy;
use crate::support::seed::Seeder;
use crate::support::*;

/// What a scenario does before the push that is killed.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Create,
    Update,
    Delete,
}

/// What the account holds: user pools by name, their clients, identity
/// pools, roles. A converged push leaves each exactly once.
fn inventory(emu: &Emulator) -> Vec<String> {
    let s = Seeder::new(emu, "us-east-1");
    let mut out = Vec::new();
    let pools =
        s.rt.block_on(s.idp().list_user_pools().max_results(60).send())
            .unwrap();
    for p in pools.user_pools() {
        out.push(format!("user pool {}", p.name().unwrap_or_default()));
        let clients =
            s.rt.block_on(
                s.idp()
                    .list_user_pool_clients()
                    .user_pool_id(p.id().unwrap())
                    .max_results(60)
                    .send(),
            )
            .unwrap();
        for c in clients.user_pool_clients() {
            out.push(format!("  client {}", c.client_name().unwrap_or_default()));
        }
    }
    let ips =
        s.rt.block_on(s.identity().list_identity_pools().max_results(60).send())
            .unwrap();
    for ip in ips.identity_pools() {
        out.push(format!(
            "identity pool {}",
            ip.identity_pool_name().unwrap_or_default()
        ));
    }
    let roles = s.rt.block_on(s.iam().list_roles().send()).unwrap();
    for r in roles.roles() {
        out.push(format!("role {}", r.role_name()));
    }
    let mut out: Vec<String> = out.iter().map(|n| masked(n)).collect();
    out.sort();
    out
}

/// A name with its per-project random parts (the shared id, the env's hash)
/// masked, so that two accounts' inventories compare.
fn masked(name: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for ch in name.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_hexdigit() {
            run.push(ch);
            continue;
        }
        if run.len() >= 5 {
            out.push('#');
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(ch);
    }
    out.pop();
    out
}

/// A project at the point before the push under test, reaching the emulator
/// through `proxy`.
fn prepare(
    emu: &Emulator,
    proxy: &Proxy,
    home: &Path,
    payload: &str,
    stage: Stage,
) -> tempfile::TempDir {
    let dir = added(emu, home, payload);
    let root = dir.path();
    let info = root.join("amplify/.config/local-aws-info.json");
    let text = std::fs::read_to_string(&info).unwrap();
    std::fs::write(&info, text.replace(&emu.url(), &proxy.url())).unwrap();
    if stage == Stage::Create {
        return dir;
    }
    let r = push(root, home, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = match stage {
        Stage::Update => {
            let update = r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{"passwordPolicy":{"minimumLength":12,"additionalConstraints":["REQUIRE_DIGIT","REQUIRE_UPPERCASE"]}},"includeIdentityPool":true,"identityPoolModification":{"unauthenticatedLogin":true}}}"#;
            headless_cmd(root, home, &["update", "auth", "--headless"], update)
        }
        _ => {
            let res = only_auth_resource(root);
            let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
            if meta["auth"].get("userPoolGroups").is_some() {
                let r = run(authwiz(root).args(["remove", "auth", "userPoolGroups", "--yes"]));
                assert_eq!(r.code, 0, "{}", r.stderr);
            }
            run(authwiz(root)
                .env("HOME", home)
                .args(["remove", "auth", &res, "--yes"]))
        }
    };
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

/// Runs `push --yes`, killed once the proxy froze on its kill point; whether it was.
fn push_killed(proxy: &Proxy, root: &Path, home: &Path) -> bool {
    let mut child = authwiz(root)
        .env("HOME", home)
        .args(["push", "--yes"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    loop {
        if proxy.frozen() {
            child.kill().unwrap();
            child.wait().unwrap();
            proxy.thaw();
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            proxy.thaw();
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Kills the push at each of its mutating requests in turn; after each kill
/// the next push must finish, and the account must hold what an unkilled push
/// leaves, each resource once. Returns (kill points, converged).
fn sweep(payload: &str, stage: Stage) -> (usize, usize) {
    let reference = Emulator::start();
    let proxy = Proxy::start(reference.port);
    let home = tempfile::tempdir().unwrap();
    // The unkilled run: how many mutating requests, and what it leaves.
    let dir = prepare(&reference, &proxy, home.path(), payload, stage);
    proxy.freeze_after(None);
    let r = push(dir.path(), home.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let total = proxy.mutations();
    let want = inventory(&reference);
    assert!(total > 0);
    let mut converged = 0;
    for k in 1..=total {
        let emu = Emulator::start();
        let home = tempfile::tempdir().unwrap();
        let dir = prepare(&emu, &proxy, home.path(), payload, stage);
        let root = dir.path();
        proxy.freeze_after(Some(k));
        assert!(
            push_killed(&proxy, root, home.path()),
            "{payload} {k}/{total}: not killed"
        );
        let r = push(root, home.path(), &[]);
        assert_eq!(
            r.code, 0,
            "{payload}: the push after a kill at {k}/{total}: {}",
            r.stderr
        );
        assert_eq!(
            inventory(&emu),
            want,
            "{payload}: after a kill at {k}/{total}"
        );
        if stage != Stage::Delete {
            let r = push(root, home.path(), &["--check-cloud"]);
            assert!(
                r.stderr.contains("nothing to set back"),
                "{payload}: after a kill at {k}/{total}: {}",
                r.stderr
            );
        }
        converged += 1;
    }
    eprintln!(
        "kill sweep {payload} ({}): {total} kill points, {converged} converged",
        match stage {
            Stage::Create => "create",
            Stage::Update => "update",
            Stage::Delete => "delete",
        }
    );
    (total, converged)
}

#[test]
fn a_create_killed_at_any_request_converges() {
    for payload in ["add-default", "add-mfa", "add-oauth"] {
        let (tried, converged) = sweep(payload, Stage::Create);
        assert_eq!(tried, converged);
    }
}

#[test]
fn an_update_killed_at_any_request_converges() {
    for payload in ["add-default", "add-mfa", "add-oauth"] {
        let (tried, converged) = sweep(payload, Stage::Update);
        assert_eq!(tried, converged);
    }
}

#[test]
fn a_delete_killed_at_any_request_converges() {
    for payload in ["add-default", "add-mfa", "add-oauth"] {
        let (tried, converged) = sweep(payload, Stage::Delete);
        assert_eq!(tried, converged);
    }
}
