use serde_json::{Value, json};

use crate::support::*;

fn status_json(dir: &std::path::Path) -> Value {
    let r = run(authwiz(dir).args(["status", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn ops(v: &Value) -> Vec<(String, String)> {
    v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["resourceName"].as_str().unwrap().to_string(),
                r["operation"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn edit(path: &std::path::Path, f: impl FnOnce(&mut Value)) {
    let mut v = read_json(path);
    f(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[test]
fn imported_auth_is_import_then_no_change_after_push() {
    let dir = project_from_fixture("03-status");
    let r = run(authwiz(dir.path()).arg("status"));
    assert_eq!(r.code, 0);
    // The same table the Amplify CLI printed for this project.
    let amplify = std::fs::read_to_string(fixture("03-status").join("cli-output.txt")).unwrap();
    let table: String = amplify
        .lines()
        .filter(|l| l.starts_with(['┌', '│', '├', '└']))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(r.stderr.contains(&table), "{}", r.stderr);
    assert!(r.stderr.contains("Current Environment: dev"));
    // The Amplify CLI writes no amplify_outputs.json; authwiz's push would.
    assert_eq!(
        status_json(dir.path()),
        json!({"env": "dev", "resources": [{"category": "auth", "resourceName": "peerproj", "operation": "Import", "providerPlugin": "awscloudformation"}],
               "clientFiles": [{"path": "amplify_outputs.json", "state": "missing"}]})
    );
    let dir = project_from_fixture("04-push-dev");
    assert_eq!(
        ops(&status_json(dir.path())),
        vec![("peerproj".into(), "No Change".into())]
    );
}

#[test]
fn unlink_after_an_imported_resource_is_removed_locally() {
    let dir = project_from_fixture("04-push-dev");
    let meta = dir.path().join("amplify/backend/amplify-meta.json");
    edit(&meta, |m| {
        m["auth"].as_object_mut().unwrap().remove("peerproj");
    });
    assert_eq!(
        ops(&status_json(dir.path())),
        vec![("peerproj".into(), "Unlink".into())]
    );
}

/// A managed resource in all states, in Amplify's row order.
#[test]
fn managed_resources_create_update_delete_no_change_in_row_order() {
    let dir = project_from_fixture("04-push-dev");
    let root = dir.path();
    let managed = |ts: Option<&str>| {
        let mut r =
            json!({"service": "S3", "providerPlugin": "awscloudformation", "dependsOn": []});
        if let Some(ts) = ts {
            r["lastPushTimeStamp"] = json!(ts);
        }
        r
    };
    // pushed: "same" (no change), "changed" (backend-config differs), "files" (folder differs), "gone" (deleted locally)
    edit(
        &root.join("amplify/#current-cloud-backend/amplify-meta.json"),
        |m| {
            m["storage"] = json!({"same": managed(Some("t")), "changed": managed(Some("t")), "files": managed(Some("t")), "gone": managed(Some("t"))});
        },
    );
    edit(
        &root.join("amplify/#current-cloud-backend/backend-config.json"),
        |m| {
            m["storage"] = json!({"same": managed(None), "changed": managed(None), "files": managed(None), "gone": managed(None)});
        },
    );
    edit(&root.join("amplify/backend/amplify-meta.json"), |m| {
        m["storage"] = json!({"same": managed(Some("t")), "changed": managed(Some("t")), "files": managed(Some("t")), "fresh": managed(None)});
    });
    edit(&root.join("amplify/backend/backend-config.json"), |m| {
        let mut changed = managed(None);
        changed["dependsOn"] = json!([{"category": "auth", "resourceName": "peerproj"}]);
        m["storage"] = json!({"same": managed(None), "changed": changed, "files": managed(None), "fresh": managed(None)});
    });
    for (side, content) in [
        ("amplify/backend", "a"),
        ("amplify/#current-cloud-backend", "b"),
    ] {
        let d = root.join(side).join("storage/files");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("cli-inputs.json"), content).unwrap();
        // Ignored for change detection, like Amplify's folder hash.
        let same = root.join(side).join("storage/same/build");
        std::fs::create_dir_all(&same).unwrap();
        std::fs::write(same.join("x.json"), content).unwrap();
    }
    let v = status_json(root);
    assert_eq!(
        ops(&v),
        vec![
            ("fresh".into(), "Create".into()),
            ("changed".into(), "Update".into()),
            ("files".into(), "Update".into()),
            ("peerproj".into(), "No Change".into()),
            ("gone".into(), "Delete".into()),
            ("same".into(), "No Change".into()),
        ]
    );
    let r = run(authwiz(root).arg("status"));
    assert!(
        r.stderr
            .contains("│ Storage  │ fresh         │ Create    │ awscloudformation │"),
        "{}",
        r.stderr
    );
}

#[test]
fn status_and_env_list_never_touch_the_network() {
    let dir = project_from_fixture("04-push-dev");
    // A closed port everywhere: any AWS call would fail (or hang on retries).
    let closed = "http://127.0.0.1:9";
    for args in [
        vec!["status"],
        vec!["status", "--json"],
        vec!["env", "list"],
        vec!["env", "list", "--details", "--json"],
    ] {
        let r = run(authwiz(dir.path())
            .env("AWS_ENDPOINT_URL", closed)
            .env("HTTPS_PROXY", closed)
            .env("HTTP_PROXY", closed)
            .args(["--endpoint-url", closed])
            .args(&args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    // And an open port that records connection attempts: none arrive.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let open = format!("http://{}", listener.local_addr().unwrap());
    for args in [vec!["status"], vec!["env", "list", "--json"]] {
        let r = run(authwiz(dir.path())
            .env("AWS_ENDPOINT_URL", &open)
            .args(["--endpoint-url", &open])
            .args(&args));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(
        listener.accept().unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock
    );
}

#[test]
fn verbose_names_where_aws_calls_go() {
    let emu = crate::support::emulator::Emulator::start();
    let dir = project_on(&emu.url(), "javascript");
    let r = run(authwiz(dir.path()).args(["-v", "status", "--check-cloud"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // No imported resource: no AWS connection is even built.
    assert!(!r.stderr.contains("AWS for env"), "{}", r.stderr);
    let r = run(authwiz(dir.path()).args([
        "-v",
        "import",
        "auth",
        "--yes",
        "--user-pool-id",
        "us-east-1_abc",
        "--web-client-id",
        "w",
        "--native-client-id",
        "n",
    ]));
    assert!(
        r.stderr.contains(&format!(
            "AWS for env 'dev': region us-east-1, profile (default chain), endpoint {}",
            emu.url()
        )),
        "{}",
        r.stderr
    );
}

/// Like git and cargo: a command run in a subfolder finds the project above it;
/// `--project-dir` still wins, and `init` never reaches into a parent project.
#[test]
fn commands_find_the_project_from_a_subfolder() {
    let dir = new_project("us-east-1", &[]);
    let sub = dir.path().join("src/components");
    std::fs::create_dir_all(&sub).unwrap();
    let r = run(authwiz_without_dir().current_dir(&sub).arg("status"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("Current Environment: dev"),
        "{}",
        r.stderr
    );
    let r = run(authwiz_without_dir().current_dir(&sub).args([
        "env",
        "add",
        "prod",
        "--yes",
        "--region",
        "eu-west-1",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!sub.join("amplify").exists());
    let r = run(authwiz_without_dir()
        .current_dir(&sub)
        .args(["env", "list", "--json"]));
    assert_eq!(r.stdout.trim(), r#"{"envs":["dev","prod"]}"#);

    let other = new_project("eu-west-1", &[]);
    let r = run(authwiz_without_dir()
        .current_dir(&sub)
        .arg("--project-dir")
        .arg(other.path())
        .args(["env", "list", "--json"]));
    assert_eq!(r.stdout.trim(), r#"{"envs":["dev"]}"#, "{}", r.stderr);

    let r = run(authwiz_without_dir().current_dir(&sub).args([
        "init",
        "--yes",
        "--project-name",
        "nested",
        "--env",
        "dev",
        "--region",
        "us-east-1",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("already has an Amplify project"),
        "{}",
        r.stderr
    );
    assert!(!sub.join("amplify").exists());

    let nowhere = tempfile::tempdir().unwrap();
    let r = run(authwiz_without_dir()
        .current_dir(nowhere.path())
        .arg("status"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("No Amplify project found in ."),
        "{}",
        r.stderr
    );
}

/// Machine output that cannot be written is an error: a script must not read a
/// truncated document as a success.
#[test]
fn json_output_that_cannot_be_written_fails() {
    let dir = project_from_fixture("04-push-dev");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let r = run(authwiz(dir.path()).args(["status", "--json"]).stdout(full));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("Could not write the output to stdout"),
        "{}",
        r.stderr
    );
}

/// Client files that are missing or stale are reported by status and written by
/// push, with no AWS call (the endpoint is a closed port).
#[test]
fn missing_or_stale_client_files_are_reported_and_rewritten_by_push() {
    let dir = project_from_fixture("04-push-dev");
    let root = dir.path();
    let closed = "http://127.0.0.1:9";
    let offline = |args: &[&str]| run(authwiz(root).args(["--endpoint-url", closed]).args(args));
    let exports = root.join("src/aws-exports.js");
    let original = std::fs::read_to_string(&exports).unwrap();
    std::fs::remove_file(&exports).unwrap();

    let r = offline(&["status"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("Client files missing or out of date: amplify_outputs.json (missing), src/aws-exports.js (missing). Run `authwiz push` to write them."),
        "{}",
        r.stderr
    );
    assert_eq!(
        status_json(root)["clientFiles"],
        json!([{"path": "amplify_outputs.json", "state": "missing"}, {"path": "src/aws-exports.js", "state": "missing"}])
    );
    let r = offline(&["push", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Would write the client files: amplify_outputs.json (missing), src/aws-exports.js (missing)"), "{}", r.stderr);
    assert!(!exports.exists());

    let r = offline(&["push", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
    assert!(
        r.stderr.contains("Wrote the client files that were missing or out of date: amplify_outputs.json, src/aws-exports.js"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&exports).unwrap(), original);
    assert!(status_json(root).get("clientFiles").is_none());
    let r = offline(&["push", "--yes"]);
    assert!(!r.stderr.contains("Wrote the client files"), "{}", r.stderr);

    // Stale: a key edited by hand (not a custom key) is put back.
    let edited = original.replace(
        "\"aws_project_region\": \"us-east-1\"",
        "\"aws_project_region\": \"eu-west-1\"",
    );
    assert_ne!(edited, original);
    std::fs::write(&exports, &edited).unwrap();
    assert_eq!(
        status_json(root)["clientFiles"],
        json!([{"path": "src/aws-exports.js", "state": "out of date"}])
    );
    assert_eq!(offline(&["push", "--yes"]).code, 0);
    assert_eq!(std::fs::read_to_string(&exports).unwrap(), original);

    // Unparsable: status says so and how to regenerate; push stops with the same fix.
    std::fs::write(&exports, "module.exports = load();\n").unwrap();
    let r = offline(&["status"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("src/aws-exports.js cannot be parsed (has it been modified?)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("delete it and run `authwiz push`"),
        "{}",
        r.stderr
    );
    assert_eq!(
        status_json(root)["clientFiles"],
        json!([{"path": "src/aws-exports.js", "state": "unparsable"}])
    );
    assert_eq!(offline(&["push", "--dry-run"]).code, 1);
    let r = offline(&["push", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("Unable to parse src/aws-exports.js"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("delete the file and run `authwiz push`"),
        "{}",
        r.stderr
    );
    std::fs::remove_file(&exports).unwrap();
    assert_eq!(offline(&["push", "--yes"]).code, 0);
    assert_eq!(std::fs::read_to_string(&exports).unwrap(), original);
}
