use authwiz::prompt::{Reply, ScriptedPrompter};
use serde_json::json;

use crate::support::*;

#[test]
fn interactive_init_asks_every_question_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = ScriptedPrompter::new([
        ("name for the project", Reply::Text("no".into())),
        ("name for the project", Reply::Text("myapp".into())),
        ("name for the environment", Reply::Text("Dev1".into())),
        ("name for the environment", Reply::Enter),
        ("type of app", Reply::Pick("android".into())),
        ("Source Directory Path", Reply::Enter),
        (
            "authentication method",
            Reply::Pick("AWS access keys from the environment".into()),
        ),
        ("AWS region", Reply::Pick("eu-west-1".into())),
    ]);
    let out = run_scripted(dir.path(), &["init"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(out.script_finished);
    assert!(out.transcript.contains(
        &"! Project name should be between 3 and 20 characters and alphanumeric".to_string()
    ));
    assert!(out.transcript.contains(
        &"! Environment name must be between 2 and 10 characters, and lowercase only.".to_string()
    ));
    let config = read_json(dir.path().join("amplify/.config/project-config.json"));
    assert_eq!(
        config,
        json!({"projectName": "myapp", "version": "3.1", "frontend": "android",
               "android": {"config": {"ResDir": "app/src/main/res"}}, "providers": ["awscloudformation"]})
    );
    let tpi = read_json(dir.path().join("amplify/team-provider-info.json"));
    assert_eq!(
        tpi,
        json!({"dev": {"awscloudformation": {"Region": "eu-west-1"}}})
    );
    assert_eq!(
        read_json(dir.path().join("amplify/.config/local-aws-info.json")),
        json!({"dev": {"configLevel": "general"}})
    );
    assert!(out.human.contains("successfully initialized"));
}

#[test]
fn init_yes_writes_the_amplify_layout() {
    let dir = new_project("us-east-1", &["--endpoint-url", "http://127.0.0.1:9"]);
    let root = dir.path();
    assert_eq!(
        read_json(root.join("amplify/.config/project-config.json")),
        read_json(fixture("01-init").join("amplify/.config/project-config.json"))
            .as_object()
            .map(|o| {
                let mut o = o.clone();
                o.shift_remove("whyContinueWithGen1");
                o.insert("projectName".into(), json!("demo"));
                serde_json::Value::Object(o)
            })
            .unwrap()
    );
    let env_info = read_json(root.join("amplify/.config/local-env-info.json"));
    assert_eq!(env_info["envName"], "dev");
    assert_eq!(
        read_json(root.join("amplify/.config/local-aws-info.json")),
        json!({"dev": {"configLevel": "general", "endpointUrl": "http://127.0.0.1:9"}})
    );
    assert_eq!(
        read_json(root.join("amplify/backend/backend-config.json")),
        json!({})
    );
    assert_eq!(
        read_json(root.join("amplify/backend/amplify-meta.json")),
        json!({"providers": {"awscloudformation": {"Region": "us-east-1"}}})
    );
    // The client files as `amplify init` writes them, byte for byte.
    for f in ["src/aws-exports.js", "src/amplifyconfiguration.json"] {
        assert_eq!(
            std::fs::read_to_string(root.join(f)).unwrap(),
            std::fs::read_to_string(fixture("01-init").join(f)).unwrap(),
            "{f}"
        );
    }
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(
        gitignore.starts_with("#amplify-do-not-edit-begin\namplify/\\#current-cloud-backend\n")
    );
    assert!(gitignore.contains("amplify/.config/local-*\n"));
    assert!(gitignore.contains("amplify_outputs.json\n"));
}

#[test]
fn init_keeps_an_existing_gitignore_and_refreshes_the_block() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".gitignore"),
        "node_modules/\n#amplify-do-not-edit-begin\nold\n#amplify-do-not-edit-end\n.env\n",
    )
    .unwrap();
    let r = run(&mut init_yes(dir.path(), "abc", "us-west-2"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let g = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    assert!(g.starts_with("node_modules/\n#amplify-do-not-edit-begin\n"));
    assert!(g.ends_with("#amplify-do-not-edit-end\n.env\n"), "{g}");
    assert!(!g.contains("old\n"));
}

#[test]
fn init_yes_names_the_flag_of_each_missing_answer() {
    for (args, flag) in [
        (
            vec!["--env", "dev", "--region", "us-east-1"],
            "--project-name NAME",
        ),
        (
            vec!["--project-name", "abc", "--region", "us-east-1"],
            "--env NAME",
        ),
        (
            vec!["--project-name", "abc", "--env", "dev"],
            "--region REGION",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let r = run(authwiz(dir.path()).args(["init", "--yes"]).args(&args));
        assert_eq!(r.code, 1, "{args:?}");
        assert!(
            r.stderr.contains(&format!("Supply it with {flag}.")),
            "{}",
            r.stderr
        );
        assert!(!dir.path().join("amplify").exists());
    }
}

#[test]
fn init_rejects_invalid_flag_values_with_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&mut init_yes(dir.path(), "a-b", "us-east-1"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Invalid value for --project-name: Project name should be between 3 and 20 characters and alphanumeric"), "{}", r.stderr);
    let r = run(authwiz(dir.path()).args([
        "init",
        "--yes",
        "--project-name",
        "abc",
        "--env",
        "dev",
        "--region",
        "us-east-1",
        "--frontend",
        "cobol",
    ]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("'cobol' is not one of: javascript, android, ios, flutter"),
        "{}",
        r.stderr
    );
    // A region that does not exist: the nearest names, not all of them.
    for (region, near) in [
        ("US East", "Did you mean us-east-1, us-east-2?"),
        ("us-west-9", "Did you mean us-west-1, us-west-2?"),
    ] {
        let r = run(&mut init_yes(dir.path(), "abc", region));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("Invalid value for --region: '{region}' is not a region where Cognito user pools are offered. {near}")),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("sa-east-1"), "{}", r.stderr);
    }
    assert!(!dir.path().join("amplify").exists());
}

#[test]
fn init_uses_the_region_and_profiles_of_the_aws_config_files() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("aws-config");
    std::fs::write(
        &cfg,
        "[default]\nregion = ap-south-1\n[profile work]\nregion = eu-central-1\n",
    )
    .unwrap();
    let project = dir.path().join("proj");
    let r = run(authwiz(&project).env("AWS_CONFIG_FILE", &cfg).args([
        "init",
        "--yes",
        "--project-name",
        "abc",
        "--env",
        "dev",
        "--profile",
        "work",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read_json(project.join("amplify/team-provider-info.json")),
        json!({"dev": {"awscloudformation": {"Region": "eu-central-1"}}})
    );
    assert_eq!(
        read_json(project.join("amplify/.config/local-aws-info.json")),
        json!({"dev": {"configLevel": "project", "useProfile": true, "profileName": "work"}})
    );
}

#[test]
fn init_refuses_a_folder_with_amplify_and_changes_nothing() {
    let dir = project_from_fixture("04-push-dev");
    let before = snapshot(dir.path());
    let r = run(&mut init_yes(dir.path(), "abc", "us-east-1"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("already has an Amplify project (amplify/ exists); nothing was changed."),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn init_yes_prefers_the_default_profile_and_checks_aws_exports_first() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("aws-config");
    std::fs::write(
        &cfg,
        "[profile zeta]\nregion = eu-west-1\n[default]\nregion = us-west-2\n",
    )
    .unwrap();
    let project = dir.path().join("p");
    let r = run(authwiz(&project).env("AWS_CONFIG_FILE", &cfg).args([
        "init",
        "--yes",
        "--project-name",
        "abc",
        "--env",
        "dev",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read_json(project.join("amplify/.config/local-aws-info.json"))["dev"]["profileName"],
        "default"
    );
    assert_eq!(
        read_json(project.join("amplify/team-provider-info.json"))["dev"]["awscloudformation"]["Region"],
        "us-west-2"
    );

    let other = dir.path().join("q");
    std::fs::create_dir_all(other.join("src")).unwrap();
    std::fs::write(other.join("src/aws-exports.js"), "export default {};\n").unwrap();
    let before = snapshot(&other);
    let r = run(&mut init_yes(&other, "abc", "us-east-1"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Unable to parse src/aws-exports.js"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(&other));
}
