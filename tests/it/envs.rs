//! Environments with imported auth: env add (reuse, --categories, AMPLIFY_*
//! variables, walkthrough), env checkout re-validation, drift and recovery.

use authwiz::prompt::{Reply, ScriptedPrompter};
use serde_json::{Value, json};

use crate::support::emulator::Emulator;
use crate::support::seed::{Corp, Seeder};
use crate::support::*;

/// A project with `corp` imported and pushed in `dev`.
fn tpi_auth(root: &std::path::Path, env: &str) -> Value {
    read_json(root.join("amplify/team-provider-info.json"))[env]["categories"]["auth"]["peerproj"]
        .clone()
}

fn categories(c: &Corp) -> String {
    json!({"auth": {"userPoolId": c.user_pool_id, "webClientId": c.web_client_id, "nativeClientId": c.native_client_id, "identityPoolId": c.identity_pool_id}}).to_string()
}

fn current_env(root: &std::path::Path) -> String {
    read_json(root.join("amplify/.config/local-env-info.json"))["envName"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn env_add_yes_reuses_and_revalidates_the_source_ids() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let root = dir.path();
    let dev_record = tpi_auth(root, "dev");
    emu.reset_calls();
    let r = run(authwiz(root).args(["env", "add", "prod", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The new env's client files lack its auth until the push: say so.
    assert!(
        r.stderr.contains("Nothing is pushed to 'prod' yet: the client files (amplify_outputs.json, src/aws-exports.js, src/amplifyconfiguration.json) change at the next `authwiz push`."),
        "{}",
        r.stderr
    );
    let exports = || std::fs::read_to_string(root.join("src/aws-exports.js")).unwrap();
    assert!(!exports().contains(&corp.user_pool_id), "{}", exports());
    let calls = emu.calls();
    assert!(
        calls.contains(&"cognito-idp:DescribeUserPool".to_string()),
        "re-validated: {calls:?}"
    );
    assert!(
        calls
            .iter()
            .all(|c| c.contains(":Describe") || c.contains(":Get") || c.contains(":List")),
        "{calls:?}"
    );
    assert_eq!(tpi_auth(root, "prod"), dev_record);
    assert_eq!(current_env(root), "prod");
    let meta = read_json(root.join("amplify/backend/amplify-meta.json"));
    assert_eq!(
        meta["auth"]["peerproj"]["output"]["UserPoolId"],
        corp.user_pool_id.as_str()
    );
    assert!(
        meta["auth"]["peerproj"].get("lastPushTimeStamp").is_none(),
        "prod was never pushed"
    );
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status.stdout.contains("\"operation\":\"Import\""),
        "{}",
        status.stdout
    );
    // Amplify's backend-config parameter map follows the current env.
    assert_eq!(
        read_json(root.join("amplify/backend/backend-config.json"))["parameters"]["AMPLIFY_auth_peerproj_userPoolId"]
            ["usedBy"][0]["resourceName"],
        "peerproj"
    );
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    assert!(exports().contains(&corp.user_pool_id), "{}", exports());
}

#[test]
fn env_add_with_categories_or_variables_keeps_each_envs_ids_apart() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let other = Seeder::new(&emu, "us-east-1").corp_named("prod");
    let root = dir.path();
    let tpi_before = std::fs::read_to_string(root.join("amplify/team-provider-info.json")).unwrap();
    let r = run(authwiz(root)
        .env("AMPLIFY_USERPOOL_ID", &corp.user_pool_id) // --categories wins over the variables
        .args([
            "env",
            "add",
            "prod",
            "--yes",
            "--categories",
            &categories(&other),
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        tpi_auth(root, "prod")["userPoolId"],
        other.user_pool_id.as_str()
    );
    assert_eq!(tpi_auth(root, "prod")["authRoleName"], "prod-auth-role");
    assert_eq!(
        tpi_auth(root, "dev")["userPoolId"],
        corp.user_pool_id.as_str()
    );
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    let prod_exports = std::fs::read_to_string(root.join("src/aws-exports.js")).unwrap();
    assert!(
        prod_exports.contains(&other.user_pool_id) && !prod_exports.contains(&corp.user_pool_id)
    );

    // Back and forth: each env's files hold only its ids; records stay byte-identical.
    let prod_tpi = std::fs::read_to_string(root.join("amplify/team-provider-info.json")).unwrap();
    assert_eq!(
        run(authwiz(root).args(["env", "checkout", "dev", "--yes"])).code,
        0
    );
    let meta = std::fs::read_to_string(root.join("amplify/backend/amplify-meta.json")).unwrap();
    let exports = std::fs::read_to_string(root.join("src/aws-exports.js")).unwrap();
    for text in [&meta, &exports] {
        assert!(text.contains(&corp.user_pool_id) && !text.contains(&other.user_pool_id));
    }
    assert!(read_json(root.join("amplify/backend/amplify-meta.json"))["auth"]["peerproj"]["lastPushTimeStamp"].is_string());
    assert_eq!(
        run(authwiz(root).args(["env", "checkout", "prod", "--yes"])).code,
        0
    );
    assert_eq!(
        run(authwiz(root).args(["env", "checkout", "dev", "--yes"])).code,
        0
    );
    assert_eq!(
        std::fs::read_to_string(root.join("amplify/team-provider-info.json")).unwrap(),
        prod_tpi
    );
    let dev_before: Value = serde_json::from_str(&tpi_before).unwrap();
    assert_eq!(
        read_json(root.join("amplify/team-provider-info.json"))["dev"],
        dev_before["dev"]
    );
    let r = run(authwiz(root).args(["env", "list", "--details", "--json"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["prod"]["categories"]["auth"]["peerproj"]["userPoolId"],
        other.user_pool_id.as_str()
    );

    // The AMPLIFY_* variables (empty = not given) for a third env.
    let vars = [
        ("AMPLIFY_USERPOOL_ID", other.user_pool_id.as_str()),
        ("AMPLIFY_WEBCLIENT_ID", other.web_client_id.as_str()),
        ("AMPLIFY_NATIVECLIENT_ID", other.native_client_id.as_str()),
        ("AMPLIFY_IDENTITYPOOL_ID", other.identity_pool_id.as_str()),
    ];
    let r = run(authwiz(root)
        .envs(vars)
        .args(["env", "add", "test", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        tpi_auth(root, "test")["identityPoolId"],
        other.identity_pool_id.as_str()
    );
    // env remove of an env with imported auth: local records only, no AWS call.
    assert_eq!(
        run(authwiz(root).args(["env", "checkout", "dev", "--yes"])).code,
        0
    );
    emu.reset_calls();
    let r = run(authwiz(root).args(["env", "remove", "test", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(emu.calls().is_empty());
    assert!(
        read_json(root.join("amplify/team-provider-info.json"))
            .get("test")
            .is_none()
    );
}

#[test]
fn headless_env_add_errors_change_nothing() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let root = dir.path();
    let before = snapshot(root);
    let fail = |cmd: &mut std::process::Command, expect: &[&str]| {
        let r = run(cmd);
        assert_eq!(r.code, 1, "{}", r.stderr);
        for e in expect {
            assert!(r.stderr.contains(e), "{e}: {}", r.stderr);
        }
        assert_eq!(before, snapshot(root));
        assert_eq!(current_env(root), "dev");
    };
    fail(
        authwiz(root)
            .env("AMPLIFY_USERPOOL_ID", &corp.user_pool_id)
            .env("AMPLIFY_WEBCLIENT_ID", "")
            .args(["env", "add", "prod", "--yes"]),
        &[
            "auth headless is missing the following inputParameters webClientId, nativeClientId, identityPoolId",
            "AMPLIFY_WEBCLIENT_ID",
            "--categories",
        ],
    );
    let mut bad = serde_json::from_str::<Value>(&categories(&corp)).unwrap();
    bad["auth"]["webClientId"] = json!("nosuchclient");
    fail(
        authwiz(root).args([
            "env",
            "add",
            "prod",
            "--yes",
            "--categories",
            &bad.to_string(),
        ]),
        &[
            "There was an error importing the previously configured auth configuration to environment 'prod':",
            "The previously configured Web app client cannot be found.",
            "authwiz remove auth peerproj",
        ],
    );
    bad["auth"]["webClientId"] = json!(corp.web_client_id);
    bad["auth"]["identityPoolId"] = json!("us-east-1:00000000-0000-0000-0000-000000000000");
    fail(
        authwiz(root).args([
            "env",
            "add",
            "prod",
            "--yes",
            "--categories",
            &bad.to_string(),
        ]),
        &[
            "The previously configured Identity Pool: '' (us-east-1:00000000-0000-0000-0000-000000000000) cannot be found.",
        ],
    );
    // A region other than the one the resource was imported from.
    fail(
        authwiz(root).args(["env", "add", "eu", "--yes", "--region", "eu-west-1"]),
        &[
            "The previously imported 'peerproj' auth resource was imported from 'us-east-1' region and the new environment's region is: 'eu-west-1', import a new resource to finish the creation of the new environment.",
        ],
    );
}

#[test]
fn env_add_in_another_region_runs_the_walkthrough_there() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let eu = Seeder::new(&emu, "eu-west-1").corp_named("eu");
    let root = dir.path();
    let mut p = ScriptedPrompter::new([
        ("name for the environment", Reply::Text("eu".into())),
        ("AWS region", Reply::Pick("eu-west-1".into())),
        ("Select a Native client", Reply::Pick("eu-native".into())),
    ]);
    let out = run_scripted(root, &["env", "add"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert!(out.script_finished);
    assert!(
        out.human.contains(
            "was imported from 'us-east-1' region and the new environment's region is: 'eu-west-1'"
        ),
        "{}",
        out.human
    );
    assert!(
        !out.transcript
            .iter()
            .any(|q| q.contains("What type of auth resource")),
        "the type is fixed"
    );
    assert_eq!(tpi_auth(root, "eu")["userPoolId"], eu.user_pool_id.as_str());
    assert_eq!(
        read_json(root.join("amplify/backend/auth/peerproj/parameters.json"))["region"],
        "eu-west-1"
    );
}

#[test]
fn env_add_interactive_reuse_or_import_another() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let other = Seeder::new(&emu, "us-east-1").corp_named("zeta");
    let root = dir.path();
    let question = format!(
        "The resource: 'peerproj' (Cognito User Pool: '{}') already imported to 'dev' environment, do you want to import it to the new environment?",
        corp.user_pool_id
    );
    let mut p = ScriptedPrompter::new([
        ("AWS region", Reply::Enter),
        (question.as_str(), Reply::Confirm(true)),
    ]);
    let out = run_scripted(root, &["env", "add", "stage"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert_eq!(
        tpi_auth(root, "stage")["userPoolId"],
        corp.user_pool_id.as_str()
    );
    // Answering No runs the walkthrough for the new env.
    let mut p = ScriptedPrompter::new([
        ("AWS region", Reply::Enter),
        (
            "already imported to 'stage' environment",
            Reply::Confirm(false),
        ),
        ("Select the User Pool", Reply::Pick("zeta-users".into())),
        ("Select a Native client", Reply::Pick("zeta-native".into())),
    ]);
    let out = run_scripted(root, &["env", "add", "qa"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert_eq!(
        tpi_auth(root, "qa")["userPoolId"],
        other.user_pool_id.as_str()
    );
    assert_eq!(
        tpi_auth(root, "qa")["identityPoolId"],
        other.identity_pool_id.as_str()
    );
    assert_eq!(
        tpi_auth(root, "stage")["userPoolId"],
        corp.user_pool_id.as_str()
    );
}

#[test]
fn checkout_with_a_deleted_user_pool_warns_and_offers_a_way_out() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let root = dir.path();
    assert_eq!(
        run(authwiz(root).args(["env", "add", "prod", "--yes"])).code,
        0
    );
    Seeder::new(&emu, "us-east-1").delete_user_pool(&corp.user_pool_id);
    // --yes: Amplify's two warnings, checkout completes.
    let r = run(authwiz(root).args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "The previously configured Cognito User Pool: 'corp-users' ({}) cannot be found.",
            corp.user_pool_id
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("Unlink userPool: corp-users using 'authwiz remove auth'")
    );
    assert_eq!(current_env(root), "dev");
    let r = run(authwiz(root).args(["status", "--check-cloud", "--json"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["resources"][0]["cloud"],
        json!({"ok": false, "missing": [format!("User pool {}", corp.user_pool_id)]})
    );
    // Interactive: unlink it now.
    let mut p = ScriptedPrompter::new([(
        "What do you want to do?",
        Reply::Pick("Unlink 'peerproj'".into()),
    )]);
    let out = run_scripted(root, &["env", "checkout", "prod"], &mut p);
    assert_eq!(out.result, Ok(()), "{}", out.human);
    assert_eq!(current_env(root), "prod");
    assert_eq!(
        read_json(root.join("amplify/backend/backend-config.json"))["auth"],
        json!({})
    );
    assert!(!root.join("amplify/backend/auth/peerproj").exists());
    // Offline unlink is recorded on push with no AWS call.
    emu.reset_calls();
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    assert!(emu.calls().is_empty());
}

#[test]
fn checkout_with_a_deleted_client_fails_and_stays_on_the_previous_env() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let root = dir.path();
    assert_eq!(
        run(authwiz(root).args(["env", "add", "prod", "--yes"])).code,
        0
    );
    Seeder::new(&emu, "us-east-1").delete_client(&corp.user_pool_id, &corp.web_client_id);
    let before = snapshot(root);
    let r = run(authwiz(root).args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("The previously configured Web app client cannot be found."),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("authwiz remove auth peerproj"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("AMPLIFY_WEBCLIENT_ID"), "{}", r.stderr);
    assert_eq!(before, snapshot(root));
    assert_eq!(current_env(root), "prod");
    let r = run(authwiz(root).args(["status", "--check-cloud"]));
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains(&format!(
            "missing in the cloud: Web app client {}",
            corp.web_client_id
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn fresh_clone_in_ci_gets_ids_from_the_variables() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let root = dir.path();
    // What a clone has: no local files, no ids in team-provider-info.json.
    for f in [
        "amplify/.config/local-env-info.json",
        "amplify/backend/amplify-meta.json",
    ] {
        std::fs::remove_file(root.join(f)).unwrap();
    }
    std::fs::remove_dir_all(root.join("amplify/#current-cloud-backend")).unwrap();
    let tpi = root.join("amplify/team-provider-info.json");
    let mut v = read_json(&tpi);
    v["dev"].as_object_mut().unwrap().remove("categories");
    std::fs::write(&tpi, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let r = run(authwiz(root).args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "Imported resource: 'peerproj' found, parameters are required for environment creation."
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("AMPLIFY_USERPOOL_ID, AMPLIFY_WEBCLIENT_ID, AMPLIFY_NATIVECLIENT_ID and AMPLIFY_IDENTITYPOOL_ID"), "{}", r.stderr);
    let r = run(authwiz(root)
        .env("AMPLIFY_USERPOOL_ID", &corp.user_pool_id)
        .env("AMPLIFY_WEBCLIENT_ID", &corp.web_client_id)
        .env("AMPLIFY_NATIVECLIENT_ID", &corp.native_client_id)
        .env("AMPLIFY_IDENTITYPOOL_ID", &corp.identity_pool_id)
        .args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        tpi_auth(root, "dev")["userPoolId"],
        corp.user_pool_id.as_str()
    );
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    assert!(
        std::fs::read_to_string(root.join("src/aws-exports.js"))
            .unwrap()
            .contains(&corp.user_pool_id)
    );
}

#[test]
fn recorded_ids_win_over_variables_and_region_flags_must_match() {
    let emu = Emulator::start();
    let (dir, corp) = pushed(&emu, "javascript");
    let other = Seeder::new(&emu, "us-east-1").corp_named("other");
    let root = dir.path();
    // Variables set for another env never rewrite dev's recorded ids.
    let r = run(authwiz(root)
        .env("AMPLIFY_USERPOOL_ID", &other.user_pool_id)
        .env("AMPLIFY_WEBCLIENT_ID", &other.web_client_id)
        .env("AMPLIFY_NATIVECLIENT_ID", &other.native_client_id)
        .env("AMPLIFY_IDENTITYPOOL_ID", &other.identity_pool_id)
        .args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        tpi_auth(root, "dev")["userPoolId"],
        corp.user_pool_id.as_str()
    );
    // A --region other than the env's is refused before any call.
    let before = snapshot(root);
    emu.reset_calls();
    let r = run(authwiz(root).args(["env", "checkout", "dev", "--region", "eu-west-1"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("Environment 'dev' is in us-east-1, but --region says eu-west-1."),
        "{}",
        r.stderr
    );
    assert!(emu.calls().is_empty());
    assert_eq!(before, snapshot(root));
}

#[test]
fn a_lost_env_pointer_keeps_the_pushed_state() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    std::fs::remove_file(root.join("amplify/.config/local-env-info.json")).unwrap();
    let r = run(authwiz(root).args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        root.join("amplify/#current-cloud-backend/amplify-meta.json")
            .exists()
    );
    let status = run(authwiz(root).args(["status", "--json"]));
    assert!(
        status.stdout.contains("\"operation\":\"No Change\""),
        "{}",
        status.stdout
    );
}

#[test]
fn env_add_and_checkout_keep_keys_they_do_not_know() {
    let emu = Emulator::start();
    let (dir, _) = pushed(&emu, "javascript");
    let root = dir.path();
    // Keys another tool (or a later Amplify CLI) recorded.
    let tpi = root.join("amplify/team-provider-info.json");
    let mut v = read_json(&tpi);
    v["dev"]["categories"]["auth"]["peerproj"]["customTag"] = json!("kept");
    std::fs::write(&tpi, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let params = root.join("amplify/backend/auth/peerproj/parameters.json");
    let mut p = read_json(&params);
    p["extraSetting"] = json!({"a": 1});
    std::fs::write(&params, serde_json::to_string_pretty(&p).unwrap()).unwrap();
    let r = run(authwiz(root).args(["env", "add", "prod", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(authwiz(root).args(["env", "checkout", "dev", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(tpi_auth(root, "dev")["customTag"], "kept");
    assert_eq!(read_json(&params)["extraSetting"], json!({"a": 1}));
    assert_eq!(
        read_json(&params)["authSelections"],
        "identityPoolAndUserPool"
    );
}
