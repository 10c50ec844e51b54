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

/// The pool's `LambdaConfig`, through the SDK.
fn lambda_config(
    rt: &tokio::runtime::Runtime,
    seed: &Seeder,
) -> (
    String,
    aws_sdk_cognitoidentityprovider::types::LambdaConfigType,
) {
    let idp = seed.idp();
    let pools = rt
        .block_on(idp.list_user_pools().max_results(10).send())
        .unwrap();
    let id = pools.user_pools()[0].id().unwrap().to_string();
    let d = rt
        .block_on(idp.describe_user_pool().user_pool_id(&id).send())
        .unwrap();
    let lc = d
        .user_pool()
        .and_then(|p| p.lambda_config())
        .cloned()
        .unwrap_or_else(|| {
            aws_sdk_cognitoidentityprovider::types::LambdaConfigType::builder().build()
        });
    (id, lc)
}

fn lambda(emu: &Emulator) -> aws_sdk_lambda::Client {
    let conf = aws_sdk_lambda::Config::builder()
        .behavior_version(aws_sdk_lambda::config::BehaviorVersion::latest())
        .region(aws_sdk_lambda::config::Region::new("us-east-1"))
        .endpoint_url(emu.url())
        .credentials_provider(aws_sdk_lambda::config::Credentials::new(
            emu.access_key(),
            "x",
            None,
            None,
            "test",
        ))
        .build();
    aws_sdk_lambda::Client::from_conf(conf)
}

#[test]
fn a_trigger_taken_out_by_update_auth_goes_with_its_function_role_and_permission() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    add_with_capabilities(root);
    let res = only_dir(root, "amplify/backend/auth");
    assert_eq!(run(authwiz(root).args(["push", "--yes"])).code, 0);
    // A console-style change of the pool's triggers is drift, named field by field.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (id, lc) = lambda_config(&rt, &seed);
    let idp = seed.idp();
    let extra = "arn:aws:lambda:us-east-1:123456789012:function:someone-elses";
    let changed = aws_sdk_cognitoidentityprovider::types::LambdaConfigType::builder()
        .set_pre_sign_up(lc.pre_sign_up().map(str::to_string))
        .set_post_confirmation(lc.post_confirmation().map(str::to_string))
        .post_authentication(extra)
        .build();
    rt.block_on(
        idp.update_user_pool()
            .user_pool_id(&id)
            .lambda_config(changed)
            .auto_verified_attributes(
                aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType::Email,
            )
            .send(),
    )
    .unwrap();
    let r = run(authwiz(root).args(["status", "--check-cloud"]));
    let out = format!("{}{}", r.stdout, r.stderr);
    assert!(out.contains("PostAuthentication"), "{out}");
    // Take the denylist out: its function, role and permission go; the
    // pool runs the group trigger only (the console's entry is the files' now).
    let r = run(authwiz(root).args([
        "update",
        "auth",
        "--yes",
        "--action",
        "manual",
        "--user-pool-groups",
        "no",
        "--oauth",
        "no",
        "--capabilities",
        "add-user-to-group",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !root
            .join(format!("amplify/backend/function/{res}PreSignup"))
            .exists()
    );
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, lc) = lambda_config(&rt, &seed);
    assert!(lc.pre_sign_up().is_none(), "{lc:?}");
    assert!(lc.post_authentication().is_none(), "{lc:?}");
    assert!(
        lc.post_confirmation()
            .unwrap()
            .ends_with("PostConfirmation-dev")
    );
    let lambda = lambda(&emu);
    let names: Vec<String> = rt
        .block_on(lambda.list_functions().send())
        .unwrap()
        .functions()
        .iter()
        .filter_map(|f| f.function_name().map(str::to_string))
        .collect();
    assert_eq!(names, vec![format!("{res}PostConfirmation-dev")]);
    let role = rt.block_on(
        seed.iam()
            .get_role()
            .role_name(format!("{res}PreSignup-dev"))
            .send(),
    );
    assert!(role.is_err(), "the role stays: {role:?}");
}

#[test]
fn an_existing_function_is_attached_and_never_changed_or_deleted() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Someone's function, with its own role.
    let role = rt
        .block_on(
            seed.iam()
                .create_role()
                .role_name("legacy-migration-role")
                .assume_role_policy_document(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
                )
                .send(),
        )
        .unwrap();
    let lambda = lambda(&emu);
    let zip = authwiz::auth::triggers::package::zip(&[(
        "index.js".to_string(),
        b"exports.handler = async (e) => e;".to_vec(),
    )]);
    let f = rt
        .block_on(
            lambda
                .create_function()
                .function_name("legacy-migration")
                .role(role.role().unwrap().arn())
                .runtime(aws_sdk_lambda::types::Runtime::Nodejs22x)
                .handler("index.handler")
                .code(
                    aws_sdk_lambda::types::FunctionCode::builder()
                        .zip_file(aws_sdk_lambda::primitives::Blob::new(zip))
                        .build(),
                )
                .send(),
        )
        .unwrap();
    let arn = f.function_arn().unwrap().to_string();
    let sha = f.code_sha256().unwrap().to_string();
    let dir = project_on(&emu.url(), "javascript");
    let root = dir.path();
    let payload = serde_json::json!({
        "version": 2,
        "resourceName": "attachauth",
        "serviceConfiguration": {
            "serviceName": "Cognito",
            "userPoolConfiguration": {"signinMethod": "USERNAME", "requiredSignupAttributes": ["EMAIL"]},
            "includeIdentityPool": false
        },
        "triggers": {"functions": {"UserMigration": arn}}
    });
    let r = with_stdin(
        authwiz(root).args(["add", "auth", "--headless"]),
        &payload.to_string(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!root.join("amplify/backend/function").exists());
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (id, lc) = lambda_config(&rt, &seed);
    assert_eq!(lc.user_migration(), Some(arn.as_str()));
    let policy = rt
        .block_on(lambda.get_policy().function_name("legacy-migration").send())
        .unwrap();
    let text = policy.policy().unwrap();
    assert!(
        text.contains(&id) && text.contains("cognito-idp.amazonaws.com"),
        "{text}"
    );
    // Unlinked and pushed: the permission goes, the function stays as it was.
    assert_eq!(
        run(authwiz(root).args(["remove", "auth", "attachauth", "--yes"])).code,
        0
    );
    let r = run(authwiz(root).args(["push", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f = rt
        .block_on(
            lambda
                .get_function()
                .function_name("legacy-migration")
                .send(),
        )
        .unwrap();
    assert_eq!(f.configuration().unwrap().code_sha256(), Some(sha.as_str()));
    let policy = rt.block_on(lambda.get_policy().function_name("legacy-migration").send());
    let left = policy
        .ok()
        .and_then(|p| p.policy().map(str::to_string))
        .unwrap_or_default();
    assert!(!left.contains("authwiz-"), "{left}");
}
