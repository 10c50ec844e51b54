//! What the walkthrough's answers mean: the AddAuthRequest (social and manual
//! `add auth`) or UpdateAuthRequest (`update auth`) that says the same thing, so
//! a walkthrough writes exactly what the equivalent `--headless` run writes; and
//! a resource's settings as the answers an update starts from. Pure.

use crate::vocab::PasswordRule;
use crate::vocab::{MFA_TOTP, MfaMode};
use serde_json::{Map, Value, json};

use super::questions::*;
use crate::auth::model::{AuthSelections, CognitoConfig};
use crate::project::Extra;

/// Amplify's default messages (cognito-defaults.js).
const VERIFICATION_MESSAGE: &str = "Your verification code is {####}";
const VERIFICATION_SUBJECT: &str = "Your verification code";
const AUTH_MESSAGE: &str = "Your authentication code is {####}";

/// An attribute's name in the headless schema (`ZONE_INFO` for `zoneinfo`).
fn attribute(name: &str) -> Value {
    match name {
        "zoneinfo" => "ZONE_INFO".into(),
        other => other.to_uppercase().into(),
    }
}

fn attributes(names: &[String]) -> Value {
    names.iter().map(|n| attribute(n)).collect()
}

fn upper(values: &[String]) -> Value {
    values
        .iter()
        .map(|v| Value::from(v.to_uppercase()))
        .collect()
}

fn text(a: &Answers, id: &str) -> Value {
    a.one(id).unwrap_or_default().into()
}

/// A typed number as a JSON number (the rules checked it; a bad one fails the schema).
fn number(a: &Answers, id: &str) -> Value {
    let raw = a.one(id).unwrap_or_default();
    raw.trim()
        .parse::<u32>()
        .map_or_else(|_| raw.into(), Value::from)
}

fn signin_method(a: &Answers) -> Value {
    match a.one(SIGN_IN) {
        Some("email") => "EMAIL",
        Some("phone") => "PHONE_NUMBER",
        Some("email-or-phone") => "EMAIL_AND_PHONE_NUMBER",
        _ => "USERNAME",
    }
    .into()
}

fn identity_federation(a: &Answers) -> Value {
    if !a.is(THIRD_PARTY_AUTH, "yes") {
        return json!([]);
    }
    a.many(IDENTITY_PROVIDERS)
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let id = match p.as_str() {
                "facebook" => FACEBOOK_APP_ID,
                "google" => GOOGLE_CLIENT_ID,
                "amazon" => AMAZON_APP_ID,
                _ => APPLE_BUNDLE_ID,
            };
            json!({"provider": p.to_uppercase(), "clientId": text(a, id)})
        })
        .collect()
}

/// The groups in precedence order: the order given, else kept then new ones.
fn groups(a: &Answers, current: &[String]) -> Value {
    let order = a
        .many(GROUP_ORDER)
        .map(<[String]>::to_vec)
        .unwrap_or_else(|| {
            let deleted = a.many(DELETE_GROUPS).unwrap_or_default();
            let mut all: Vec<String> = current
                .iter()
                .filter(|g| !deleted.contains(g))
                .cloned()
                .collect();
            for g in a.many(GROUP_NAMES).unwrap_or_default() {
                if !all.contains(g) {
                    all.push(g.clone());
                }
            }
            all
        });
    order.iter().map(|g| json!({"groupName": g})).collect()
}

fn mfa(a: &Answers) -> Value {
    match a.one(MFA) {
        Some(mode @ ("on" | "optional")) => json!({
            "mode": mode.to_uppercase(),
            "mfaTypes": upper(a.many(MFA_TYPES).unwrap_or_default()),
            "smsMessage": text(a, SMS_AUTH_MESSAGE),
        }),
        _ => json!({"mode": MfaMode::Off.as_str()}),
    }
}

fn verified(a: &Answers) -> Value {
    if a.is(EMAIL_REGISTRATION, "enabled") {
        json!([{
            "type": "EMAIL",
            "verificationMessage": text(a, EMAIL_MESSAGE),
            "verificationSubject": text(a, EMAIL_SUBJECT),
        }])
    } else {
        json!([{"type": "PHONE_NUMBER", "verificationMessage": text(a, SMS_VERIFICATION_MESSAGE)}])
    }
}

fn password_policy(a: &Answers) -> Value {
    let constraints: Vec<&str> = a
        .many(PASSWORD_CHARACTERS)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| PasswordRule::from_word(c).map(PasswordRule::headless))
        .collect();
    json!({"minimumLength": number(a, PASSWORD_MIN_LENGTH), "additionalConstraints": constraints})
}

/// The client's write attributes: those picked, then the required ones (always
/// writable; Amplify appends them in its attribute order).
fn write_attributes(a: &Answers, required: &[String]) -> Value {
    let mut names: Vec<String> = a.many(WRITE_ATTRIBUTES).unwrap_or_default().to_vec();
    for o in CORE_ATTRIBUTES {
        if required.iter().any(|r| r == o.value) && !names.iter().any(|n| n == o.value) {
            names.push(o.value.to_string());
        }
    }
    attributes(&names)
}

fn social_providers(a: &Answers) -> Value {
    a.many(SOCIAL_PROVIDERS)
        .unwrap_or_default()
        .iter()
        .map(|p| match p.as_str() {
            "facebook" => json!({"provider": "FACEBOOK", "clientId": text(a, FACEBOOK_OAUTH_APP_ID), "clientSecret": text(a, FACEBOOK_OAUTH_APP_SECRET)}),
            "google" => json!({"provider": "GOOGLE", "clientId": text(a, GOOGLE_OAUTH_CLIENT_ID), "clientSecret": text(a, GOOGLE_OAUTH_CLIENT_SECRET)}),
            "amazon" => json!({"provider": "LOGIN_WITH_AMAZON", "clientId": text(a, AMAZON_OAUTH_APP_ID), "clientSecret": text(a, AMAZON_OAUTH_APP_SECRET)}),
            _ => json!({
                "provider": "SIGN_IN_WITH_APPLE",
                "clientId": text(a, APPLE_SERVICES_ID),
                "teamId": text(a, APPLE_TEAM_ID),
                "keyId": text(a, APPLE_KEY_ID),
                "privateKey": extract_apple_private_key(a.one(APPLE_PRIVATE_KEY).unwrap_or_default()),
            }),
        })
        .collect()
}

/// The redirect URIs after an update: the current ones with their edits, then
/// the new ones (a resource without any: the new ones).
fn uris(a: &Answers, current: &[String], new: &str, edit: &str, updated: &str) -> Value {
    let edits = a.many(edit).unwrap_or_default();
    let replacements = a.many(updated).unwrap_or_default();
    let mut all: Vec<String> = current
        .iter()
        .map(|u| {
            edits
                .iter()
                .position(|e| e == u)
                .and_then(|i| replacements.get(i))
                .unwrap_or(u)
                .clone()
        })
        .collect();
    all.extend(a.many(new).unwrap_or_default().iter().cloned());
    all.into()
}

/// The whole OAuth setting: flows and scopes as answered, else the current
/// ones, else Amplify's defaults (code; every scope).
fn oauth(a: &Answers, current: &Answers) -> Value {
    let scopes: Vec<String> = a
        .many(OAUTH_SCOPES)
        .or_else(|| current.many(OAUTH_SCOPES))
        .map_or_else(
            || SCOPE_OPTS.iter().map(|o| o.value.to_string()).collect(),
            <[String]>::to_vec,
        );
    let flow = a
        .one(OAUTH_FLOW)
        .or_else(|| current.one(OAUTH_FLOW))
        .unwrap_or("code");
    json!({
        "domainPrefix": text(a, DOMAIN_PREFIX),
        "redirectSigninURIs": uris(a, current.many(CURRENT_SIGNIN_URIS).unwrap_or_default(), SIGNIN_URIS, EDIT_SIGNIN_URIS, UPDATED_SIGNIN_URIS),
        "redirectSignoutURIs": uris(a, current.many(CURRENT_SIGNOUT_URIS).unwrap_or_default(), SIGNOUT_URIS, EDIT_SIGNOUT_URIS, UPDATED_SIGNOUT_URIS),
        "oAuthGrantType": flow.to_uppercase(),
        "oAuthScopes": upper(&scopes),
        "socialProviderConfigurations": social_providers(a),
    })
}

/// The AddAuthRequest (version 2) that the social or manual walkthrough's
/// answers stand for. The social default adds Amplify's interactive defaults
/// (email verified, readable and writable; an identity pool without guests; the
/// code grant and every scope).
pub fn add_request(a: &Answers, s: &Setting) -> Value {
    let manual = a.one(DEFAULT_CONFIG) == Some("manual");
    let none = Answers::default();
    let required: Vec<String> = a
        .many(REQUIRED_ATTRIBUTES)
        .map_or_else(|| vec!["email".to_string()], <[String]>::to_vec);
    let mut up = Map::new();
    up.insert("signinMethod".into(), signin_method(a));
    up.insert("requiredSignupAttributes".into(), attributes(&required));
    let email = json!(["EMAIL"]);
    let (resource, identity) = if manual {
        up.insert("userPoolName".into(), text(a, USER_POOL_NAME));
        if a.is(USER_POOL_GROUPS, "yes") {
            up.insert("userPoolGroups".into(), groups(a, &[]));
        }
        up.insert("mfa".into(), mfa(a));
        up.insert("autoVerifiedAttributes".into(), verified(a));
        if a.is(OVERRIDE_PASSWORD_POLICY, "yes") {
            up.insert("passwordPolicy".into(), password_policy(a));
        }
        up.insert("refreshTokenPeriod".into(), number(a, REFRESH_TOKEN_PERIOD));
        if a.is(SET_ATTRIBUTES, "yes") {
            up.insert(
                "readAttributes".into(),
                attributes(a.many(READ_ATTRIBUTES).unwrap_or_default()),
            );
            up.insert("writeAttributes".into(), write_attributes(a, &required));
        } else {
            up.insert("readAttributes".into(), email.clone());
            up.insert("writeAttributes".into(), email);
        }
        if a.is(OAUTH, "yes") {
            up.insert("oAuth".into(), oauth(a, &none));
        }
        let identity = a.is(AUTH_SELECTIONS, IDENTITY_AND_USER_POOL).then(|| {
            json!({
                "identityPoolName": text(a, IDENTITY_POOL_NAME),
                "unauthenticatedLogin": a.is(UNAUTHENTICATED_LOGIN, "yes"),
                "identitySocialFederation": identity_federation(a),
            })
        });
        (text(a, RESOURCE_NAME), identity)
    } else {
        up.insert("autoVerifiedAttributes".into(), json!([{"type": "EMAIL"}]));
        up.insert("readAttributes".into(), email.clone());
        up.insert("writeAttributes".into(), email);
        up.insert("oAuth".into(), oauth(a, &none));
        let name = super::walkthrough_resource_name(&s.project_name, &s.shared_id);
        (name.into(), Some(json!({"unauthenticatedLogin": false})))
    };
    let mut svc = json!({
        "serviceName": crate::vocab::COGNITO,
        "userPoolConfiguration": up,
        "includeIdentityPool": identity.is_some(),
    });
    if let Some(ip) = identity {
        svc["identityPoolConfiguration"] = ip;
    }
    json!({"version": 2, "resourceName": resource, "serviceConfiguration": svc})
}

/// Amplify's "Apply default configuration" resets (`safeDefaults`): guests off,
/// no identity-pool federation, the default messages, password policy and token
/// period.
fn safe_defaults(current: &Answers, up: &mut Map<String, Value>, ip: &mut Map<String, Value>) {
    ip.insert("unauthenticatedLogin".into(), false.into());
    ip.insert("identitySocialFederation".into(), json!([]));
    up.insert(
        "passwordPolicy".into(),
        json!({"minimumLength": 8, "additionalConstraints": []}),
    );
    up.insert("refreshTokenPeriod".into(), 30.into());
    let verified: Vec<Value> = current
        .many(CURRENT_VERIFIED)
        .unwrap_or_default()
        .iter()
        .map(|v| match v.as_str() {
            "email" => json!({"type": "EMAIL", "verificationMessage": VERIFICATION_MESSAGE, "verificationSubject": VERIFICATION_SUBJECT}),
            _ => json!({"type": "PHONE_NUMBER", "verificationMessage": VERIFICATION_MESSAGE}),
        })
        .collect();
    up.insert("autoVerifiedAttributes".into(), verified.into());
    if let Some(mode @ ("on" | "optional")) = current.one(MFA) {
        up.insert(
            "mfa".into(),
            json!({
                "mode": mode.to_uppercase(),
                "mfaTypes": upper(current.many(MFA_TYPES).unwrap_or_default()),
                "smsMessage": AUTH_MESSAGE,
            }),
        );
    }
}

/// The UpdateAuthRequest (version 2) that an update's answers stand for;
/// `current` is what the walkthrough started from ([`current_answers`]).
pub fn update_request(a: &Answers, current: &Answers) -> Value {
    let action = a.one(ACTION).unwrap_or_default();
    let selections = if action == "manual" { a } else { current };
    let identity = selections.is(AUTH_SELECTIONS, IDENTITY_AND_USER_POOL);
    let had_oauth = current.is(OAUTH, "yes");
    let mut up = Map::new();
    let mut ip = Map::new();
    let current_groups = current.many(CURRENT_GROUPS).unwrap_or_default();
    match action {
        "default" | "social" => {
            safe_defaults(current, &mut up, &mut ip);
            if action == "social" {
                up.insert("oAuth".into(), oauth(a, current));
            } else if had_oauth {
                up.insert("oAuth".into(), json!({}));
            }
        }
        "manual" => {
            ip.insert(
                "unauthenticatedLogin".into(),
                a.is(UNAUTHENTICATED_LOGIN, "yes").into(),
            );
            ip.insert("identitySocialFederation".into(), identity_federation(a));
            if a.is(USER_POOL_GROUPS, "yes") {
                up.insert("userPoolGroups".into(), groups(a, current_groups));
            }
            if a.one(MFA).is_some() {
                up.insert("mfa".into(), mfa(a));
            }
            up.insert("autoVerifiedAttributes".into(), verified(a));
            if a.is(OVERRIDE_PASSWORD_POLICY, "yes") {
                up.insert("passwordPolicy".into(), password_policy(a));
            }
            up.insert("refreshTokenPeriod".into(), number(a, REFRESH_TOKEN_PERIOD));
            if a.is(SET_ATTRIBUTES, "yes") {
                let required = current.many(REQUIRED_ATTRIBUTES).unwrap_or_default();
                up.insert(
                    "readAttributes".into(),
                    attributes(a.many(READ_ATTRIBUTES).unwrap_or_default()),
                );
                up.insert("writeAttributes".into(), write_attributes(a, required));
            }
            if a.is(OAUTH, "yes") {
                up.insert("oAuth".into(), oauth(a, current));
            } else if had_oauth {
                // "Selecting No will remove any existing OAuth configuration."
                up.insert("oAuth".into(), json!({}));
            }
        }
        "callbacks" => {
            let o = oauth(a, current);
            up.insert(
                "oAuth".into(),
                json!({"redirectSigninURIs": o["redirectSigninURIs"], "redirectSignoutURIs": o["redirectSignoutURIs"]}),
            );
        }
        "providers" => {
            up.insert(
                "oAuth".into(),
                json!({"socialProviderConfigurations": social_providers(a)}),
            );
        }
        _ => {
            up.insert("userPoolGroups".into(), groups(a, current_groups));
        }
    }
    let mut svc = json!({
        "serviceName": crate::vocab::COGNITO,
        "userPoolModification": up,
        "includeIdentityPool": identity,
    });
    if identity {
        svc["identityPoolModification"] = Value::Object(ip);
    }
    json!({"version": 2, "serviceModification": svc})
}

fn yes_no(b: bool) -> Vec<String> {
    vec![if b { "yes" } else { "no" }.to_string()]
}

fn list(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// A resource's settings (`cognitoConfig`, the env's federation ids, the
/// providers' secrets `hostedUIProviderCreds`) as the answers an update starts
/// from: each question's default, the menu's filter, the groups and URIs it edits.
pub fn current_answers(c: &CognitoConfig, env: &Extra, provider_creds: Option<&str>) -> Answers {
    let mut a = Answers::default();
    identity_pool_answers(&mut a, c, env);
    user_pool_answers(&mut a, c);
    client_answers(&mut a, c);
    hosted_ui_answers(&mut a, c, provider_creds);
    a
}

/// Sets an answer that the resource has.
fn put(a: &mut Answers, id: &'static str, v: Option<Vec<String>>) {
    if let Some(v) = v {
        a.set(id, v);
    }
}

fn one(s: &Option<String>) -> Option<Vec<String>> {
    s.clone().map(|s| vec![s])
}

/// The walkthrough's choice, the identity pool and its federation ids.
fn identity_pool_answers(a: &mut Answers, c: &CognitoConfig, env: &Extra) {
    put(a, CURRENT_USE_DEFAULT, one(&c.use_default));
    put(
        a,
        AUTH_SELECTIONS,
        c.auth_selections.map(|s| {
            vec![
                match s {
                    AuthSelections::IdentityPoolAndUserPool => IDENTITY_AND_USER_POOL,
                    AuthSelections::UserPoolOnly => USER_POOL_ONLY,
                }
                .to_string(),
            ]
        }),
    );
    put(
        a,
        UNAUTHENTICATED_LOGIN,
        c.allow_unauthenticated_identities.map(yes_no),
    );
    put(a, THIRD_PARTY_AUTH, c.third_party_auth.map(yes_no));
    put(
        a,
        IDENTITY_PROVIDERS,
        c.auth_providers.as_ref().map(|domains| {
            domains
                .iter()
                .filter_map(|d| match d.as_str() {
                    "graph.facebook.com" => Some("facebook"),
                    "accounts.google.com" => Some("google"),
                    "www.amazon.com" => Some("amazon"),
                    "appleid.apple.com" => Some("apple"),
                    _ => None,
                })
                .map(str::to_string)
                .collect()
        }),
    );
    for (id, key) in [
        (FACEBOOK_APP_ID, "facebookAppId"),
        (GOOGLE_CLIENT_ID, "googleClientId"),
        (AMAZON_APP_ID, "amazonAppId"),
        (APPLE_BUNDLE_ID, "appleAppId"),
    ] {
        put(
            a,
            id,
            env.get(key)
                .and_then(Value::as_str)
                .map(|v| vec![v.to_string()]),
        );
    }
}

/// Groups, MFA, verification and the password policy.
fn user_pool_answers(a: &mut Answers, c: &CognitoConfig) {
    put(a, USER_POOL_GROUPS, c.user_pool_groups.map(yes_no));
    put(
        a,
        CURRENT_GROUPS,
        c.user_pool_group_list
            .as_ref()
            .map(|l| l.iter().map(|g| g.as_str().to_string()).collect()),
    );
    put(
        a,
        MFA,
        c.mfa_configuration.map(|m| vec![m.as_str().to_lowercase()]),
    );
    put(
        a,
        MFA_TYPES,
        c.mfa_types.as_ref().map(|types| {
            types
                .iter()
                .map(|t| if t == MFA_TOTP { "totp" } else { "sms" }.to_string())
                .collect()
        }),
    );
    put(a, SMS_AUTH_MESSAGE, one(&c.sms_authentication_message));
    let verified = c.auto_verified_attributes.clone().unwrap_or_default();
    put(
        a,
        EMAIL_REGISTRATION,
        if verified.iter().any(|v| v == "email") {
            Some(vec!["enabled".into()])
        } else if verified.iter().any(|v| v == "phone_number") {
            Some(vec!["disabled".into()])
        } else {
            None
        },
    );
    put(a, CURRENT_VERIFIED, Some(verified));
    put(a, EMAIL_SUBJECT, one(&c.email_verification_subject));
    put(a, EMAIL_MESSAGE, one(&c.email_verification_message));
    put(
        a,
        SMS_VERIFICATION_MESSAGE,
        one(&c.sms_verification_message),
    );
    put(
        a,
        OVERRIDE_PASSWORD_POLICY,
        c.default_password_policy.map(yes_no),
    );
    put(
        a,
        PASSWORD_MIN_LENGTH,
        c.password_policy_min_length
            .as_ref()
            .and_then(|n| n.value())
            .map(|n| vec![n.to_string()]),
    );
    put(
        a,
        PASSWORD_CHARACTERS,
        c.password_policy_characters.as_ref().map(|chars| {
            chars
                .iter()
                .filter_map(|ch| PasswordRule::from_amplify(ch).map(PasswordRule::word))
                .map(str::to_string)
                .collect()
        }),
    );
}

/// Required attributes and the clients' settings.
fn client_answers(a: &mut Answers, c: &CognitoConfig) {
    put(a, REQUIRED_ATTRIBUTES, c.required_attributes.clone());
    put(
        a,
        REFRESH_TOKEN_PERIOD,
        c.userpool_client_refresh_token_validity
            .as_ref()
            .and_then(|n| n.value())
            .map(|n| vec![n.to_string()]),
    );
    put(
        a,
        SET_ATTRIBUTES,
        c.userpool_client_set_attributes.map(yes_no),
    );
    put(
        a,
        READ_ATTRIBUTES,
        c.userpool_client_read_attributes.clone(),
    );
    put(
        a,
        WRITE_ATTRIBUTES,
        c.userpool_client_write_attributes.clone(),
    );
}

/// OAuth, the social providers and their ids and secrets.
fn hosted_ui_answers(a: &mut Answers, c: &CognitoConfig, provider_creds: Option<&str>) {
    put(
        a,
        OAUTH,
        Some(yes_no(
            c.hosted_ui == Some(true) && c.o_auth_metadata.is_some(),
        )),
    );
    put(a, DOMAIN_PREFIX, one(&c.hosted_ui_domain_name));
    if let Some(meta) = c
        .o_auth_metadata
        .as_deref()
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
    {
        put(a, OAUTH_FLOW, Some(list(&meta["AllowedOAuthFlows"])));
        put(a, OAUTH_SCOPES, Some(list(&meta["AllowedOAuthScopes"])));
        put(a, CURRENT_SIGNIN_URIS, Some(list(&meta["CallbackURLs"])));
        put(a, CURRENT_SIGNOUT_URIS, Some(list(&meta["LogoutURLs"])));
    }
    put(
        a,
        SOCIAL_PROVIDERS,
        c.auth_providers_user_pool.as_ref().map(|names| {
            names
                .iter()
                .filter_map(|n| match n.as_str() {
                    "Facebook" => Some("facebook"),
                    "Google" => Some("google"),
                    "LoginWithAmazon" => Some("amazon"),
                    "SignInWithApple" => Some("apple"),
                    _ => None,
                })
                .map(str::to_string)
                .collect()
        }),
    );
    let creds: Value = provider_creds
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null);
    for p in creds.as_array().into_iter().flatten() {
        let field = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .map(|v| vec![v.to_string()])
        };
        match p.get("ProviderName").and_then(Value::as_str) {
            Some("Facebook") => {
                put(a, FACEBOOK_OAUTH_APP_ID, field("client_id"));
                put(a, FACEBOOK_OAUTH_APP_SECRET, field("client_secret"));
            }
            Some("Google") => {
                put(a, GOOGLE_OAUTH_CLIENT_ID, field("client_id"));
                put(a, GOOGLE_OAUTH_CLIENT_SECRET, field("client_secret"));
            }
            Some("LoginWithAmazon") => {
                put(a, AMAZON_OAUTH_APP_ID, field("client_id"));
                put(a, AMAZON_OAUTH_APP_SECRET, field("client_secret"));
            }
            Some("SignInWithApple") => {
                put(a, APPLE_SERVICES_ID, field("client_id"));
                put(a, APPLE_TEAM_ID, field("team_id"));
                put(a, APPLE_KEY_ID, field("key_id"));
                put(a, APPLE_PRIVATE_KEY, field("private_key"));
            }
            _ => {}
        }
    }
}
