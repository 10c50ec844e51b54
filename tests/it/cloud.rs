//! The real Rust SDK path through src/cloud/ against the emulator.

use authwiz::cloud::cognito_identity::CognitoIdentity;
use authwiz::cloud::cognito_idp::CognitoIdp;
use authwiz::cloud::iam::{Iam, role_name_from_arn};
use authwiz::cloud::{Aws, AwsTarget, CloudError};

use crate::support::emulator::Emulator;
use crate::support::seed::Seeder;

fn connect(emu: &Emulator) -> Aws {
    // SAFETY-free: credentials for the emulator come from a keys file, as Amplify stores them.
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.json");
    let json = serde_json::json!({"accessKeyId": emu.access_key(), "secretAccessKey": "testing", "region": "us-east-1"});
    std::fs::write(&keys, json.to_string()).unwrap();
    let target = AwsTarget {
        region: Some("us-east-1".into()),
        profile: None,
        endpoint_url: Some(emu.url()),
        keys_file: Some(keys),
        ..Default::default()
    };
    Aws::connect(&target, &authwiz::process::RealProcess, None).unwrap()
}

#[test]
fn sdk_path_lists_describes_and_reads_roles() {
    let emu = Emulator::start();
    let seed = Seeder::new(&emu, "us-east-1");
    let corp = seed.corp();
    // More than one page of user pools (60 per page).
    for i in 0..65 {
        seed.user_pool(&format!("filler-{i:02}"));
    }
    emu.reset_calls();
    let aws = connect(&emu);
    let idp = aws.cognito_idp();
    let pools = aws.block_on(idp.list_user_pools()).unwrap();
    assert_eq!(pools.len(), 66);
    assert!(
        pools
            .iter()
            .any(|p| p.id == corp.user_pool_id && p.name == "corp-users")
    );
    let pool = aws
        .block_on(idp.describe_user_pool(&corp.user_pool_id))
        .unwrap();
    assert_eq!(pool.name, "corp-users");
    assert_eq!(pool.username_attributes, vec!["email"]);
    assert_eq!(pool.password.min_length, 10);
    assert!(
        pool.password.lowercase
            && pool.password.uppercase
            && pool.password.numbers
            && !pool.password.symbols
    );
    let native = aws
        .block_on(idp.describe_client(&corp.user_pool_id, &corp.native_client_id))
        .unwrap();
    assert_eq!(native.secret.as_deref(), Some(corp.native_secret.as_str()));

    let identity = aws.cognito_identity();
    let roles = aws
        .block_on(identity.identity_pool_roles(&corp.identity_pool_id))
        .unwrap();
    assert_eq!(
        roles.authenticated.as_deref(),
        Some(corp.auth_role_arn.as_str())
    );
    let role = aws
        .block_on(
            aws.iam()
                .get_role(role_name_from_arn(roles.authenticated.as_deref().unwrap()).unwrap()),
        )
        .unwrap();
    assert_eq!(role.name, "corp-auth-role");
    assert_eq!(
        role.trust_policy["Statement"][0]["Condition"]["StringEquals"]["cognito-identity.amazonaws.com:aud"],
        corp.identity_pool_id.as_str()
    );
    assert_eq!(
        emu.calls(),
        vec![
            "cognito-idp:ListUserPools",
            "cognito-idp:ListUserPools",
            "cognito-idp:DescribeUserPool",
            "cognito-idp:DescribeUserPoolClient",
            "cognito-identity:GetIdentityPoolRoles",
            "iam:GetRole",
        ]
    );
}

#[test]
fn missing_resources_are_typed_not_found() {
    let emu = Emulator::start();
    let aws = connect(&emu);
    let err = aws
        .block_on(aws.cognito_idp().describe_user_pool("us-east-1_DOESNOTX"))
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(
        err.to_string(),
        "User pool us-east-1_DOESNOTX was not found (cognito-idp:DescribeUserPool)."
    );
    let err = aws.block_on(aws.iam().get_role("nope")).unwrap_err();
    assert!(matches!(err, CloudError::NotFound { .. }), "{err}");
}

/// Two handles are two accounts on the one emulator: neither sees the other's
/// pools, roles, identity pool roles, buckets or calls.
#[test]
fn each_emulator_handle_is_its_own_account() {
    let (a, b) = (Emulator::start(), Emulator::start());
    assert_ne!(a.access_key(), b.access_key());
    let (sa, sb) = (Seeder::new(&a, "us-east-1"), Seeder::new(&b, "us-east-1"));
    let ca = sa.corp();
    let cb = sb.corp();
    // The same names in both accounts; the role ARNs carry each account's id.
    assert_eq!(
        ca.auth_role_arn,
        format!("arn:aws:iam::{}:role/corp-auth-role", a.account_id())
    );
    assert_eq!(
        cb.auth_role_arn,
        format!("arn:aws:iam::{}:role/corp-auth-role", b.account_id())
    );
    let pools = |s: &Seeder| -> Vec<String> {
        let out =
            s.rt.block_on(s.idp().list_user_pools().max_results(60).send())
                .unwrap();
        out.user_pools()
            .iter()
            .filter_map(|p| p.id().map(str::to_string))
            .collect()
    };
    assert_eq!(pools(&sa), std::slice::from_ref(&ca.user_pool_id));
    assert_eq!(pools(&sb), std::slice::from_ref(&cb.user_pool_id));
    // The extension's own state (identity pool roles) is per account too.
    let auth_role = |s: &Seeder, ip: &str| -> Option<String> {
        let out =
            s.rt.block_on(
                s.identity()
                    .get_identity_pool_roles()
                    .identity_pool_id(ip)
                    .send(),
            )
            .ok()?;
        out.roles()?.get("authenticated").cloned()
    };
    assert_eq!(auth_role(&sb, &cb.identity_pool_id), Some(cb.auth_role_arn));
    assert_eq!(
        auth_role(&sb, &ca.identity_pool_id),
        None,
        "a's pool is not in b"
    );
    // Bucket names are per account in the emulator (global on AWS).
    for s in [&sa, &sb] {
        let s3 = aws_sdk_s3::Client::new(&s.config);
        s.rt.block_on(s3.create_bucket().bucket("shared-name").send())
            .unwrap();
    }
    sb.rt
        .block_on(
            aws_sdk_s3::Client::new(&sb.config)
                .delete_bucket()
                .bucket("shared-name")
                .send(),
        )
        .unwrap();
    sa.rt
        .block_on(
            aws_sdk_s3::Client::new(&sa.config)
                .head_bucket()
                .bucket("shared-name")
                .send(),
        )
        .expect("a's bucket outlives b's");
    // Each handle's call log holds its own calls only; a reset clears only its own.
    let a_calls = a.calls();
    assert!(
        a_calls.contains(&"s3:HeadBucket".to_string()),
        "{a_calls:?}"
    );
    assert!(
        !a_calls.contains(&"s3:DeleteBucket".to_string()),
        "{a_calls:?}"
    );
    assert!(b.calls().contains(&"s3:DeleteBucket".to_string()));
    a.reset_calls();
    assert!(a.calls().is_empty());
    assert!(!b.calls().is_empty());
}
