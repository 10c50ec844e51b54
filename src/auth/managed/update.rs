//! `update auth --headless`: Amplify's UpdateAuthRequest (version 2) applied onto
//! a managed resource's `cognitoConfig`, as the Amplify CLI 14.2.2 records it.
//! Each given field replaces the whole previous setting; omitted fields are kept;
//! `oAuth: {}` removes the hosted UI and a non-empty `oAuth` changes the keys it
//! gives. Never prints, prompts or writes.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::project::Extra;

use super::Unsupported;
use super::headless::{
    Attribute, AutoVerified, Federation, GrantType, Mfa, PasswordPolicy, ReadAttribute, Scope,
    ServiceName, UserPoolGroup, VerifiedType, deserialize, federation as federation_ids, version_2,
};
use crate::auth::model::{AuthSelections, CognitoConfig, Number};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAuthRequest {
    pub version: u64,
    pub service_modification: ServiceModification,
    /// authwiz's extension: the Lambda triggers as they should be (all of
    /// them; leave it out to keep them as they are). docs/triggers.md.
    #[serde(default)]
    pub triggers: Option<crate::auth::triggers::Selection>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceModification {
    pub service_name: ServiceName,
    pub user_pool_modification: UserPoolModification,
    pub include_identity_pool: bool,
    #[serde(default)]
    pub identity_pool_modification: Option<IdentityPoolModification>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPoolModification {
    #[serde(default)]
    pub user_pool_groups: Option<Vec<UserPoolGroup>>,
    /// Refused: authwiz does not make the admin queries API.
    #[serde(default)]
    pub admin_queries: Option<Value>,
    #[serde(default)]
    pub mfa: Option<Mfa>,
    #[serde(default)]
    pub password_policy: Option<PasswordPolicy>,
    #[serde(default)]
    pub refresh_token_period: Option<u32>,
    #[serde(default)]
    pub read_attributes: Option<Vec<ReadAttribute>>,
    #[serde(default)]
    pub write_attributes: Option<Vec<Attribute>>,
    #[serde(default)]
    pub auto_verified_attributes: Option<Vec<AutoVerified>>,
    #[serde(default)]
    pub o_auth: Option<PartialOAuth>,
}

/// `Partial<CognitoOAuthConfiguration>`: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialOAuth {
    #[serde(default)]
    pub domain_prefix: Option<String>,
    #[serde(default, rename = "redirectSigninURIs")]
    pub redirect_signin_uris: Option<Vec<String>>,
    #[serde(default, rename = "redirectSignoutURIs")]
    pub redirect_signout_uris: Option<Vec<String>>,
    #[serde(default)]
    pub o_auth_grant_type: Option<GrantType>,
    #[serde(default)]
    pub o_auth_scopes: Option<Vec<Scope>>,
    /// The social providers, all of them (as Amplify's update replaces the list).
    #[serde(default)]
    pub social_provider_configurations: Option<Vec<super::headless::SocialProvider>>,
}

impl PartialOAuth {
    fn is_empty(&self) -> bool {
        self.domain_prefix.is_none()
            && self.redirect_signin_uris.is_none()
            && self.redirect_signout_uris.is_none()
            && self.o_auth_grant_type.is_none()
            && self.o_auth_scopes.is_none()
            && self.social_provider_configurations.is_none()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityPoolModification {
    #[serde(default)]
    pub unauthenticated_login: Option<bool>,
    #[serde(default)]
    pub identity_social_federation: Option<Vec<Federation>>,
}

/// Keys of the add request that cannot change after `add auth` (Amplify's schema
/// leaves them out of the update request and its validator ignores them; authwiz
/// says so instead of ignoring them).
const IMMUTABLE: &[(&str, &str)] = &[
    ("resourceName", "the resource name"),
    ("serviceModification.resourceName", "the resource name"),
    (
        "serviceModification.userPoolModification.signinMethod",
        "how users sign in",
    ),
    (
        "serviceModification.userPoolModification.requiredSignupAttributes",
        "the required sign-up attributes",
    ),
    (
        "serviceModification.userPoolModification.aliasAttributes",
        "the alias attributes",
    ),
    (
        "serviceModification.userPoolModification.userPoolName",
        "the user pool name",
    ),
    (
        "serviceModification.userPoolModification.usernameCaseSensitive",
        "username case sensitivity",
    ),
    (
        "serviceModification.identityPoolModification.identityPoolName",
        "the identity pool name",
    ),
    (
        "serviceModification.userPoolConfiguration",
        "the add request's configuration (an update takes `userPoolModification`)",
    ),
    (
        "serviceModification.identityPoolConfiguration",
        "the add request's configuration (an update takes `identityPoolModification`)",
    ),
    (
        "serviceConfiguration",
        "the add request's configuration (an update takes `serviceModification`)",
    ),
];

/// Reads the request; an error names the key path and what was expected.
pub fn parse(text: &str) -> Result<UpdateAuthRequest, String> {
    let v = version_2(text, "UpdateAuthRequest")?;
    for (path, what) in IMMUTABLE {
        if path.split('.').try_fold(&v, |at, k| at.get(k)).is_some() {
            return Err(format!(
                "`{path}`: {what} cannot be changed by `update auth` (Amplify's UpdateAuthRequest has no such key; it is fixed when the resource is added). Leave `{path}` out; to change it, remove the auth resource and add it again."
            ));
        }
    }
    let request: UpdateAuthRequest = deserialize(&v)?;
    let svc = &request.service_modification;
    if svc.include_identity_pool && svc.identity_pool_modification.is_none() {
        return Err("Data did not validate against the supplied schema: `serviceModification.identityPoolModification` is required when `includeIdentityPool` is true (it may be `{}`).".into());
    }
    Ok(request)
}

/// What an update changes besides `cognitoConfig`.
#[derive(Debug, Default)]
pub struct Updated {
    /// The new group list (precedence order) when the request gives groups.
    pub groups: Option<Vec<String>>,
    /// The env's identity-pool federation ids, when they are replaced (team-provider-info).
    pub federation: Option<Extra>,
    /// The social providers' ids and secrets, when they are replaced
    /// (`hostedUIProviderCreds`, for the deployment secrets).
    pub provider_creds: Option<String>,
}

/// The env parameters that hold identity-pool federation ids.
pub const FEDERATION_KEYS: &[&str] = &[
    "amazonAppId",
    "appleAppId",
    "facebookAppId",
    "googleClientId",
    "googleIos",
    "googleAndroid",
];

/// Applies the request onto `c` (the resource's `cognitoConfig`).
pub fn apply(req: &UpdateAuthRequest, c: &mut CognitoConfig) -> Result<Updated, Unsupported> {
    let svc = &req.service_modification;
    let up = &svc.user_pool_modification;
    let mut out = Updated::default();
    if up.admin_queries.is_some() {
        return Err(Unsupported(
            "`serviceModification.userPoolModification.adminQueries`: authwiz does not create the admin queries API (a Lambda function and an API Gateway REST API). Leave `adminQueries` out, or use `amplify update auth` → \"Create or update Admin queries API\" in the Amplify CLI.".into(),
        ));
    }
    if let Some(groups) = &up.user_pool_groups {
        out.groups = Some(apply_groups(groups, c)?);
    }
    if let Some(m) = &up.mfa {
        let (mode, on) = m.amplify().map_err(Unsupported)?;
        c.mfa_configuration = Some(mode);
        // With MFA off the previous types and message stay, as Amplify keeps them.
        if let Some((types, message)) = on {
            c.mfa_types = Some(types);
            c.sms_authentication_message = Some(message);
        }
    }
    if let Some(p) = &up.password_policy {
        let (min_length, characters) = p.amplify();
        c.password_policy_min_length = Some(Number::Int(min_length.into()));
        c.password_policy_characters = Some(characters);
    }
    if let Some(days) = up.refresh_token_period {
        c.userpool_client_refresh_token_validity = Some(Number::Int(days.into()));
    }
    if let Some(read) = &up.read_attributes {
        c.userpool_client_read_attributes =
            Some(read.iter().map(|a| a.cognito_name().to_string()).collect());
    }
    if let Some(write) = &up.write_attributes {
        c.userpool_client_write_attributes =
            Some(write.iter().map(|a| a.cognito_name().to_string()).collect());
    }
    if let Some(verified) = &up.auto_verified_attributes {
        apply_verification(verified, c);
    }
    if let Some(o) = &up.o_auth {
        apply_oauth(o, c)?;
        if let Some(social) = &o.social_provider_configurations {
            out.provider_creds = super::social_providers(social, c)?;
        }
    }
    apply_identity_pool(svc, c, &mut out);
    // Amplify's update leaks these template-only parameters into cli-inputs.json.
    c.auth_role_arn
        .get_or_insert_with(|| json!({"Fn::GetAtt": ["AuthRole", "Arn"]}));
    c.unauth_role_arn
        .get_or_insert_with(|| json!({"Fn::GetAtt": ["UnauthRole", "Arn"]}));
    c.break_circular_dependency.get_or_insert(true);
    c.depends_on.get_or_insert_with(Vec::new);
    Ok(out)
}

/// The groups an update gives, in precedence order; refused when one is
/// listed twice or asks for a custom policy.
fn apply_groups(
    groups: &[UserPoolGroup],
    c: &mut CognitoConfig,
) -> Result<Vec<String>, Unsupported> {
    if let Some(g) = groups.iter().find(|g| g.custom_policy.is_some()) {
        return Err(Unsupported(format!(
            "userPoolGroups[{}].customPolicy is not implemented (Amplify's schema says so too); leave it out.",
            g.group_name
        )));
    }
    let names: Vec<String> = groups.iter().map(|g| g.group_name.clone()).collect();
    if let Some(dup) = names
        .iter()
        .enumerate()
        .find(|(i, n)| names[..*i].contains(n))
        .map(|(_, n)| n)
    {
        return Err(Unsupported(format!(
            "userPoolGroups: the group '{dup}' is listed twice; list each group once (precedence is the list order)."
        )));
    }
    c.user_pool_groups = Some(!names.is_empty());
    c.user_pool_group_list = Some(super::group_list(&names)?);
    Ok(names)
}

/// The attributes verified at sign-up, and their messages.
fn apply_verification(verified: &[AutoVerified], c: &mut CognitoConfig) {
    c.auto_verified_attributes = Some(
        verified
            .iter()
            .map(|v| v.kind.attribute().to_string())
            .collect(),
    );
    for v in verified {
        match v.kind {
            VerifiedType::PhoneNumber => {
                if let Some(m) = &v.verification_message {
                    c.sms_verification_message = Some(m.clone());
                }
            }
            VerifiedType::Email => {
                if let Some(m) = &v.verification_message {
                    c.email_verification_message = Some(m.clone());
                }
                if let Some(s) = &v.verification_subject {
                    c.email_verification_subject = Some(s.clone());
                }
            }
        }
    }
}

fn apply_oauth(o: &PartialOAuth, c: &mut CognitoConfig) -> Result<(), Unsupported> {
    if o.is_empty() {
        // `oAuth: {}` removes the hosted UI (Amplify: `hostedUI: false`).
        c.hosted_ui = Some(false);
        c.hosted_ui_domain_name = None;
        c.o_auth_metadata = None;
        c.hosted_ui_provider_meta = None;
        c.auth_providers_user_pool = None;
        return Ok(());
    }
    let previous: Value = c
        .o_auth_metadata
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null);
    let list = |key: &str| -> Option<Vec<String>> {
        previous
            .get(key)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    };
    let missing = |key: &str| {
        Unsupported(format!(
            "`serviceModification.userPoolModification.oAuth.{key}` is required: the resource has no OAuth settings yet, so the first update that adds them gives domainPrefix, redirectSigninURIs, redirectSignoutURIs, oAuthGrantType and oAuthScopes."
        ))
    };
    let flows = match o.o_auth_grant_type {
        Some(GrantType::Code) => vec!["code".to_string()],
        Some(GrantType::Implicit) => vec!["implicit".to_string()],
        None => list("AllowedOAuthFlows").ok_or_else(|| missing("oAuthGrantType"))?,
    };
    let scopes = match &o.o_auth_scopes {
        Some(s) => s.iter().map(|s| s.name().to_string()).collect(),
        None => list("AllowedOAuthScopes").ok_or_else(|| missing("oAuthScopes"))?,
    };
    let callbacks = match &o.redirect_signin_uris {
        Some(u) => u.clone(),
        None => list("CallbackURLs").ok_or_else(|| missing("redirectSigninURIs"))?,
    };
    let logouts = match &o.redirect_signout_uris {
        Some(u) => u.clone(),
        None => list("LogoutURLs").ok_or_else(|| missing("redirectSignoutURIs"))?,
    };
    // Every push needs the hosted UI's domain: the first OAuth block names it.
    match (&o.domain_prefix, &c.hosted_ui_domain_name) {
        (Some(d), _) => c.hosted_ui_domain_name = Some(d.clone()),
        (None, Some(_)) => {}
        (None, None) => return Err(missing("domainPrefix")),
    }
    c.hosted_ui = Some(true);
    c.auth_providers_user_pool.get_or_insert_with(Vec::new);
    c.hosted_ui_provider_meta
        .get_or_insert_with(|| Value::Array(Vec::new()).to_string());
    c.o_auth_metadata = Some(
        json!({
            "AllowedOAuthFlows": flows,
            "AllowedOAuthScopes": scopes,
            "CallbackURLs": callbacks,
            "LogoutURLs": logouts,
        })
        .to_string(),
    );
    Ok(())
}

fn apply_identity_pool(svc: &ServiceModification, c: &mut CognitoConfig, out: &mut Updated) {
    if !svc.include_identity_pool {
        if c.auth_selections != Some(AuthSelections::UserPoolOnly) {
            c.identity_pool_name = None;
            c.allow_unauthenticated_identities = None;
            c.third_party_auth = Some(false);
            c.auth_providers = Some(Vec::new());
            c.auth_selections = Some(AuthSelections::UserPoolOnly);
            out.federation = Some(Extra::new());
        }
        return;
    }
    let m = svc.identity_pool_modification.as_ref();
    if c.auth_selections != Some(AuthSelections::IdentityPoolAndUserPool) {
        let res = c.resource_name.clone().unwrap_or_default();
        let shared = c.shared_id.clone().unwrap_or_default();
        c.identity_pool_name
            .get_or_insert_with(|| format!("{res}_identitypool_{shared}"));
        c.auth_selections = Some(AuthSelections::IdentityPoolAndUserPool);
        c.allow_unauthenticated_identities.get_or_insert(false);
        c.third_party_auth.get_or_insert(false);
        c.auth_providers.get_or_insert_with(Vec::new);
    }
    if let Some(guests) = m.and_then(|m| m.unauthenticated_login) {
        c.allow_unauthenticated_identities = Some(guests);
    }
    if let Some(federation) = m.and_then(|m| m.identity_social_federation.as_ref()) {
        let (providers, params) = federation_ids(federation);
        c.third_party_auth = Some(!providers.is_empty());
        c.auth_providers = Some(providers);
        out.federation = Some(params);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immutable_keys_are_named() {
        let e = parse(r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{"signinMethod":"EMAIL"},"includeIdentityPool":false}}"#).unwrap_err();
        assert!(
            e.contains("`serviceModification.userPoolModification.signinMethod`"),
            "{e}"
        );
    }

    #[test]
    fn omitted_fields_are_kept_and_given_ones_replaced() {
        let req = parse(r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{"passwordPolicy":{"minimumLength":12}},"includeIdentityPool":false}}"#).unwrap();
        let mut c = CognitoConfig {
            password_policy_characters: Some(vec!["Requires Symbols".into()]),
            userpool_client_read_attributes: Some(vec!["email".into()]),
            auth_selections: Some(AuthSelections::UserPoolOnly),
            ..Default::default()
        };
        apply(&req, &mut c).unwrap();
        assert_eq!(c.password_policy_min_length, Some(Number::Int(12)));
        assert_eq!(c.password_policy_characters, Some(vec![]));
        assert_eq!(
            c.userpool_client_read_attributes,
            Some(vec!["email".into()])
        );
        assert_eq!(c.break_circular_dependency, Some(true));
    }

    #[test]
    fn partial_oauth_needs_the_rest_when_there_was_none() {
        let req = parse(r#"{"version":2,"serviceModification":{"serviceName":"Cognito","userPoolModification":{"oAuth":{"domainPrefix":"x"}},"includeIdentityPool":false}}"#).unwrap();
        let mut c = CognitoConfig::default();
        assert!(
            apply(&req, &mut c)
                .unwrap_err()
                .0
                .contains("oAuthGrantType")
        );
    }
}
