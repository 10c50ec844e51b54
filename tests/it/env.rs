use authwiz::prompt::{Reply, ScriptedPrompter};
use serde_json::json;

use crate::support::*;

fn two_envs() -> tempfile::TempDir {
    let dir = new_project("us-east-1", &[]);
    let r = run(authwiz(dir.path()).args(["env", "add", "prod", "--yes", "--region", "eu-west-1"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

#[test]
fn env_list_shapes() {
    let dir = two_envs();
    let r = run(authwiz(dir.path()).args(["env", "list"]));
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        "| Environments |\n| ------------ |\n| dev          |\n| *prod        |\n"
    );
    assert_eq!(r.stdout, "");
    let r = run(authwiz(dir.path()).args(["env", "list", "--json"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap(),
        json!({"envs": ["dev", "prod"]})
    );
    let r = run(authwiz(dir.path()).args(["env", "list", "--details", "--json"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap(),
        json!({"dev": {"awscloudformation": {"Region": "us-east-1"}}, "prod": {"awscloudformation": {"Region": "eu-west-1"}}})
    );
    let r = run(authwiz(dir.path()).args(["env", "ls", "--details"]));
    assert_eq!(
        r.stderr,
        "\ndev\n--------------\nProvider: awscloudformation\nRegion: us-east-1\n--------------\n\n*prod*\n--------------\nProvider: awscloudformation\nRegion: eu-west-1\n--------------\n"
    );
}

#[test]
fn env_list_of_an_amplify_project_includes_its_categories() {
    let dir = project_from_fixture("04-push-dev");
    let r = run(authwiz(dir.path()).args(["env", "list", "--details", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v,
        read_json(fixture("04-push-dev").join("amplify/team-provider-info.json"))
    );
    assert_eq!(
        v["dev"]["categories"]["auth"]["peerproj"]["userPoolName"],
        "corp-users"
    );
}

#[test]
fn env_add_checks_out_the_new_env_and_regenerates_files() {
    let dir = two_envs();
    let root = dir.path();
    assert_eq!(
        read_json(root.join("amplify/.config/local-env-info.json"))["envName"],
        "prod"
    );
    assert_eq!(
        read_json(root.join("amplify/backend/amplify-meta.json")),
        json!({"providers": {"awscloudformation": {"Region": "eu-west-1"}}})
    );
    assert_eq!(
        read_json(root.join("src/amplifyconfiguration.json")),
        json!({"aws_project_region": "eu-west-1"})
    );
    assert_eq!(
        read_json(root.join("amplify/.config/local-aws-info.json")),
        json!({"dev": {"configLevel": "general"}, "prod": {"configLevel": "general"}})
    );
}

#[test]
fn env_add_errors() {
    let dir = two_envs();
    let before = snapshot(dir.path());
    let r = run(authwiz(dir.path()).args(["env", "add", "dev", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Environment 'dev' already exists in this project."),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("authwiz env checkout dev"),
        "{}",
        r.stderr
    );
    let r = run(authwiz(dir.path()).args(["env", "add", "Prod2", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Environment name must be between 2 and 10 characters, and lowercase only."),
        "{}",
        r.stderr
    );
    let r = run(authwiz(dir.path()).args(["env", "add", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Supply it with the NAME argument"),
        "{}",
        r.stderr
    );
    // Regions are checked as init checks them: the nearest names, not all.
    for (region, near) in [
        ("US East", "Did you mean us-east-1, us-east-2?"),
        ("us-west-9", "Did you mean us-west-1, us-west-2?"),
    ] {
        let r = run(authwiz(dir.path()).args(["env", "add", "west", "--yes", "--region", region]));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("Invalid value for --region: '{region}' is not a region where Cognito user pools are offered. {near}")),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("sa-east-1"), "{}", r.stderr);
    }
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn env_add_interactive_defaults_to_the_current_region() {
    let dir = new_project("ap-southeast-2", &[]);
    let mut p = ScriptedPrompter::new([
        ("name for the environment", Reply::Text("x".into())),
        ("name for the environment", Reply::Text("test".into())),
        ("AWS region", Reply::Enter),
    ]);
    let out = run_scripted(dir.path(), &["env", "add"], &mut p);
    assert_eq!(out.result, Ok(()));
    assert!(out.transcript.contains(
        &"! Environment name must be between 2 and 10 characters, and lowercase only.".into()
    ));
    let tpi = read_json(dir.path().join("amplify/team-provider-info.json"));
    assert_eq!(tpi["test"]["awscloudformation"]["Region"], "ap-southeast-2");
}

#[test]
fn env_checkout_unknown_env() {
    let dir = two_envs();
    let before = snapshot(dir.path());
    let r = run(authwiz(dir.path()).args(["env", "checkout", "qa"]));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "🛑 Environment name is invalid.\n   Run `authwiz env list` to get a list of valid environments.\n"
    );
    assert_eq!(before, snapshot(dir.path()));
    let r = run(authwiz(dir.path()).args(["env", "checkout"]));
    assert_eq!(r.code, 2, "usage error: {}", r.stderr);
}

#[test]
fn env_checkout_works_on_a_fresh_clone() {
    let dir = project_from_fixture("01-init");
    let root = dir.path();
    for f in [
        "amplify/.config/local-env-info.json",
        "amplify/.config/local-aws-info.json",
        "amplify/backend/amplify-meta.json",
    ] {
        std::fs::remove_file(root.join(f)).unwrap();
    }
    std::fs::remove_dir_all(root.join("amplify/#current-cloud-backend")).unwrap();
    let r = run(authwiz(root).args(["env", "checkout", "dev"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    assert_eq!(
        meta["providers"]["awscloudformation"]["AmplifyAppId"],
        "d4e2807120ab44"
    );
    assert!(meta.get("auth").is_none());
    assert_eq!(
        read_json(root.join("amplify/.config/local-env-info.json"))["envName"],
        "dev"
    );
}

#[test]
fn env_remove_paths() {
    let dir = two_envs();
    let root = dir.path();
    let before = snapshot(root);
    // Current env.
    let r = run(authwiz(root).args(["env", "remove", "prod", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("You cannot delete your current environment."),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("Switch to another environment before deleting the current environment"),
        "{}",
        r.stderr
    );
    // Unknown env.
    let r = run(authwiz(root).args(["env", "remove", "qa", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Environment name is invalid."),
        "{}",
        r.stderr
    );
    // No terminal, no --yes: the confirmation names --yes.
    let r = run(authwiz(root).args(["env", "remove", "dev"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Supply it with --yes."), "{}", r.stderr);
    assert_eq!(before, snapshot(root));

    // Declined interactively: nothing changes.
    let mut p =
        ScriptedPrompter::new([("Are you sure you want to continue?", Reply::Confirm(false))]);
    let out = run_scripted(root, &["env", "remove", "dev"], &mut p);
    assert_eq!(out.result, Ok(()));
    assert!(out.human.contains("Nothing was changed."));
    assert_eq!(before, snapshot(root));

    let mut p = ScriptedPrompter::new([("No cloud resource is deleted.", Reply::Confirm(true))]);
    let out = run_scripted(root, &["env", "remove", "dev"], &mut p);
    assert_eq!(out.result, Ok(()));
    assert!(
        out.human
            .contains("Successfully removed environment from your project locally")
    );
    assert_eq!(
        read_json(root.join("amplify/team-provider-info.json")),
        json!({"prod": {"awscloudformation": {"Region": "eu-west-1"}}})
    );
    assert_eq!(
        read_json(root.join("amplify/.config/local-aws-info.json")),
        json!({"prod": {"configLevel": "general"}})
    );
}
