//! `remove auth` and `push` for imported auth against the emulator.

use authwiz::prompt::{Reply, ScriptedPrompter};
use serde_json::json;

use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

#[test]
fn remove_auth_unlinks_offline_and_push_records_it() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let root = dir.path();
    // Offline: the pool may be gone; remove never calls AWS.
    Seeder::new(&emu, "us-east-1").delete_user_pool(&corp.user_pool_id);
    emu.reset_calls();
    let mut p = ScriptedPrompter::new([
        (
            "Choose the resource you would want to remove",
            Reply::Pick("peerproj".into()),
        ),
        (
            "Are you sure you want to unlink this imported resource from this Amplify backend environment? The imported resource itself will not be deleted.",
            Reply::Enter,
        ),
    ]);
    let out = run_scripted(root, &["remove", "auth"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(out.human.contains("✔ Successfully removed resource"));
    assert!(emu.calls().is_empty());
    assert_eq!(
        read_json(root.join("amplify/backend/backend-config.json")),
        json!({"auth": {}})
    );
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    assert_eq!(meta["auth"], json!({}));
    assert!(!root.join("amplify/backend/auth/peerproj").exists());
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    assert_eq!(
        tpi,
        json!({"dev": {"awscloudformation": {"Region": "us-east-1"}}})
    );
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status.stdout.contains("\"operation\":\"Unlink\""),
        "{}",
        status.stdout
    );

    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(emu.calls().is_empty(), "an unlink needs no AWS call");
    assert!(
        !root
            .join("amplify/#current-cloud-backend/auth/peerproj")
            .exists()
    );
    assert_eq!(
        read_json(root.join("amplify/#current-cloud-backend/amplify-meta.json"))["auth"],
        json!({})
    );
    assert_eq!(
        read_json(root.join("src/amplifyconfiguration.json")),
        json!({"aws_project_region": "us-east-1"})
    );
    assert_eq!(
        read_json(root.join("amplify_outputs.json")),
        json!({"version": "1"})
    );
    let status = run(authwiz(root).args(["status", "--json"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&status.stdout).unwrap()["resources"],
        json!([])
    );
}

/// Offline: the refusals need no cloud (an imported project as the Amplify CLI wrote it).
#[test]
fn remove_auth_refusals() {
    let dir = project_on(CLOSED_ENDPOINT, "javascript");
    let root = dir.path();
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("No resources added for this category"),
        "{}",
        r.stderr
    );
    let dir = offline_from_fixture("02-import-auth");
    let root = dir.path();
    let before = snapshot(root);
    let r = run(authwiz(root).args(["remove", "auth", "other", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Resource other has not been added to auth"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("Auth resources in this project: peerproj."),
        "{}",
        r.stderr
    );
    // No terminal and no --yes: the confirmation names --yes.
    let r = run(authwiz(root).args(["remove", "auth", "peerproj"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Supply it with --yes."), "{}", r.stderr);
    assert_eq!(before, snapshot(root));

    // A function that depends on the auth resource blocks removal.
    let edit = |rel: &str, f: &dyn Fn(&mut serde_json::Value)| {
        let p = root.join(rel);
        let mut v = read_json(&p);
        f(&mut v);
        std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    };
    let function = json!({"service": "Lambda", "providerPlugin": "awscloudformation",
        "dependsOn": [{"category": "auth", "resourceName": "peerproj", "attributes": ["UserPoolId"]}]});
    edit("amplify/backend/backend-config.json", &|v| {
        v["function"] = json!({"hello": function})
    });
    edit("amplify/backend/amplify-meta.json", &|v| {
        v["function"] = json!({"hello": function})
    });
    let before = snapshot(root);
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Resource cannot be removed because it has a dependency on another resource"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("Dependency: Lambda - hello (function) depends on auth 'peerproj'."),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
    // Analytics blocks outright.
    edit("amplify/backend/amplify-meta.json", &|v| {
        v["analytics"] = json!({"pinpoint": {"service": "Pinpoint"}})
    });
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert!(
        r.stderr
            .contains("Auth cannot be removed because the analytics category depends on it"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Run `amplify remove analytics` first"));
    // Without the dependency, a function only warns.
    edit("amplify/backend/amplify-meta.json", &|v| {
        v.as_object_mut().unwrap().remove("analytics");
    });
    edit("amplify/backend/backend-config.json", &|v| {
        v["function"]["hello"]["dependsOn"] = json!([])
    });
    let r = run(authwiz(root).args(["remove", "auth", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("You have configured resources that might depend on this Cognito resource.  Updating this Cognito resource could have unintended side effects."));
}

#[test]
fn push_checks_every_imported_id_before_writing() {
    let emu = Emulator::start();
    let (dir, corp) = imported(&emu, "javascript");
    let root = dir.path();
    let seed = Seeder::new(&emu, "us-east-1");
    seed.delete_client(&corp.user_pool_id, &corp.native_client_id);
    let before = snapshot(root);
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("The imported auth resource 'peerproj' of environment 'dev' references resources that no longer exist:"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("  - Native app client {}", corp.native_client_id)),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Nothing was pushed."));
    assert!(r.stderr.contains("authwiz remove auth peerproj"));
    assert_eq!(before, snapshot(root));
    seed.delete_user_pool(&corp.user_pool_id);
    let r = run(authwiz(root).args(["push", "--dry-run"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(&format!("  - User pool {}\n", corp.user_pool_id)),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("app client"),
        "the pool's clients went with it: {}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
}

#[test]
fn push_dry_run_and_confirmation() {
    let emu = Emulator::start();
    let (dir, _) = imported(&emu, "javascript");
    let root = dir.path();
    let before = snapshot(root);
    let r = run(authwiz(root).args(["push", "--dry-run"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Would import: auth peerproj"));
    assert!(r.stderr.contains("Dry run: nothing was changed."));
    assert_eq!(before, snapshot(root));
    let r = run(authwiz(root).arg("push"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("No answer for \"Are you sure you want to continue?\""),
        "{}",
        r.stderr
    );
    let mut p =
        ScriptedPrompter::new([("Are you sure you want to continue?", Reply::Confirm(false))]);
    let out = run_scripted(root, &["push"], &mut p);
    assert_eq!(out.result, Ok(()));
    assert_eq!(before, snapshot(root));
    // Ids missing for the env (a fresh clone without team-provider-info ids).
    let tpi = root.join("amplify/team-provider-info.json");
    let mut v = read_json(&tpi);
    v["dev"].as_object_mut().unwrap().remove("categories");
    std::fs::write(&tpi, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Environment 'dev' has no ids for the imported auth resource 'peerproj'"),
        "{}",
        r.stderr
    );
}

#[test]
fn mobile_frontends_get_their_configuration_files() {
    for (frontend, files) in [
        (
            "ios",
            vec!["awsconfiguration.json", "amplifyconfiguration.json"],
        ),
        (
            "android",
            vec![
                "app/src/main/res/raw/awsconfiguration.json",
                "app/src/main/res/raw/amplifyconfiguration.json",
            ],
        ),
        ("flutter", vec!["lib/amplifyconfiguration.dart"]),
    ] {
        let emu = Emulator::start();
        let (dir, corp) = pushed(&emu, frontend);
        let root = dir.path();
        for f in &files {
            assert!(root.join(f).exists(), "{frontend}: {f}");
        }
        assert!(
            read_json(root.join("amplify_outputs.json"))["auth"]["user_pool_id"]
                == corp.user_pool_id.as_str()
        );
        if frontend == "flutter" {
            let dart = std::fs::read_to_string(root.join(files[0])).unwrap();
            assert!(
                dart.starts_with(
                    "const amplifyconfig = '''{\n    \"UserAgent\": \"aws-amplify-cli/2.0\","
                ),
                "{dart}"
            );
            assert!(dart.ends_with("}''';\n"));
            continue;
        }
        let text = std::fs::read_to_string(root.join(files[1])).unwrap();
        assert!(
            !text.ends_with('\n') && text.contains("\n    \"Version\": \"1.0\","),
            "4-space JSON: {text}"
        );
        let config = read_json(root.join(files[1]));
        let plugin = &config["auth"]["plugins"]["awsCognitoAuthPlugin"];
        assert_eq!(
            plugin["CognitoUserPool"]["Default"]["AppClientId"],
            corp.native_client_id.as_str(),
            "the native client"
        );
        assert_eq!(
            plugin["CognitoUserPool"]["Default"]["AppClientSecret"],
            corp.native_secret.as_str()
        );
        assert_eq!(
            plugin["CredentialsProvider"]["CognitoIdentity"]["Default"]["PoolId"],
            corp.identity_pool_id.as_str()
        );
        assert_eq!(
            plugin["Auth"]["Default"]["authenticationFlowType"],
            "USER_SRP_AUTH"
        );
        assert_eq!(
            plugin["Auth"]["Default"]["usernameAttributes"],
            json!(["EMAIL"])
        );
        assert_eq!(read_json(root.join(files[0])), *plugin);
        // Env checkout regenerates the same files.
        std::fs::remove_file(root.join(files[1])).unwrap();
        assert_eq!(run(authwiz(root).args(["env", "checkout", "dev"])).code, 0);
        assert!(root.join(files[1]).exists());
    }
}

#[test]
fn custom_keys_in_aws_exports_survive_regeneration() {
    let emu = Emulator::start();
    let (dir, _) = imported(&emu, "javascript");
    let root = dir.path();
    let exports = root.join("src/aws-exports.js");
    let text = std::fs::read_to_string(&exports).unwrap().replace(
        "\"aws_project_region\": \"us-east-1\"",
        "\"aws_project_region\": \"us-east-1\",\n    \"my_api\": \"https://example.test\"",
    );
    std::fs::write(&exports, text).unwrap();
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    let config = read_json(root.join("src/amplifyconfiguration.json"));
    let keys: Vec<&String> = config.as_object().unwrap().keys().collect();
    assert_eq!(
        keys.last().unwrap().as_str(),
        "my_api",
        "custom keys go last"
    );
    // An aws-exports.js that is no longer the generated shape is not overwritten.
    std::fs::write(&exports, "export default {};\n").unwrap();
    let r = run(authwiz(root).args(["env", "checkout", "dev"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Unable to parse src/aws-exports.js. Has this file been modified?"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&exports).unwrap(),
        "export default {};\n"
    );
}

/// Offline: the push stops before any AWS call.
#[test]
fn functions_and_apis_are_left_to_the_amplify_cli() {
    let dir = offline_from_fixture("02-import-auth");
    let root = dir.path();
    let function =
        json!({"service": "Lambda", "providerPlugin": "awscloudformation", "dependsOn": []});
    for rel in [
        "amplify/backend/backend-config.json",
        "amplify/backend/amplify-meta.json",
    ] {
        let p = root.join(rel);
        let mut v = read_json(&p);
        v["function"] = json!({"hello": function});
        std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    }
    let before = snapshot(root);
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("these resources are deployed by the Amplify CLI: function hello (Create)"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root));
}

#[test]
fn a_client_file_that_cannot_be_regenerated_stops_the_push_before_it_records() {
    let emu = Emulator::start();
    let (dir, _) = imported(&emu, "javascript");
    let root = dir.path();
    std::fs::write(root.join("src/aws-exports.js"), "module.exports = {};\n").unwrap();
    let before = snapshot(root);
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Unable to parse src/aws-exports.js"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(root), "nothing recorded as pushed");
}
