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
    std::fs::write(
        &keys,
        r#"{"accessKeyId":"testing","secretAccessKey":"testing","region":"us-east-1"}"#,
    )
    .unwrap();
    let target = AwsTarget {
        region: Some("us-east-1".into()),
        profile: None,
        endpoint_url: Some(emu.url()),
        keys_file: Some(keys),
        ..Default::default()
    };
    Aws::connect(&target).unwrap()
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
