//! Lambda triggers against the emulator: `add auth` with capabilities writes
//! Amplify's function resources; `push` makes each function with its own
//! role (only its modules' actions, on this pool), Cognito's permission and
//! the pool's triggers; an edit of `src/` is a code update and nothing else;
//! a project the Amplify CLI wrote with triggers is pushed as it is.

use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;
use crate::support::*;

fn add_with_capabilities(root: &std::path::Path) {
    let r = run(authwiz(root).args([
        "add",
        "auth",
        "--yes",
        "--default-config",
        "default",
        "--sign-in",
        "username",
        "--advanced-settings",
        "yes",
        "--required-attributes",
        "email",
        "--capabilities",
        "add-user-to-group,email-denylist",
        "--add-to-group",
        "admins",
        "--denylist-domains",
        "spam.com, junk.org",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn only_dir(root: &std::path::Path, rel: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root.join(rel))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.remove(0)
}

#[test]
fn capabilities_become_functions_that_push_makes_and_updates_by_code_alone() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    add_with_capabilities(root);
    let res = only_dir(root, "amplify/backend/auth");
    // Amplify's files: triggers in cli-inputs, one function resource per trigger.
    let inputs = read_json(root.join(format!("amplify/backend/auth/{res}/cli-inputs.json")));
    assert_eq!(
        inputs["cognitoConfig"]["triggers"],
        serde_json::json!({"PostConfirmation": ["add-to-group"], "PreSignup": ["email-filter-denylist"]})
    );
    let post = format!("{res}PostConfirmation");
    let params = read_json(root.join(format!(
        "amplify/backend/function/{post}/function-parameters.json"
    )));
    assert_eq!(params["trigger"], true);
    assert_eq!(params["parentResource"], res.as_str());
    let tpi = read_json(root.join("amplify/team-provider-info.json"));
    assert_eq!(
        tpi["dev"]["categories"]["function"][&post]["GROUP"],
        "admins"
    );

    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let idp = seed.idp();
    let lambda_calls: Vec<String> = emu
        .calls()
        .into_iter()
        .filter(|c| c.starts_with("lambda:") && !c.contains(":Get"))
        .collect();
    assert_eq!(
        lambda_calls
            .iter()
            .filter(|c| *c == "lambda:CreateFunction")
            .count(),
        2,
        "{lambda_calls:?}"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pools = rt
        .block_on(idp.list_user_pools().max_results(10).send())
        .unwrap();
    let pool = &pools.user_pools()[0];
    let described = rt
        .block_on(
            idp.describe_user_pool()
                .user_pool_id(pool.id().unwrap())
                .send(),
        )
        .unwrap();
    let up = described.user_pool().unwrap();
    let lc = up.lambda_config().unwrap();
    let post_arn = lc.post_confirmation().unwrap().to_string();
    assert!(
        post_arn.ends_with(&format!(":function:{post}-dev")),
        "{post_arn}"
    );
    assert!(lc.pre_sign_up().unwrap().ends_with("PreSignup-dev"));
    // The role may add users to groups of this pool only.
    let iam = seed.iam();
    let doc = rt
        .block_on(
            iam.get_role_policy()
                .role_name(format!("{post}-dev"))
                .policy_name("AddToGroupCognito")
                .send(),
        )
        .unwrap();
    let text = percent_encoding::percent_decode_str(doc.policy_document())
        .decode_utf8()
        .unwrap()
        .to_string();
    let policy: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        policy["Statement"][0]["Resource"],
        up.arn().unwrap(),
        "{policy}"
    );
    // Nothing left to do; then an edit of a module is a code update alone.
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("No changes detected"), "{}", r.stderr);
    let module = root.join(format!(
        "amplify/backend/function/{res}PreSignup/src/email-filter-denylist.js"
    ));
    let mut text = std::fs::read_to_string(&module).unwrap();
    text.push_str("\n// reviewed\n");
    std::fs::write(&module, text).unwrap();
    emu.reset_calls();
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mutating: Vec<String> = emu
        .calls()
        .into_iter()
        .filter(|c| !(c.contains(":Get") || c.contains(":Describe") || c.contains(":List")))
        .collect();
    assert_eq!(mutating, vec!["lambda:UpdateFunctionCode"], "{mutating:?}");
}

#[test]
fn a_project_the_amplify_cli_wrote_with_triggers_is_pushed() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_tree(
        &repo().join("tests/fixtures/amplify-cli-14.2.2-managed/91-triggers-add-auth/amplify"),
        &root.join("amplify"),
    );
    let info = root.join("amplify/.config/local-aws-info.json");
    let mut v = read_json(&info);
    for env in v.as_object_mut().unwrap().values_mut() {
        env["endpointUrl"] = emu.url().into();
    }
    std::fs::write(&info, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let creates: Vec<String> = emu
        .calls()
        .into_iter()
        .filter(|c| c == "lambda:CreateFunction" || c == "lambda:AddPermission")
        .collect();
    assert_eq!(creates.len(), 4, "{creates:?}");
    let r = run(authwiz(root).args(["status"]));
    assert!(r.stderr.contains("No Change") || r.stdout.contains("No Change"));
}
