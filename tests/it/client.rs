//! The real client: aws-amplify (Node) loads each generated file and signs in
//! against the emulator, getting identity-pool credentials.

use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

/// Signs in with the client library; its (unsigned) calls name the emulator
/// account by the handle's access key.
fn sign_in(
    file: &std::path::Path,
    emu: &Emulator,
    user: &str,
    password: &str,
) -> serde_json::Value {
    client(file, emu, &[user, password, emu.access_key()])
}

/// Runs signin.mjs on a generated file with these arguments after the endpoint.
fn client(file: &std::path::Path, emu: &Emulator, args: &[&str]) -> serde_json::Value {
    let client = repo().join("tests/client");
    assert!(
        client.join("node_modules/aws-amplify").exists(),
        "aws-amplify is not installed: run scripts/test.sh (it runs npm ci in tests/client)"
    );
    let out = std::process::Command::new("node")
        .current_dir(&client)
        .arg("signin.mjs")
        .arg(file)
        .arg(emu.url())
        .args(args)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn aws_amplify_signs_in_with_every_generated_file() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let corp = seed.corp();
    seed.user(&corp.user_pool_id, "carol@example.com", "Passw0rd!carol");
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    assert_eq!(headless(root, &payload(&corp, true)).code, 0);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    assert_eq!(
        assert_valid_outputs(&root.join("amplify_outputs.json")),
        "1"
    );
    for file in [
        "src/amplifyconfiguration.json",
        "src/aws-exports.js",
        "amplify_outputs.json",
    ] {
        let r = sign_in(
            &root.join(file),
            &emu,
            "carol@example.com",
            "Passw0rd!carol",
        );
        assert_eq!(r["signedIn"], true, "{file}: {r}");
        assert_eq!(r["step"], "DONE", "{file}: {r}");
        assert_eq!(r["idToken"], true, "{file}: {r}");
        assert_eq!(r["userPoolId"], corp.user_pool_id.as_str());
        assert_eq!(r["identityPoolId"], corp.identity_pool_id.as_str());
        assert_eq!(r["loginWith"]["email"], true, "{file}: {r}");
        assert!(r["identityId"].is_string(), "{file}: {r}");
        assert!(r["accessKeyId"].is_string(), "{file}: {r}");
    }
    let r = sign_in(
        &root.join("amplify_outputs.json"),
        &emu,
        "carol@example.com",
        "wrong-password",
    );
    assert!(
        r["error"]
            .as_str()
            .unwrap_or_default()
            .starts_with("NotAuthorizedException"),
        "{r}"
    );
}

#[test]
fn signed_in_users_get_credentials_of_the_role_that_carries_the_storage_grants() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let corp = seed.corp();
    seed.user(&corp.user_pool_id, "dana@example.com", "Passw0rd!dana");
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    assert_eq!(headless(root, &payload(&corp, true)).code, 0);
    let r = run(authwiz(root).args([
        "add",
        "storage",
        "--yes",
        "--name",
        "files",
        "--bucket-name",
        "danafiles",
        "--auth-access",
        "create,read,delete",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    for file in ["src/amplifyconfiguration.json", "amplify_outputs.json"] {
        let r = sign_in(&root.join(file), &emu, "dana@example.com", "Passw0rd!dana");
        assert_eq!(r["signedIn"], true, "{file}: {r}");
        assert_eq!(r["storageBucket"], "danafiles-dev", "{file}: {r}");
        assert!(
            r["accessKeyId"].is_string(),
            "identity-pool credentials: {r}"
        );
        assert_eq!(r["identityPoolId"], corp.identity_pool_id.as_str());
    }
    // Whose credentials these are, asked of STS with them: the role the
    // project recorded for the env, which carries the storage grant.
    let r = sign_in(
        &root.join("amplify_outputs.json"),
        &emu,
        "dana@example.com",
        "Passw0rd!dana",
    );
    let caller = caller_arn(&emu.url(), &r);
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    let recorded = tpi["dev"]["categories"]["auth"]["peerproj"]["authRoleName"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        caller.contains(&format!(":assumed-role/{recorded}/")),
        "{caller} is not role {recorded}"
    );
    let doc = seed
        .role_policy(&recorded, "authwiz-storage-files-dev-auth")
        .unwrap()
        .to_string();
    for grant in [
        "s3:PutObject",
        "s3:GetObject",
        "s3:DeleteObject",
        "arn:aws:s3:::danafiles-dev/private/${cognito-identity.amazonaws.com:sub}/*",
    ] {
        assert!(doc.contains(grant), "{grant}: {doc}");
    }
}

/// The ARN STS gives for the credentials a sign-in returned.
fn caller_arn(endpoint: &str, signed_in: &serde_json::Value) -> String {
    let key = |k: &str| {
        signed_in[k]
            .as_str()
            .unwrap_or_else(|| panic!("{k}: {signed_in}"))
            .to_string()
    };
    let creds = aws_sdk_sts::config::Credentials::new(
        key("accessKeyId"),
        key("secretAccessKey"),
        Some(key("sessionToken")),
        None,
        "identity-pool",
    );
    let conf = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(creds)
        .build();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let out = rt
        .block_on(
            aws_sdk_sts::Client::from_conf(conf)
                .get_caller_identity()
                .send(),
        )
        .unwrap();
    out.arn().unwrap_or_default().to_string()
}

#[test]
fn a_user_signs_up_and_in_on_the_pool_a_managed_push_created() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().unwrap();
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    let body = std::fs::read_to_string(
        repo().join("tests/fixtures/amplify-cli-14.2.2-managed/payloads/add-default.json"),
    )
    .unwrap();
    let r = with_stdin(
        authwiz(root)
            .env("HOME", home.path())
            .args(["add", "auth", "--headless"]),
        &body,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(authwiz(root)
        .env("HOME", home.path())
        .args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let outputs = root.join("amplify_outputs.json");
    assert_eq!(assert_valid_outputs(&outputs), "1");
    let up = client(
        &outputs,
        &emu,
        &[
            "erin",
            "Passw0rd!erin",
            emu.access_key(),
            "erin@example.com",
        ],
    );
    assert_eq!(up["signUpStep"], "CONFIRM_SIGN_UP", "{up}");
    let pool = up["userPoolId"].as_str().unwrap().to_string();
    let seed = Seeder::new(&emu, "us-east-1");
    seed.rt
        .block_on(
            seed.idp()
                .admin_confirm_sign_up()
                .user_pool_id(&pool)
                .username("erin")
                .send(),
        )
        .unwrap();
    for file in [
        "src/amplifyconfiguration.json",
        "src/aws-exports.js",
        "amplify_outputs.json",
    ] {
        let r = sign_in(&root.join(file), &emu, "erin", "Passw0rd!erin");
        assert_eq!(r["signedIn"], true, "{file}: {r}");
        assert_eq!(r["userPoolId"], pool.as_str(), "{file}: {r}");
        assert!(r["accessKeyId"].is_string(), "{file}: {r}");
    }
    // The credentials are the env's role for signed-in users, which the push
    // made to trust the identity pool it created.
    let r = sign_in(&outputs, &emu, "erin", "Passw0rd!erin");
    let caller = caller_arn(&emu.url(), &r);
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    let role = tpi["dev"]["awscloudformation"]["AuthRoleName"]
        .as_str()
        .unwrap();
    assert!(
        caller.contains(&format!(":assumed-role/{role}/")),
        "{caller} is not {role}"
    );
}
