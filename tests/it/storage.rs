//! Storage access on the imported roles: add/update/remove storage and the push
//! that applies role policies (plan, confirmation, rollback) against the emulator.

use authwiz::prompt::{Reply, ScriptedPrompter};
use serde_json::{Value, json};

use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

const SUB: &str = "${cognito-identity.amazonaws.com:sub}";

fn add_storage(root: &std::path::Path, auth: &str, guest: Option<&str>) -> Run {
    let mut cmd = authwiz(root);
    cmd.args([
        "add",
        "storage",
        "--yes",
        "--name",
        "files",
        "--bucket-name",
        "corpfiles",
        "--auth-access",
        auth,
    ]);
    if let Some(g) = guest {
        cmd.args(["--guest-access", g]);
    }
    run(&mut cmd)
}

fn role_policies(seed: &Seeder, role: &str) -> Vec<String> {
    let out = seed
        .rt
        .block_on(seed.iam().list_role_policies().role_name(role).send())
        .unwrap();
    out.policy_names().to_vec()
}

/// The documented policy for signed-in users with every operation (docs/storage.md).
fn documented_auth(bucket: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Objects", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
         "Resource": [format!("arn:aws:s3:::{bucket}/public/*"), format!("arn:aws:s3:::{bucket}/protected/{SUB}/*"), format!("arn:aws:s3:::{bucket}/private/{SUB}/*")]},
        {"Sid": "Uploads", "Effect": "Allow", "Action": ["s3:PutObject"], "Resource": [format!("arn:aws:s3:::{bucket}/uploads/*")]},
        {"Sid": "ReadProtected", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [format!("arn:aws:s3:::{bucket}/protected/*")]},
        {"Sid": "List", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [format!("arn:aws:s3:::{bucket}")],
         "Condition": {"StringLike": {"s3:prefix": ["public/", "public/*", "protected/", "protected/*", format!("private/{SUB}/"), format!("private/{SUB}/*")]}}}
    ]})
}

/// The documented policy for guests with read access.
fn documented_guest_read(bucket: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Objects", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [format!("arn:aws:s3:::{bucket}/public/*")]},
        {"Sid": "ReadProtected", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [format!("arn:aws:s3:::{bucket}/protected/*")]},
        {"Sid": "List", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [format!("arn:aws:s3:::{bucket}")],
         "Condition": {"StringLike": {"s3:prefix": ["public/", "public/*", "protected/", "protected/*"]}}}
    ]})
}

#[test]
fn add_storage_and_push_put_the_documented_policies_once() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    let seed = Seeder::new(&emu, "us-east-1");
    let r = add_storage(root, "create,read,delete", Some("read"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read_json(root.join("amplify/backend/storage/files/cli-inputs.json")),
        json!({"resourceName": "files", "bucketName": "corpfiles", "storageAccess": "authAndGuest", "guestAccess": ["READ"],
               "authAccess": ["CREATE_AND_UPDATE", "READ", "DELETE"], "triggerFunction": "NONE", "groupAccess": {}})
    );
    let backend = read_json(root.join("amplify/backend/backend-config.json"));
    assert_eq!(
        backend["storage"]["files"]["dependsOn"][0]["resourceName"],
        "peerproj"
    );
    assert_eq!(
        read_json(root.join("amplify/team-provider-info.json"))["dev"]["categories"]["storage"]["files"],
        json!({"bucketName": "corpfiles-dev"})
    );
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status.stdout.contains(
            "{\"category\":\"storage\",\"resourceName\":\"files\",\"operation\":\"Create\""
        ),
        "{}",
        status.stdout
    );
    // remove auth is blocked while storage depends on it.
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Dependency: S3 - files (storage) depends on auth 'peerproj'"),
        "{}",
        r.stderr
    );
    // The way out is the command that removes the dependency.
    assert!(
        r.stderr
            .contains("Remove the dependency first (`authwiz remove storage files`), then retry."),
        "{}",
        r.stderr
    );

    let r = run(authwiz(root).args(["push", "--dry-run"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("S3 bucket corpfiles-dev: create"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "IAM role corp-auth-role (authenticated), policy authwiz-storage-files-dev-auth:"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("  + Uploads: s3:PutObject on arn:aws:s3:::corpfiles-dev/uploads/*"),
        "{}",
        r.stderr
    );
    assert!(
        seed.role_policy("corp-auth-role", "authwiz-storage-files-dev-auth")
            .is_none(),
        "dry run changes nothing"
    );

    emu.reset_calls();
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let calls = emu.calls();
    for mutating in ["s3:CreateBucket", "iam:PutRolePolicy"] {
        assert!(calls.iter().any(|c| c == mutating), "{mutating}: {calls:?}");
    }
    assert_eq!(
        seed.role_policy("corp-auth-role", "authwiz-storage-files-dev-auth"),
        Some(documented_auth("corpfiles-dev"))
    );
    assert_eq!(
        seed.role_policy("corp-unauth-role", "authwiz-storage-files-dev-guest"),
        Some(documented_guest_read("corpfiles-dev"))
    );
    let js = read_json(root.join("src/amplifyconfiguration.json"));
    assert_eq!(js["aws_user_files_s3_bucket"], "corpfiles-dev");
    assert_eq!(js["aws_user_files_s3_bucket_region"], "us-east-1");
    assert_valid_outputs(&root.join("amplify_outputs.json"));
    let outputs = read_json(root.join("amplify_outputs.json"));
    assert_eq!(
        outputs["storage"],
        json!({"aws_region": "us-east-1", "bucket_name": "corpfiles-dev"})
    );
    let keys: Vec<&String> = outputs.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["auth", "storage", "version"]);

    // Nothing changed: no AWS call at all, so no mutating one.
    emu.reset_calls();
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert!(r.stderr.contains("No changes detected"));
    assert!(emu.calls().is_empty());
}

#[test]
fn update_and_remove_storage_change_only_its_own_policies() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    let seed = Seeder::new(&emu, "us-east-1");
    // Someone else's inline policy on the imported role stays untouched.
    let other = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]});
    seed.rt
        .block_on(
            seed.iam()
                .put_role_policy()
                .role_name("corp-auth-role")
                .policy_name("keep-me")
                .policy_document(other.to_string())
                .send(),
        )
        .unwrap();
    assert_eq!(add_storage(root, "read", None).code, 0);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    assert!(
        role_policies(&seed, "corp-unauth-role").is_empty(),
        "auth users only"
    );

    // Broadening asks with its own question; declining changes nothing.
    let r = run(authwiz(root).args([
        "update",
        "storage",
        "--yes",
        "--auth-access",
        "create,read,delete",
        "--guest-access",
        "read",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut p = ScriptedPrompter::new([(
        "This push grants IAM roles permissions they do not have now",
        Reply::Confirm(false),
    )]);
    let out = run_scripted(root, &["push"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(
        out.human
            .contains("  ~ Objects: s3:PutObject, s3:GetObject, s3:DeleteObject on"),
        "{}",
        out.human
    );
    assert_eq!(
        seed.role_policy("corp-auth-role", "authwiz-storage-files-dev-auth")
            .unwrap()["Statement"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    assert_eq!(
        seed.role_policy("corp-auth-role", "authwiz-storage-files-dev-auth"),
        Some(documented_auth("corpfiles-dev"))
    );

    // Narrowing: back to auth read only; the guest policy goes.
    assert_eq!(
        run(authwiz(root).args([
            "update",
            "storage",
            "--yes",
            "--auth-access",
            "read",
            "--guest-access",
            ""
        ]))
        .code,
        0
    );
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("  - Uploads:"), "{}", r.stderr);
    assert!(
        seed.role_policy("corp-unauth-role", "authwiz-storage-files-dev-guest")
            .is_none()
    );

    // Remove storage + push: its policies go, the other policy and the bucket stay.
    let r = run(authwiz(root).args(["remove", "storage", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status.stdout.contains("\"operation\":\"Delete\""),
        "{}",
        status.stdout
    );
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        role_policies(&seed, "corp-auth-role"),
        vec!["keep-me".to_string()]
    );
    assert_eq!(seed.role_policy("corp-auth-role", "keep-me"), Some(other));
    assert!(
        read_json(root.join("src/amplifyconfiguration.json"))
            .get("aws_user_files_s3_bucket")
            .is_none()
    );
}

#[test]
fn storage_refusals() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let corp = seed.corp();
    // No auth.
    let dir = project_on(&emu.url(), "javascript");
    let r = add_storage(dir.path(), "read", None);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Storage needs auth"), "{}", r.stderr);
    // User pool only.
    assert_eq!(headless(dir.path(), &payload(&corp, false)).code, 0);
    let before = snapshot(dir.path());
    let r = add_storage(dir.path(), "read", None);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "The imported auth config is not compatible with the specified storage config"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "Current auth configuration is: userPoolOnly, but identityPoolAndUserPool was required."
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "Manually configure the imported auth resource according to the details above"
        )
    );
    assert_eq!(before, snapshot(dir.path()));

    // Guests on an identity pool without unauthenticated identities.
    let pool = seed.user_pool("noguest");
    let (web, _) = seed.client(&pool, "web", false);
    let (native, _) = seed.client(&pool, "native", true);
    let ip = seed.identity_pool("noguest", &pool, &[&web, &native], false);
    let auth = seed.role(
        "ng-auth",
        "/",
        &crate::support::seed::trust_policy(&ip, "authenticated"),
    );
    seed.set_roles(&ip, Some(&auth), None);
    let dir = project_on(&emu.url(), "javascript");
    let p = json!({"version": 1, "userPoolId": pool, "webClientId": web, "nativeClientId": native, "identityPoolId": ip}).to_string();
    assert_eq!(headless(dir.path(), &p).code, 0);
    let before = snapshot(dir.path());
    let r = add_storage(dir.path(), "read", Some("read"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Specified resource configuration requires Cognito Identity Provider unauthenticated access but it is not enabled."), "{}", r.stderr);
    // Bad names and access words.
    let r = run(authwiz(dir.path()).args([
        "add",
        "storage",
        "--yes",
        "--name",
        "files",
        "--bucket-name",
        "Bad_Bucket",
        "--auth-access",
        "read",
    ]));
    assert!(
        r.stderr.contains("Bucket names must be 3-52 characters"),
        "{}",
        r.stderr
    );
    let r = run(authwiz(dir.path()).args([
        "add",
        "storage",
        "--yes",
        "--name",
        "files",
        "--bucket-name",
        "okbucket",
        "--auth-access",
        "read,write",
    ]));
    // A bad flag value is an error (2, as a usage error), named with its flag and the valid words.
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "Invalid value for --auth-access: 'write' is not one of: create, read, delete"
        ),
        "{}",
        r.stderr
    );
    // Bad usage (an unknown flag) is clap's exit 2.
    let r = run(authwiz(dir.path()).args(["add", "storage", "--auth-acces", "read"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--auth-access"), "{}", r.stderr);
    let r = run(authwiz(dir.path()).args(["add", "storage", "--name", "files"]));
    assert!(
        r.stderr.contains("Supply it with --bucket-name NAME."),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(dir.path()));
    // A second storage resource.
    assert_eq!(add_storage(dir.path(), "read", None).code, 0);
    let r = add_storage(dir.path(), "read", None);
    assert!(
        r.stderr
            .contains("Amazon S3 storage was already added to your project ('files')."),
        "{}",
        r.stderr
    );
}

#[test]
fn trust_policy_mismatch_stops_the_push_with_the_fix() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let root = dir.path();
    let seed = Seeder::new(&emu, "us-east-1");
    let wrong = crate::support::seed::trust_policy(
        "us-east-1:00000000-0000-0000-0000-000000000000",
        "authenticated",
    );
    seed.rt
        .block_on(
            seed.iam()
                .update_assume_role_policy()
                .role_name("corp-auth-role")
                .policy_document(wrong)
                .send(),
        )
        .unwrap();
    assert_eq!(add_storage(root, "read", None).code, 0);
    let before = snapshot(root);
    emu.reset_calls();
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("IAM role 'corp-auth-role' cannot carry storage access for this identity pool; nothing was pushed"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "\"cognito-identity.amazonaws.com:aud\": \"{}\"",
            corp.identity_pool_id
        )),
        "{}",
        r.stderr
    );
    assert!(
        emu.calls()
            .iter()
            .all(|c| !c.contains("Put") && !c.contains("Create") && !c.contains("Update")),
        "{:?}",
        emu.calls()
    );
    assert_eq!(before, snapshot(root));
}

#[test]
fn a_failed_iam_call_leaves_all_previous_grants_and_the_next_push_converges() {
    let emu = Emulator::start();
    let corp = Seeder::new(&emu, "us-east-1").corp();
    let proxy = crate::support::proxy::Proxy::start(emu.port);
    let dir = project_on(&proxy.url(), "javascript");
    let root = dir.path();
    assert_eq!(headless(root, &payload(&corp, true)).code, 0);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    assert_eq!(add_storage(root, "create,read", Some("read")).code, 0);
    let seed = Seeder::new(&emu, "us-east-1");
    // The second role's policy fails (access denied is not retried).
    proxy.fail_after("PutRolePolicy", 1, 400, "AccessDenied", Some(1));
    let before = snapshot(root);
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Every role was put back to its previous policies; nothing was recorded."),
        "{}",
        r.stderr
    );
    assert!(
        seed.role_policy("corp-auth-role", "authwiz-storage-files-dev-auth")
            .is_none(),
        "rolled back"
    );
    assert!(
        seed.role_policy("corp-unauth-role", "authwiz-storage-files-dev-guest")
            .is_none()
    );
    assert_eq!(before, snapshot(root));
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        seed.role_policy("corp-auth-role", "authwiz-storage-files-dev-auth")
            .is_some()
    );
    assert!(
        seed.role_policy("corp-unauth-role", "authwiz-storage-files-dev-guest")
            .is_some()
    );
}

#[test]
fn each_env_gets_its_own_bucket_and_roles() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    let seed = Seeder::new(&emu, "us-east-1");
    let prod = seed.corp_named("prod");
    assert_eq!(add_storage(root, "read", None).code, 0);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    let categories = json!({"auth": {"userPoolId": prod.user_pool_id, "webClientId": prod.web_client_id, "nativeClientId": prod.native_client_id, "identityPoolId": prod.identity_pool_id}});
    let r = run(authwiz(root).args([
        "env",
        "add",
        "prod",
        "--yes",
        "--categories",
        &categories.to_string(),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read_json(root.join("amplify/team-provider-info.json"))["prod"]["categories"]["storage"]["files"],
        json!({"bucketName": "corpfiles-prod"})
    );
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        seed.role_policy("prod-auth-role", "authwiz-storage-files-prod-auth")
            .unwrap()
            .to_string()
            .contains("corpfiles-prod")
    );
    assert!(
        seed.role_policy("corp-auth-role", "authwiz-storage-files-prod-auth")
            .is_none(),
        "dev's role untouched"
    );
    assert!(
        seed.role_policy("corp-auth-role", "authwiz-storage-files-dev-auth")
            .is_some()
    );
    let buckets = seed
        .rt
        .block_on(aws_sdk_s3::Client::new(&seed.config).list_buckets().send())
        .unwrap();
    let names: Vec<&str> = buckets.buckets().iter().filter_map(|b| b.name()).collect();
    assert!(
        names.contains(&"corpfiles-dev") && names.contains(&"corpfiles-prod"),
        "{names:?}"
    );
}

#[test]
fn storage_walkthrough_and_headless_json() {
    // No cloud: the walkthrough only reads the project (the Amplify CLI's pushed
    // import); any AWS call would fail at a closed port.
    let dir = offline_from_fixture("04-push-dev");
    let root = dir.path();
    let mut p = ScriptedPrompter::new([
        ("Provide a friendly name", Reply::Text("my-files".into())),
        ("Provide a friendly name", Reply::Text("myfiles".into())),
        ("Provide bucket name", Reply::Text("Nope".into())),
        ("Provide bucket name", Reply::Text("team-assets".into())),
        (
            "Who should have access",
            Reply::Pick("Auth and guest users".into()),
        ),
        (
            "Authenticated users",
            Reply::PickMany(vec!["create/update".into(), "read".into()]),
        ),
        ("Guest users", Reply::Enter),
    ]);
    let out = run_scripted(root, &["add", "storage"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(out.script_finished);
    assert!(
        out.transcript
            .iter()
            .any(|l| l.contains("only contain alphanumeric characters"))
    );
    assert!(
        out.transcript
            .iter()
            .any(|l| l.contains("Bucket names must be 3-52 characters"))
    );
    assert!(
        out.human
            .contains("Successfully added resource myfiles locally")
    );
    let inputs = read_json(root.join("amplify/backend/storage/myfiles/cli-inputs.json"));
    assert_eq!(inputs["authAccess"], json!(["CREATE_AND_UPDATE", "READ"]));
    assert_eq!(
        inputs["guestAccess"],
        json!(["READ"]),
        "guests default to read"
    );
    assert_eq!(inputs["storageAccess"], "authAndGuest");

    // Update in a terminal: the current access is the default.
    let mut p = ScriptedPrompter::new([
        (
            "Who should have access",
            Reply::Pick("Auth users only".into()),
        ),
        ("Authenticated users", Reply::Enter),
    ]);
    let out = run_scripted(root, &["update", "storage"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    let inputs = read_json(root.join("amplify/backend/storage/myfiles/cli-inputs.json"));
    assert_eq!(inputs["authAccess"], json!(["CREATE_AND_UPDATE", "READ"]));
    assert_eq!(inputs["storageAccess"], "auth");

    // Headless: the same answers as JSON on stdin.
    assert_eq!(
        run(authwiz(root).args(["remove", "storage", "myfiles", "--yes"])).code,
        0
    );
    let out = with_stdin(
        authwiz(root).args(["add", "storage", "--headless"]),
        r#"{"version":1,"resourceName":"docs","bucketName":"team-docs","authAccess":["read","delete"],"guestAccess":["read"]}"#,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let inputs = read_json(root.join("amplify/backend/storage/docs/cli-inputs.json"));
    assert_eq!(inputs["authAccess"], json!(["READ", "DELETE"]));
    assert_eq!(inputs["bucketName"], "team-docs");
}

#[test]
fn removal_uses_the_roles_it_was_applied_to_even_without_auth() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    let seed = Seeder::new(&emu, "us-east-1");
    assert_eq!(add_storage(root, "read", Some("read")).code, 0);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    assert_eq!(
        meta["storage"]["files"]["output"]["AuthRoleName"],
        "corp-auth-role"
    );
    assert_eq!(
        meta["storage"]["files"]["output"]["UnauthRoleName"],
        "corp-unauth-role"
    );
    // Storage and then auth removed locally: the push still cleans both roles.
    assert_eq!(
        run(authwiz(root).args(["remove", "storage", "--yes"])).code,
        0
    );
    assert_eq!(run(authwiz(root).args(["remove", "auth", "--yes"])).code, 0);
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(role_policies(&seed, "corp-auth-role").is_empty());
    assert!(role_policies(&seed, "corp-unauth-role").is_empty());
}

#[test]
fn an_unfinished_push_is_completed_by_the_next_one() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    let seed = Seeder::new(&emu, "us-east-1");
    // What a push that died midway leaves: a grant on a role and the journal.
    let stray = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Objects", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::x/public/*"]}]});
    seed.rt
        .block_on(
            seed.iam()
                .put_role_policy()
                .role_name("corp-auth-role")
                .policy_name("authwiz-storage-gone-dev-auth")
                .policy_document(stray.to_string())
                .send(),
        )
        .unwrap();
    std::fs::write(
        root.join("amplify/.config/local-authwiz-push.json"),
        json!({"buckets": [], "policies": [{"role": "corp-auth-role", "policy": "authwiz-storage-gone-dev-auth", "before": null, "after": stray}]}).to_string(),
    )
    .unwrap();
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("A previous push did not finish"),
        "{}",
        r.stderr
    );
    assert!(
        role_policies(&seed, "corp-auth-role").is_empty(),
        "the stray grant is gone"
    );
    assert!(
        !root
            .join("amplify/.config/local-authwiz-push.json")
            .exists()
    );
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
}

/// Offline: the refusals come before any AWS call.
#[test]
fn access_is_never_granted_by_default_without_a_terminal() {
    let dir = offline_from_fixture("04-push-dev");
    let root = dir.path();
    let before = snapshot(root);
    let r = run(authwiz(root).args([
        "add",
        "storage",
        "--yes",
        "--name",
        "files",
        "--bucket-name",
        "corpfiles",
    ]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "Supply it with --auth-access create,read,delete (headless: \"authAccess\")."
        ),
        "{}",
        r.stderr
    );
    let out = with_stdin(
        authwiz(root).args(["add", "storage", "--headless"]),
        r#"{"version":1,"resourceName":"f","bucketName":"corpfiles","authAccess":[1]}"#,
    );
    let stderr = &out.stderr;
    assert!(
        stderr.contains("\"authAccess\" must be an array of \"create\", \"read\", \"delete\"."),
        "{stderr}"
    );
    assert_eq!(before, snapshot(root));
}

#[test]
fn update_defaults_never_grant_more_and_the_bucket_is_fixed() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    let seed = Seeder::new(&emu, "us-east-1");
    assert_eq!(add_storage(root, "read", None).code, 0);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);

    // Guests have nothing: choosing "Auth and guest users" and pressing Enter
    // through the questions keeps the signed-in users' access and gives guests read.
    let mut p = ScriptedPrompter::new([
        (
            "Who should have access",
            Reply::Pick("Auth and guest users".into()),
        ),
        ("Authenticated users", Reply::Enter),
        ("Guest users", Reply::Enter),
    ]);
    let out = run_scripted(root, &["update", "storage"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(out.script_finished);
    let inputs = read_json(root.join("amplify/backend/storage/files/cli-inputs.json"));
    assert_eq!(inputs["authAccess"], json!(["READ"]));
    assert_eq!(inputs["guestAccess"], json!(["READ"]));

    // A push that broadens a role's access: Enter means No, and nothing changes.
    let before = snapshot(root);
    let mut p = ScriptedPrompter::new([(
        "This push grants IAM roles permissions they do not have now",
        Reply::Enter,
    )]);
    let out = run_scripted(root, &["push"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(out.human.contains("Nothing was changed."), "{}", out.human);
    assert!(
        seed.role_policy("corp-unauth-role", "authwiz-storage-files-dev-guest")
            .is_none()
    );
    assert_eq!(before, snapshot(root));

    // The bucket is fixed per env: another name is refused, not ignored.
    let r = run(authwiz(root).args([
        "update",
        "storage",
        "--yes",
        "--bucket-name",
        "otherbucket",
        "--auth-access",
        "read",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("The bucket of storage resource 'files' cannot be changed: each environment has its own (corpfiles-dev), and its policies name it."),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Leave out --bucket-name"), "{}", r.stderr);
    let out = with_stdin(
        authwiz(root).args(["update", "storage", "--headless"]),
        r#"{"version":1,"resourceName":"files","bucketName":"otherbucket","authAccess":["read"]}"#,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("cannot be changed"), "{}", out.stderr);
    assert_eq!(before, snapshot(root));
    // The same name (a payload shared with `add storage`) is fine.
    let r = run(authwiz(root).args([
        "update",
        "storage",
        "--yes",
        "--bucket-name",
        "corpfiles",
        "--auth-access",
        "read",
        "--guest-access",
        "read",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("already has this access"), "{}", r.stderr);
}

#[test]
fn storage_env_parameters_are_kept_in_step_with_backend_config() {
    let dir = offline_from_fixture("04-push-dev");
    let root = dir.path();
    assert_eq!(add_storage(root, "read", None).code, 0);
    let params =
        || read_json(root.join("amplify/backend/backend-config.json"))["parameters"].clone();
    assert_eq!(
        params()["AMPLIFY_storage_files_bucketName"],
        json!({"usedBy": [{"category": "storage", "resourceName": "files"}]})
    );
    // Auth's entries stay beside it.
    assert!(params().get("AMPLIFY_auth_peerproj_userPoolId").is_some());
    assert_eq!(
        run(authwiz(root).args(["remove", "storage", "files", "--yes"])).code,
        0
    );
    assert!(params().get("AMPLIFY_storage_files_bucketName").is_none());
    assert!(params().get("AMPLIFY_auth_peerproj_userPoolId").is_some());
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    assert!(tpi["dev"]["categories"].get("storage").is_none(), "{tpi}");
}
