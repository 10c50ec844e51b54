//! amplify_outputs.json in the lowest Gen 2 schema version that holds its
//! content: "1", "1.3" with user pool groups, "1.4" with passwordless sign-in or
//! email MFA; only keys that version has, and only values its schema accepts.

use crate::vocab::PasswordRule;
use serde_json::{Map, Value, json};

use crate::auth::client::{AuthExtras, pushed_cognito, strings};
use crate::project::AmplifyMeta;

pub fn amplify_outputs(meta: &AmplifyMeta, extras: &AuthExtras) -> Map<String, Value> {
    let mut out = Map::new();
    let mut version = "1";
    if let Some(mut auth) = auth_section(meta, extras.allow_unauthenticated) {
        version = beyond_v1(&mut auth, extras);
        out.insert("auth".into(), Value::Object(auth));
    }
    if let Some((bucket, region)) = crate::storage::pushed_bucket(meta) {
        out.insert(
            "storage".into(),
            json!({"aws_region": region, "bucket_name": bucket}),
        );
    }
    out.insert("version".into(), json!(version));
    out
}

/// What only versions 1.3 (groups) and 1.4 (passwordless, email MFA) hold;
/// returns the version needed.
fn beyond_v1(a: &mut Map<String, Value>, extras: &AuthExtras) -> &'static str {
    let o = &extras.overrides;
    let mut version = "1";
    // The Gen 1 MFA types cannot say EMAIL: it comes from the overrides.
    if o.enabled_mfas()
        .is_some_and(|m| m.iter().any(|x| x == "EMAIL_OTP"))
    {
        if let Some(methods) = a.get_mut("mfa_methods").and_then(Value::as_array_mut) {
            methods.push(json!("EMAIL"));
        }
        version = "1.4";
    }
    if !extras.groups.is_empty() {
        let groups: Vec<Value> = extras
            .groups
            .iter()
            .map(|(name, precedence)| {
                let config = match precedence {
                    Some(p) => json!({"precedence": p}),
                    None => json!({}),
                };
                json!({ name: config })
            })
            .collect();
        a.insert("groups".into(), json!(groups));
        version = if version == "1.4" { "1.4" } else { "1.3" };
    }
    let factors = o.passwordless();
    let web_authn = o.web_authn();
    if !factors.is_empty() || web_authn.is_some() {
        let mut p = Map::new();
        p.insert(
            "email_otp_enabled".into(),
            json!(factors.iter().any(|f| f == "EMAIL_OTP")),
        );
        p.insert(
            "sms_otp_enabled".into(),
            json!(factors.iter().any(|f| f == "SMS_OTP")),
        );
        if let Some((rp, uv)) = web_authn.filter(|_| factors.iter().any(|f| f == "WEB_AUTHN")) {
            p.insert(
                "web_authn".into(),
                json!({"relying_party_id": rp, "user_verification": uv}),
            );
        }
        a.insert("passwordless".into(), Value::Object(p));
        version = "1.4";
    }
    version
}

/// `password_policy` from frontendAuthConfig's password protection settings.
fn password_policy(pw: &Value) -> Value {
    let chars = strings(pw, "passwordPolicyCharacters");
    let has = |c: &str| chars.iter().any(|x| x == c);
    let min = pw
        .get("passwordPolicyMinLength")
        .and_then(Value::as_i64)
        .unwrap_or(8)
        .clamp(6, 99);
    json!({
        "min_length": min,
        "require_lowercase": has(PasswordRule::Lowercase.client()),
        "require_numbers": has(PasswordRule::Numbers.client()),
        "require_symbols": has(PasswordRule::Symbols.client()),
        "require_uppercase": has(PasswordRule::Uppercase.client()),
    })
}

fn auth_section(
    meta: &AmplifyMeta,
    allow_unauthenticated: Option<bool>,
) -> Option<Map<String, Value>> {
    let res = pushed_cognito(meta)?;
    let output = res.output.clone().unwrap_or_default();
    let get = |k: &str| output.get(k).and_then(Value::as_str).map(str::to_string);
    let fac = res.frontend_auth_config.clone().unwrap_or(Value::Null);
    let list =
        |k: &str| -> Vec<String> { strings(&fac, k).iter().map(|s| s.to_lowercase()).collect() };
    let region = meta.region().unwrap_or_default().to_string();
    let mut a = Map::new();
    a.insert("user_pool_id".into(), json!(get("UserPoolId")?));
    a.insert("aws_region".into(), json!(region));
    a.insert("user_pool_client_id".into(), json!(get("AppClientIDWeb")?));
    if let Some(ip) = get("IdentityPoolId") {
        a.insert("identity_pool_id".into(), json!(ip));
    }
    // Each key only when its source is there (as the Gen 2 contributor does).
    if fac.is_object() {
        let mfa_methods: Vec<String> = list("mfaTypes")
            .iter()
            .map(|m| m.to_uppercase())
            .filter(|m| m == "SMS" || m == "TOTP")
            .collect();
        a.insert("mfa_methods".into(), json!(mfa_methods));
        a.insert(
            "standard_required_attributes".into(),
            json!(list("signupAttributes")),
        );
        let mut username = list("usernameAttributes");
        if username.is_empty() {
            // Sign-in by user name; the schema wants at least one item.
            username.push("username".into());
        }
        a.insert("username_attributes".into(), json!(username));
        let verification: Vec<String> = list("verificationMechanisms")
            .into_iter()
            .filter(|v| v == "email" || v == "phone_number")
            .collect();
        a.insert("user_verification_types".into(), json!(verification));
        let mfa = match fac.get("mfaConfiguration").and_then(Value::as_str) {
            Some("ON") => "REQUIRED",
            Some("OPTIONAL") => "OPTIONAL",
            _ => "NONE",
        };
        a.insert("mfa_configuration".into(), json!(mfa));
    }
    if let Some(pw) = fac.get("passwordProtectionSettings") {
        a.insert("password_policy".into(), password_policy(pw));
    }
    if let Some(oauth) = oauth(&get("OAuthMetadata"), &get("HostedUIDomain"), &region, &fac) {
        a.insert("oauth".into(), Value::Object(oauth));
    }
    if output.contains_key("IdentityPoolId")
        && let Some(allow) = allow_unauthenticated
    {
        a.insert("unauthenticated_identities_enabled".into(), json!(allow));
    }
    Some(a)
}

/// The schema requires at least one sign-in and one sign-out URL; without them the
/// block is left out (the Gen 1 files still carry it).
fn oauth(
    metadata: &Option<String>,
    domain: &Option<String>,
    region: &str,
    fac: &Value,
) -> Option<Map<String, Value>> {
    let m: Value = serde_json::from_str(metadata.as_deref()?).ok()?;
    let list = |k: &str| strings(&m, k);
    let (sign_in, sign_out) = (list("CallbackURLs"), list("LogoutURLs"));
    if sign_in.is_empty() || sign_out.is_empty() {
        return None;
    }
    let providers: Vec<&str> = fac
        .get("socialProviders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| match p.as_str()? {
            "GOOGLE" => Some("GOOGLE"),
            "FACEBOOK" => Some("FACEBOOK"),
            "AMAZON" => Some("LOGIN_WITH_AMAZON"),
            "APPLE" => Some("SIGN_IN_WITH_APPLE"),
            _ => None,
        })
        .collect();
    let response = match list("AllowedOAuthFlows").first().map(String::as_str) {
        Some("implicit") => "token",
        _ => "code",
    };
    let mut o = Map::new();
    o.insert("identity_providers".into(), json!(providers));
    o.insert("redirect_sign_in_uri".into(), json!(sign_in));
    o.insert("redirect_sign_out_uri".into(), json!(sign_out));
    o.insert("response_type".into(), json!(response));
    o.insert("scopes".into(), json!(list("AllowedOAuthScopes")));
    let domain = domain
        .as_ref()
        .map(|d| format!("{d}.auth.{region}.amazoncognito.com"))
        .unwrap_or_default();
    o.insert("domain".into(), json!(domain));
    Some(o)
}
