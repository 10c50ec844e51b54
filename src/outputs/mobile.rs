//! amplifyconfiguration.json / awsconfiguration.json for iOS and Android, and
//! amplifyconfiguration.dart for Flutter (4-space JSON, no trailing newline).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::auth::client::{pushed_cognito, strings};
use crate::project::{AmplifyMeta, Resource};
use crate::storage::pushed_bucket;

/// The native platforms; their generators differ in small ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    Ios,
    Android,
    Flutter,
}

/// The `awsCognitoAuthPlugin` object (also the whole awsconfiguration.json).
pub fn aws_configuration(meta: &AmplifyMeta, platform: Platform) -> Map<String, Value> {
    let ios = platform == Platform::Ios;
    let mut c = Map::new();
    let agent = if ios {
        "aws-amplify/cli"
    } else {
        "aws-amplify-cli/0.1.0"
    };
    c.insert("UserAgent".into(), json!(agent));
    c.insert("Version".into(), json!("0.1.0"));
    c.insert("IdentityManager".into(), json!({"Default": {}}));
    if let Some(auth) = pushed_cognito(meta) {
        cognito(&mut c, auth, meta.region().unwrap_or_default(), ios);
    }
    if let Some((bucket, region)) = pushed_bucket(meta) {
        c.insert(
            "S3TransferUtility".into(),
            json!({"Default": {"Bucket": bucket, "Region": region}}),
        );
    }
    c
}

fn cognito(c: &mut Map<String, Value>, auth: &Resource, region: &str, ios: bool) {
    let output = auth.output.clone().unwrap_or_default();
    let get = |k: &str| output.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(ip) = get("IdentityPoolId") {
        c.insert(
            "CredentialsProvider".into(),
            json!({"CognitoIdentity": {"Default": {"PoolId": ip, "Region": region}}}),
        );
    }
    let native = get("AppClientID");
    let secret = get("AppClientSecret");
    if let Some(pool) = get("UserPoolId") {
        let mut d = Map::new();
        d.insert("PoolId".into(), json!(pool));
        d.insert("AppClientId".into(), json!(native));
        d.insert("Region".into(), json!(region));
        if let Some(s) = &secret {
            d.insert("AppClientSecret".into(), json!(s));
        }
        c.insert("CognitoUserPool".into(), json!({"Default": d}));
    }
    if let Some(google) = get("GoogleWebClient") {
        let mut g = Map::new();
        g.insert("Permissions".into(), json!("email,profile,openid"));
        g.insert("ClientId-WebApp".into(), json!(google));
        if ios && let Some(i) = get("GoogleIOSClient") {
            g.insert("ClientId-iOS".into(), json!(i));
        }
        c.insert("GoogleSignIn".into(), Value::Object(g));
    }
    if let Some(fb) = get("FacebookWebClient") {
        c.insert(
            "FacebookSignIn".into(),
            json!({"AppId": fb, "Permissions": "public_profile"}),
        );
    }
    let mut d = Map::new();
    // The native client keeps its own redirect URLs when they differ from the web client's.
    let metadata = get("OAuthMetadataNative").or_else(|| get("OAuthMetadata"));
    if let Some(m) = metadata.and_then(|s| serde_json::from_str::<Value>(&s).ok()) {
        let list = |k: &str| strings(&m, k);
        let mut o = Map::new();
        if let Some(domain) = get("HostedUIDomain") {
            o.insert(
                "WebDomain".into(),
                json!(format!("{domain}.auth.{region}.amazoncognito.com")),
            );
        }
        o.insert("AppClientId".into(), json!(native));
        if let Some(s) = &secret {
            o.insert("AppClientSecret".into(), json!(s));
        }
        o.insert(
            "SignInRedirectURI".into(),
            json!(list("CallbackURLs").join(",")),
        );
        o.insert(
            "SignOutRedirectURI".into(),
            json!(list("LogoutURLs").join(",")),
        );
        o.insert("Scopes".into(), json!(list("AllowedOAuthScopes")));
        d.insert("OAuth".into(), Value::Object(o));
    }
    let flow = if auth.custom_auth == Some(true) {
        "CUSTOM_AUTH"
    } else {
        "USER_SRP_AUTH"
    };
    d.insert("authenticationFlowType".into(), json!(flow));
    if let Some(Value::Object(fac)) = &auth.frontend_auth_config {
        d.extend(fac.clone());
    }
    c.insert("Auth".into(), json!({"Default": d}));
}

/// The amplifyconfiguration.json wrapper around the auth plugin.
pub fn amplify_configuration(meta: &AmplifyMeta, platform: Platform) -> Map<String, Value> {
    let mut c = Map::new();
    c.insert("UserAgent".into(), json!("aws-amplify-cli/2.0"));
    c.insert("Version".into(), json!("1.0"));
    if pushed_cognito(meta).is_some() {
        c.insert(
            "auth".into(),
            json!({"plugins": {"awsCognitoAuthPlugin": aws_configuration(meta, platform)}}),
        );
    }
    if let Some((bucket, region)) = pushed_bucket(meta) {
        c.insert(
            "storage".into(),
            json!({"plugins": {"awsS3StoragePlugin": {"bucket": bucket, "region": region, "defaultAccessLevel": "guest"}}}),
        );
    }
    c
}

/// `JSON.stringify(v, null, 4)`.
pub fn json4(value: &Map<String, Value>) -> String {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    value.serialize(&mut ser).expect("a JSON object serializes");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Flutter's Dart wrapper.
pub fn dart(config: &Map<String, Value>) -> String {
    format!("const amplifyconfig = '''{}''';\n", json4(config))
}
