//! aws-exports.js / amplifyconfiguration.json, byte-compatible with the Amplify CLI.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::auth::client::{pushed_cognito, strings};
use crate::project::{AmplifyMeta, Resource};
use crate::storage::pushed_bucket;

/// Keys the generator owns; anything else in an existing aws-exports.js is the user's.
const RESERVED: &[&str] = &[
    "aws_project_region",
    "aws_cognito_identity_pool_id",
    "aws_cognito_region",
    "aws_user_pools_id",
    "aws_user_pools_web_client_id",
    "oauth",
    "federationTarget",
    "aws_cognito_username_attributes",
    "aws_cognito_social_providers",
    "aws_cognito_signup_attributes",
    "aws_cognito_mfa_configuration",
    "aws_cognito_mfa_types",
    "aws_cognito_password_protection_settings",
    "aws_cognito_verification_mechanisms",
    "aws_user_files_s3_bucket",
    "aws_user_files_s3_bucket_region",
    "aws_user_files_s3_dangerously_connect_to_http_endpoint_for_testing",
    "aws_cognito_dangerously_connect_to_http_endpoint_for_testing",
];

/// The configuration object, in the Amplify CLI's key order.
pub fn javascript_config(meta: &AmplifyMeta) -> Map<String, Value> {
    let mut out = Map::new();
    let region = meta.region().map(str::to_string);
    if let Some(r) = &region {
        out.insert("aws_project_region".into(), json!(r));
    }
    if let Some(auth) = pushed_cognito(meta) {
        cognito_keys(&mut out, auth, region.as_deref().unwrap_or_default());
    }
    if let Some((bucket, bucket_region)) = pushed_bucket(meta) {
        out.insert("aws_user_files_s3_bucket".into(), json!(bucket));
        out.insert(
            "aws_user_files_s3_bucket_region".into(),
            json!(bucket_region),
        );
    }
    out
}

/// aws-exports.js's `oauth`: the hosted UI's domain and the clients' OAuth
/// settings (empty without a hosted UI).
fn oauth_block(
    domain: Option<String>,
    metadata: Option<&Value>,
    region: &str,
) -> Map<String, Value> {
    let mut oauth = Map::new();
    if let Some(domain) = domain {
        oauth.insert(
            "domain".into(),
            json!(format!("{domain}.auth.{region}.amazoncognito.com")),
        );
    }
    if let Some(m) = metadata {
        let list = |k: &str| strings(m, k);
        oauth.insert("scope".into(), json!(list("AllowedOAuthScopes")));
        oauth.insert(
            "redirectSignIn".into(),
            json!(list("CallbackURLs").join(",")),
        );
        oauth.insert(
            "redirectSignOut".into(),
            json!(list("LogoutURLs").join(",")),
        );
        if let Some(flow) = list("AllowedOAuthFlows").first() {
            let flow = if flow == "implicit" {
                "token"
            } else {
                flow.as_str()
            };
            oauth.insert("responseType".into(), json!(flow));
        }
    }
    oauth
}

fn cognito_keys(out: &mut Map<String, Value>, auth: &Resource, region: &str) {
    let output = auth.output.clone().unwrap_or_default();
    let get = |k: &str| output.get(k).and_then(Value::as_str).map(str::to_string);
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            out.insert(k.into(), v);
        }
    };
    put(
        "aws_cognito_identity_pool_id",
        get("IdentityPoolId").map(Value::from),
    );
    put("aws_cognito_region", Some(json!(region)));
    put("aws_user_pools_id", get("UserPoolId").map(Value::from));
    put(
        "aws_user_pools_web_client_id",
        get("AppClientIDWeb").map(Value::from),
    );

    let metadata: Option<Value> = get("OAuthMetadata").and_then(|s| serde_json::from_str(&s).ok());
    let oauth = oauth_block(get("HostedUIDomain"), metadata.as_ref(), region);
    put("oauth", Some(Value::Object(oauth)));
    let idp_federation = [
        "GoogleWebClient",
        "FacebookWebClient",
        "AmazonWebClient",
        "AppleWebClient",
    ]
    .iter()
    .any(|k| output.contains_key(*k));
    let target = match (metadata.is_some(), idp_federation) {
        (true, true) => Some("COGNITO_USER_AND_IDENTITY_POOLS"),
        (true, false) => Some("COGNITO_USER_POOLS"),
        (false, true) => Some("COGNITO_IDENTITY_POOLS"),
        (false, false) => None,
    };
    put("federationTarget", target.map(Value::from));

    if let Some(Value::Object(fac)) = &auth.frontend_auth_config {
        let keys = [
            ("aws_cognito_username_attributes", "usernameAttributes"),
            ("aws_cognito_social_providers", "socialProviders"),
            ("aws_cognito_signup_attributes", "signupAttributes"),
            ("aws_cognito_mfa_configuration", "mfaConfiguration"),
            ("aws_cognito_mfa_types", "mfaTypes"),
            (
                "aws_cognito_password_protection_settings",
                "passwordProtectionSettings",
            ),
            (
                "aws_cognito_verification_mechanisms",
                "verificationMechanisms",
            ),
        ];
        for (key, source) in keys {
            put(key, fac.get(source).cloned());
        }
    }
}

/// Carries the user's own keys of an existing file over, after the generated ones.
pub fn merge_custom_keys(config: &mut Map<String, Value>, existing: &Map<String, Value>) {
    for (k, v) in existing {
        if !RESERVED.contains(&k.as_str()) && !config.contains_key(k) {
            config.insert(k.clone(), v.clone());
        }
    }
}

/// The object of a generated aws-exports.js (`const awsmobile = {...};`).
pub fn parse_aws_exports(text: &str) -> Option<Map<String, Value>> {
    let start = text.find("const awsmobile = ")? + "const awsmobile = ".len();
    let end = text.rfind("};")? + 1;
    serde_json::from_str(text.get(start..end)?).ok()
}

/// `JSON.stringify(config, null, 4)` inside the Amplify template.
pub fn aws_exports_js(config: &Map<String, Value>) -> String {
    let mut body = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut body, fmt);
    config
        .serialize(&mut ser)
        .expect("a JSON object serializes");
    format!(
        "/* eslint-disable */\n// WARNING: DO NOT EDIT. This file is automatically generated by AWS Amplify. It will be overwritten.\n\nconst awsmobile = {};\n\n\nexport default awsmobile;\n",
        String::from_utf8(body).expect("serde_json writes UTF-8")
    )
}
