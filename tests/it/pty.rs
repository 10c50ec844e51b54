//! Real prompts: the inquire UI in a pseudo-terminal.

use std::time::Duration;

use expectrl::session::OsSession;
use expectrl::{Eof, Expect};

use crate::support::read_json;

fn spawn(dir: &std::path::Path, args: &str) -> OsSession {
    let cmd = format!(
        "env -u AWS_REGION -u AWS_DEFAULT_REGION -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY=testing AWS_CONFIG_FILE=/nonexistent NO_COLOR=1 {} --project-dir {} {args}",
        crate::support::emulator::current_access_key(),
        env!("CARGO_BIN_EXE_authwiz"),
        dir.display()
    );
    let mut s = expectrl::spawn(cmd).unwrap();
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s
}

#[test]
fn init_through_the_real_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("ptyproj");
    std::fs::create_dir(&project).unwrap();
    let mut s = spawn(&project, "init");
    s.expect("Enter a name for the project").unwrap();
    // The folder name is the default; accept it.
    s.send("\r").unwrap();
    s.expect("Enter a name for the environment").unwrap();
    s.send("BAD\r").unwrap();
    s.expect("lowercase only").unwrap();
    // Clear the bad input and type a valid name.
    s.send("\x7f\x7f\x7fstaging\r").unwrap();
    s.expect("Choose the type of app").unwrap();
    s.send("\r").unwrap();
    s.expect("Source Directory Path").unwrap();
    s.send("web/src\r").unwrap();
    s.expect("authentication method").unwrap();
    s.send("\r").unwrap();
    s.expect("AWS region").unwrap();
    // Type to filter, then pick.
    s.send("eu-north").unwrap();
    s.send("\r").unwrap();
    s.expect("successfully initialized").unwrap();
    s.expect(Eof).unwrap();
    let config = read_json(project.join("amplify/.config/project-config.json"));
    assert_eq!(config["projectName"], "ptyproj");
    assert_eq!(config["javascript"]["config"]["SourceDir"], "web/src");
    assert_eq!(
        read_json(project.join("amplify/.config/local-env-info.json"))["envName"],
        "staging"
    );
    assert_eq!(
        read_json(project.join("amplify/team-provider-info.json"))["staging"]["awscloudformation"]
            ["Region"],
        "eu-north-1"
    );
    assert!(project.join("web/src/aws-exports.js").exists());
}

#[test]
fn env_add_answering_no_imports_a_different_pool() {
    use crate::support::emulator::Emulator;
    use crate::support::seed::Seeder;
    use crate::support::{authwiz, headless, payload, project_on, run};

    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let corp = seed.corp();
    let other = seed.corp_named("zeta");
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    assert_eq!(headless(root, &payload(&corp, true)).code, 0);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);

    let mut s = spawn(root, "env add prod");
    s.expect("Select the AWS region").unwrap();
    s.send("\r").unwrap();
    // (Long questions wrap in an 80-column terminal: match their start.)
    s.expect("The resource: 'peerproj'").unwrap();
    s.expect("If you choose No").unwrap();
    s.send("n\r").unwrap();
    s.expect("Select the User Pool you want to import:")
        .unwrap();
    s.send("zeta").unwrap();
    s.send("\r").unwrap();
    s.expect("Select a Native client to import:").unwrap();
    s.send("zeta-native").unwrap();
    s.send("\r").unwrap();
    s.expect("Initialized your environment successfully.")
        .unwrap();
    s.expect(Eof).unwrap();
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    assert_eq!(
        tpi["prod"]["categories"]["auth"]["peerproj"]["userPoolId"],
        other.user_pool_id.as_str()
    );
    assert_eq!(
        tpi["prod"]["categories"]["auth"]["peerproj"]["nativeClientId"],
        other.native_client_id.as_str()
    );
    assert_eq!(
        tpi["dev"]["categories"]["auth"]["peerproj"]["userPoolId"],
        corp.user_pool_id.as_str()
    );
}

/// Offline: adding storage is local (an imported project as the Amplify CLI wrote it).
#[test]
fn add_storage_through_the_real_prompts() {
    let dir = crate::support::offline_from_fixture("02-import-auth");
    let root = dir.path();
    let mut s = spawn(root, "add storage");
    s.expect("Provide a friendly name").unwrap();
    s.send("files\r").unwrap();
    s.expect("Provide bucket name").unwrap();
    s.send("teamfiles\r").unwrap();
    s.expect("Who should have access").unwrap();
    s.send("\r").unwrap();
    // Only read is pre-selected (a default never grants more); tick create/update
    // (the first) and confirm.
    s.expect("What kind of access do you want for Authenticated users?")
        .unwrap();
    s.send(" ").unwrap();
    s.send("\r").unwrap();
    s.expect("Successfully added resource files locally")
        .unwrap();
    s.expect(Eof).unwrap();
    let inputs = read_json(root.join("amplify/backend/storage/files/cli-inputs.json"));
    assert_eq!(inputs["bucketName"], "teamfiles");
    assert_eq!(
        inputs["authAccess"],
        serde_json::json!(["CREATE_AND_UPDATE", "READ"])
    );
    assert_eq!(inputs["storageAccess"], "auth");
}

#[test]
fn update_storage_and_push_defaults_never_broaden_access() {
    use crate::support::emulator::Emulator;
    use crate::support::seed::Seeder;
    use crate::support::{authwiz, pushed, run};

    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    let r = run(authwiz(root).args([
        "add",
        "storage",
        "--yes",
        "--name",
        "files",
        "--bucket-name",
        "corpfiles",
        "--auth-access",
        "read",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);

    // Guests had nothing: choosing "Auth and guest users" and pressing Enter
    // through the questions gives them read only.
    let mut s = spawn(root, "update storage");
    s.expect("Who should have access").unwrap();
    s.send("\x1b[B").unwrap();
    s.send("\r").unwrap();
    s.expect("Authenticated users?").unwrap();
    s.send("\r").unwrap();
    s.expect("Guest users?").unwrap();
    s.send("\r").unwrap();
    s.expect("Successfully updated resource files locally")
        .unwrap();
    s.expect(Eof).unwrap();
    let inputs = read_json(root.join("amplify/backend/storage/files/cli-inputs.json"));
    assert_eq!(inputs["authAccess"], serde_json::json!(["READ"]));
    assert_eq!(inputs["guestAccess"], serde_json::json!(["READ"]));

    // The push broadens the guest role: Enter means No.
    let mut s = spawn(root, "push");
    s.expect("This push grants IAM roles permissions").unwrap();
    s.send("\r").unwrap();
    s.expect("Nothing was changed.").unwrap();
    s.expect(Eof).unwrap();
    let seed = Seeder::new(&emu, "us-east-1");
    assert!(
        seed.role_policy("corp-unauth-role", "authwiz-storage-files-dev-guest")
            .is_none()
    );
}

/// `add auth` through the real prompts: learn more, then Default configuration /
/// Email / No, I am done.
#[test]
fn add_auth_default_through_the_real_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("ptyauth");
    std::fs::create_dir(&project).unwrap();
    let r = crate::support::run(crate::support::authwiz(&project).args([
        "init",
        "--yes",
        "--project-name",
        "ptyauth",
        "--env",
        "dev",
        "--region",
        "us-east-1",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut s = spawn(&project, "add auth");
    s.expect("Using service: Cognito, provided by: awscloudformation")
        .unwrap();
    s.expect("The current configured provider is Amazon Cognito.")
        .unwrap();
    s.expect("Do you want to use the default authentication and security configuration?")
        .unwrap();
    s.expect("Default configuration with Social Provider (Federation)")
        .unwrap();
    // "I want to learn more." is the last choice: the help, then the question again.
    s.send("\x1b[A").unwrap();
    s.send("\r").unwrap();
    s.expect("If you choose to use the default configuration")
        .unwrap();
    s.expect("Do you want to use the default authentication and security configuration?")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("Warning: you will not be able to edit these selections.")
        .unwrap();
    s.expect("How do you want users to be able to sign in?")
        .unwrap();
    s.send("\x1b[B").unwrap();
    s.send("\r").unwrap();
    s.expect("Do you want to configure advanced settings?")
        .unwrap();
    s.expect("Yes, I want to make some additional changes.")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("Successfully added auth resource ptyauth")
        .unwrap();
    s.expect(Eof).unwrap();
    let meta = read_json(project.join("amplify/backend/amplify-meta.json"));
    let (res, _) = meta["auth"].as_object().unwrap().iter().next().unwrap();
    let config = &read_json(project.join(format!("amplify/backend/auth/{res}/cli-inputs.json")))["cognitoConfig"];
    assert_eq!(config["useDefault"], "default");
    assert_eq!(config["usernameAttributes"], serde_json::json!(["email"]));
    assert_eq!(config["requiredAttributes"], serde_json::json!(["email"]));
}

/// The manual `add auth` walkthrough through the real prompts: user pool only,
/// one group, a password policy, no OAuth.
#[test]
fn add_auth_manual_through_the_real_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("ptymanual");
    std::fs::create_dir(&project).unwrap();
    let r = crate::support::run(&mut crate::support::init_yes(
        &project,
        "ptymanual",
        "us-east-1",
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let down = "\x1b[B";
    let mut s = spawn(&project, "add auth");
    s.expect("Do you want to use the default authentication")
        .unwrap();
    s.send(down).unwrap();
    s.send(down).unwrap();
    s.send("\r").unwrap();
    s.expect("Select the authentication/authorization services")
        .unwrap();
    s.send(down).unwrap();
    s.send("\r").unwrap();
    s.expect("Provide a friendly name").unwrap();
    s.send("ptyauth\r").unwrap();
    s.expect("Provide a name for your user pool").unwrap();
    s.send("\r").unwrap();
    s.expect("How do you want users to be able to sign in?")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("Do you want to add User Pool Groups?").unwrap();
    s.send("\r").unwrap();
    s.expect("Provide a name for your user pool group").unwrap();
    s.send("admins\r").unwrap();
    s.expect("Do you want to add another User Pool Group")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("Do you want to add an admin queries API?")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("Multifactor authentication (MFA) user login options")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("Email based user registration").unwrap();
    s.send("\r").unwrap();
    s.expect("Specify an email verification subject").unwrap();
    s.send("\r").unwrap();
    s.expect("Specify an email verification message").unwrap();
    s.send("\r").unwrap();
    s.expect("override the default password policy").unwrap();
    s.send("y\r").unwrap();
    s.expect("Enter the minimum password length").unwrap();
    s.send("5\r").unwrap();
    // (Long lines wrap in an 80-column terminal: match the start.)
    s.expect("The minimum password length must be").unwrap();
    s.send("\x7f12\r").unwrap();
    s.expect("Select the password character requirements")
        .unwrap();
    s.send(" ").unwrap();
    s.send("\r").unwrap();
    s.expect("What attributes are required for signing up?")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("refresh token expiration period").unwrap();
    s.send("\r").unwrap();
    s.expect("read and write?").unwrap();
    s.send("\r").unwrap();
    s.expect("Do you want to enable any of the following capabilities?")
        .unwrap();
    s.send("\r").unwrap();
    s.expect("Do you want to use an OAuth flow?").unwrap();
    s.send(down).unwrap();
    s.send("\r").unwrap();
    s.expect("Lambda Triggers for Cognito?").unwrap();
    s.send("\r").unwrap();
    s.expect("Successfully added auth resource ptyauth locally")
        .unwrap();
    s.expect(Eof).unwrap();
    let config =
        &read_json(project.join("amplify/backend/auth/ptyauth/cli-inputs.json"))["cognitoConfig"];
    assert_eq!(config["authSelections"], "userPoolOnly");
    assert_eq!(config["userPoolGroupList"], serde_json::json!(["admins"]));
    assert_eq!(config["passwordPolicyMinLength"], 12);
    assert_eq!(
        config["passwordPolicyCharacters"],
        serde_json::json!(["Requires Lowercase"])
    );
    assert_eq!(config["useDefault"], "manual");
    assert!(config.get("oAuthMetadata").is_none());
}
