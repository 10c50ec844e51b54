use crate::support::*;

const FILES: &[&str] = &[
    "amplify/.config/project-config.json",
    "amplify/.config/local-env-info.json",
    "amplify/.config/local-aws-info.json",
    "amplify/team-provider-info.json",
    "amplify/backend/backend-config.json",
    "amplify/backend/amplify-meta.json",
    "amplify/#current-cloud-backend/amplify-meta.json",
    "amplify/#current-cloud-backend/backend-config.json",
];

#[test]
fn each_malformed_file_is_named_with_its_position_and_nothing_changes() {
    for file in FILES {
        let dir = project_from_fixture("04-push-dev");
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        // Break the JSON on line 2: a stray comma after the opening brace.
        std::fs::write(&path, text.replacen('{', "{,", 1)).unwrap();
        let before = snapshot(dir.path());
        for args in [
            vec!["status"],
            vec!["env", "checkout", "dev"],
            vec!["env", "add", "prod", "--yes"],
        ] {
            let r = run(authwiz(dir.path()).args(&args));
            assert_eq!(r.code, 1, "{file} {args:?}: {}", r.stderr);
            assert!(
                r.stderr
                    .contains(&format!("{file} is not valid JSON (line 1, column 2)")),
                "{file} {args:?}: {}",
                r.stderr
            );
            assert!(
                r.stderr.contains("restore it from version control"),
                "{}",
                r.stderr
            );
            assert_eq!(
                before,
                snapshot(dir.path()),
                "{file} {args:?} changed files"
            );
        }
    }
}

#[test]
fn a_file_of_the_wrong_shape_names_the_key() {
    let dir = project_from_fixture("04-push-dev");
    let path = dir.path().join("amplify/team-provider-info.json");
    std::fs::write(&path, r#"{"dev": {"awscloudformation": {"Region": 5}}}"#).unwrap();
    let before = snapshot(dir.path());
    let r = run(authwiz(dir.path()).args(["env", "checkout", "dev"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("amplify/team-provider-info.json has an unexpected shape at `dev.awscloudformation.Region`"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(dir.path()));

    // Every file names the key path, never `.` (backend-config.json and
    // amplify-meta.json included, whose categories sit at the top level).
    for (file, text, at) in [
        (
            "amplify/backend/backend-config.json",
            r#"{"auth": {"peerproj": {"service": 5}}}"#,
            "at `auth.peerproj.service`: invalid type: integer `5`, expected a string",
        ),
        (
            "amplify/backend/amplify-meta.json",
            r#"{"providers": {}, "auth": {"peerproj": {"dependsOn": {}}}}"#,
            "at `auth.peerproj.dependsOn`: invalid type: map, expected a sequence",
        ),
        (
            "amplify/backend/amplify-meta.json",
            r#"{"auth": []}"#,
            "at `auth`: invalid type: sequence, expected a map",
        ),
        (
            "amplify/.config/local-env-info.json",
            r#"{"projectPath": "x"}"#,
            "at `envName`: this key is missing",
        ),
        (
            "amplify/team-provider-info.json",
            r#"{"dev": {"categories": {"auth": {"x": 5}}}}"#,
            "at `dev.categories.auth.x`: invalid type: integer `5`, expected a map",
        ),
        (
            "amplify/team-provider-info.json",
            "[]",
            "at `(the whole file)`: invalid type: sequence, expected a map",
        ),
    ] {
        let dir = project_from_fixture("04-push-dev");
        std::fs::write(dir.path().join(file), text).unwrap();
        let r = run(authwiz(dir.path()).args(["status"]));
        assert_eq!(r.code, 1, "{file}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("{file} has an unexpected shape {at}")),
            "{file}: {}",
            r.stderr
        );
    }
}

#[test]
fn unknown_keys_and_key_order_survive_a_rewrite() {
    let dir = project_from_fixture("01-init");
    let tpi_path = dir.path().join("amplify/team-provider-info.json");
    let mut tpi = read_json(&tpi_path);
    tpi["dev"]["awscloudformation"]["CustomKey"] = "kept".into();
    tpi["dev"]["someoneElses"] = serde_json::json!({"b": 1, "a": 2});
    std::fs::write(&tpi_path, serde_json::to_string_pretty(&tpi).unwrap()).unwrap();
    let original_dev = serde_json::to_string_pretty(&read_json(&tpi_path)["dev"]).unwrap();
    let aws_info_before =
        std::fs::read_to_string(dir.path().join("amplify/.config/local-aws-info.json")).unwrap();

    let r = run(authwiz(dir.path()).args(["env", "add", "prod", "--yes", "--region", "us-east-1"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // dev's record is byte-identical (order included) after the file was rewritten.
    let after = read_json(&tpi_path);
    assert_eq!(
        serde_json::to_string_pretty(&after["dev"]).unwrap(),
        original_dev
    );
    assert_eq!(
        after["prod"],
        serde_json::json!({"awscloudformation": {"Region": "us-east-1"}})
    );
    // local-aws-info.json keeps Amplify's keys for dev (awsConfigFilePath etc.).
    let aws_info =
        std::fs::read_to_string(dir.path().join("amplify/.config/local-aws-info.json")).unwrap();
    assert!(
        aws_info.starts_with(aws_info_before.trim_end_matches(['}', '\n']).trim_end()),
        "{aws_info}"
    );
    // project-config.json's whyContinueWithGen1 survives a local-env-info rewrite elsewhere.
    let config = read_json(dir.path().join("amplify/.config/project-config.json"));
    assert_eq!(config["whyContinueWithGen1"], "Prefer not to answer");

    // Back to dev: the meta keeps the provider record with Amplify's keys.
    let r = run(authwiz(dir.path()).args(["env", "checkout", "dev"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = read_json(dir.path().join("amplify/backend/amplify-meta.json"));
    assert_eq!(
        meta["providers"]["awscloudformation"]["StackName"],
        "amplify-peerproj-dev-91646"
    );
    assert_eq!(meta["providers"]["awscloudformation"]["CustomKey"], "kept");
    assert_eq!(
        serde_json::to_string_pretty(&read_json(&tpi_path)["dev"]).unwrap(),
        original_dev
    );
}

#[test]
fn backend_config_is_written_with_sorted_keys() {
    let dir = project_from_fixture("04-push-dev");
    let project =
        authwiz::project::Project::open(authwiz::project::Store::new(dir.path())).unwrap();
    project.save_backend_config().unwrap();
    project.commit("test").unwrap();
    // The Amplify CLI wrote it sorted; our rewrite is byte-identical.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("amplify/backend/backend-config.json")).unwrap(),
        std::fs::read_to_string(fixture("04-push-dev").join("amplify/backend/backend-config.json"))
            .unwrap()
    );
    // And an Amplify-written meta round-trips byte for byte.
    project.save_meta().unwrap();
    project.commit("test").unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("amplify/backend/amplify-meta.json")).unwrap(),
        std::fs::read_to_string(fixture("04-push-dev").join("amplify/backend/amplify-meta.json"))
            .unwrap()
    );
    project.save_tpi().unwrap();
    project.commit("test").unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("amplify/team-provider-info.json")).unwrap(),
        std::fs::read_to_string(fixture("04-push-dev").join("amplify/team-provider-info.json"))
            .unwrap()
    );
}

#[test]
fn a_second_command_gets_a_lock_error_and_changes_nothing() {
    let dir = project_from_fixture("04-push-dev");
    let store = authwiz::project::Store::new(dir.path());
    let _held = store.lock(authwiz::project::LOCK_FILE).unwrap();
    let before = snapshot(dir.path());
    for args in [
        vec!["env", "checkout", "dev"],
        vec!["env", "add", "prod", "--yes"],
        vec!["env", "remove", "dev", "--yes"],
    ] {
        let r = run(authwiz(dir.path()).args(&args));
        assert_eq!(r.code, 1, "{args:?}");
        assert!(
            r.stderr
                .contains("Another authwiz command is running on this project"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(before, snapshot(dir.path()));
    // Read-only commands do not need the lock.
    let r = run(authwiz(dir.path()).args(["status", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn no_project_and_missing_local_env_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(authwiz(dir.path()).arg("status"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("No Amplify project found in"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Run `authwiz init`"), "{}", r.stderr);

    // A fresh clone: local files are git-ignored, so no env is checked out.
    let dir = project_from_fixture("04-push-dev");
    std::fs::remove_file(dir.path().join("amplify/.config/local-env-info.json")).unwrap();
    let r = run(authwiz(dir.path()).arg("status"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Run `authwiz env checkout <name>` with one of: dev."),
        "{}",
        r.stderr
    );
}

/// Files saved by an editor that writes a UTF-8 byte-order mark (Notepad, some
/// Windows setups) are read, and a rewrite keeps the mark.
#[test]
fn a_byte_order_mark_is_accepted_and_kept() {
    let dir = new_project("us-east-1", &[]);
    let root = dir.path();
    let files = [
        "amplify/.config/project-config.json",
        "amplify/.config/local-env-info.json",
        "amplify/.config/local-aws-info.json",
        "amplify/team-provider-info.json",
        "amplify/backend/backend-config.json",
        "amplify/backend/amplify-meta.json",
    ];
    for f in files {
        let text = std::fs::read_to_string(root.join(f)).unwrap();
        std::fs::write(root.join(f), format!("\u{FEFF}{text}")).unwrap();
    }
    let r = run(authwiz(root).arg("status"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(authwiz(root).args(["env", "add", "prod", "--yes", "--region", "eu-west-1"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in files {
        let text = std::fs::read_to_string(root.join(f)).unwrap();
        let body = text
            .strip_prefix('\u{FEFF}')
            .unwrap_or_else(|| panic!("{f} lost its byte-order mark"));
        serde_json::from_str::<serde_json::Value>(body).unwrap();
    }
    let tpi = std::fs::read_to_string(root.join("amplify/team-provider-info.json")).unwrap();
    assert!(tpi.contains("\"prod\""), "{tpi}");
    let r = run(authwiz(root).args(["env", "checkout", "dev"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn temporary_files_of_earlier_versions_are_removed_by_the_next_command() {
    let dir = project_from_fixture("04-push-dev");
    let root = dir.path();
    let strays = [
        "amplify/backend/.authwiz-Ab12Cd",
        "amplify/#current-cloud-backend/.authwiz-x9Y8z7",
        ".authwiz-Qw3rTy",
        ".amplify.authwiz-init-4242/amplify/team-provider-info.json",
    ];
    for s in strays {
        std::fs::create_dir_all(root.join(s).parent().unwrap()).unwrap();
        std::fs::write(root.join(s), r#"{"AppClientSecret": "s3cr3t"}"#).unwrap();
    }
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("removed 4 temporary file(s) left by an earlier authwiz"),
        "{}",
        r.stderr
    );
    for s in strays {
        assert!(!root.join(s).exists(), "{s}");
    }
    assert!(!root.join(".amplify.authwiz-init-4242").exists());
    assert!(!root.join(authwiz::project::TXN_DIR).exists());
}

#[test]
fn a_read_only_command_leaves_a_running_commands_transaction_alone() {
    let dir = project_from_fixture("04-push-dev");
    let root = dir.path();
    // A transaction being prepared by a command that holds the lock.
    let staging = root.join(authwiz::project::TXN_DIR);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("step-0"), "").unwrap();
    std::fs::write(staging.join("0"), "{}").unwrap();
    let store = authwiz::project::Store::new(root);
    let held = store.lock(authwiz::project::LOCK_FILE).unwrap();
    let r = run(authwiz(root).args(["status", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(staging.join("0").exists());
    // Once that command is gone, the next one discards what it left.
    drop(held);
    let r = run(authwiz(root).arg("status"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("The last authwiz command stopped before it changed any file"),
        "{}",
        r.stderr
    );
    assert!(!staging.exists());
}
