//! Amplify-managed auth, first part: what `add auth` records. A request
//! (Amplify's AddAuthRequest v2) becomes `cli-inputs.json` with the Amplify
//! CLI's `cognitoConfig` keys and defaults, the auth entries of backend-config.json
//! and amplify-meta.json (and the `userPoolGroups` resource with its precedence
//! file), the env's (empty) parameters, and the social providers' secrets for
//! `~/.aws/amplify/deployment-secrets.json`. Never prints, prompts or writes.

pub mod headless;
pub mod load;
pub mod overrides;
pub mod questions;
pub mod update;
pub mod walkthrough;

use crate::vocab::{COGNITO, MFA_SMS};
use serde_json::{Value, json};

use crate::auth::triggers::Selection;
use crate::project::{Extra, Resource};

use super::model::{AuthSelections, CognitoConfig, GroupName, MfaMode, Number};
use headless::{AddAuthRequest, GrantType, MfaType, Provider, SigninMethod, VerifiedType};

/// Amplify's default messages.
const VERIFICATION_MESSAGE: &str = "Your verification code is {####}";
const VERIFICATION_SUBJECT: &str = "Your verification code";
const AUTH_MESSAGE: &str = "Your authentication code is {####}";

/// Why a request cannot be recorded (the fix is in the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// What `add auth` records for one request.
#[derive(Debug, Clone)]
pub struct Added {
    pub resource_name: String,
    pub config: CognitoConfig,
    /// `userPoolGroups` resource: group names in precedence order.
    pub groups: Vec<String>,
    /// `hostedUIProviderCreds` (JSON text) for the deployment secrets, if any.
    pub provider_creds: Option<String>,
    /// Env-specific parameters (team-provider-info.json), e.g. federation app ids.
    pub env_params: Extra,
    /// Which of Amplify's key orders `cognitoConfig` is written in.
    pub order: KeyOrder,
    /// The Lambda triggers (their modules are also `config.triggers`).
    pub triggers: Selection,
}

impl Added {
    /// With these triggers, checked.
    pub fn with_triggers(mut self, triggers: Selection) -> Result<Added, Unsupported> {
        let problems = triggers.problems();
        if !problems.is_empty() {
            return Err(Unsupported(format!(
                "the Lambda triggers are incomplete:\n  - {}",
                problems.join("\n  - ")
            )));
        }
        self.config.triggers = (!triggers.modules.is_empty()).then(|| triggers.modules.clone());
        self.triggers = triggers;
        Ok(self)
    }
}

/// Amplify writes `cognitoConfig` keys in the order its answer object collected
/// them, which differs between a headless request and the walkthrough.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrder {
    Headless,
    Walkthrough,
}

fn first(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The resource name rules of Amplify's walkthrough: letters and digits, 1-128.
pub fn check_resource_name(name: &str) -> Result<(), String> {
    if (1..=128).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(format!(
            "'{name}' is not a valid resource name: use 1-128 letters and digits."
        ))
    }
}

/// The request as Amplify's adaptor and defaults turn it into `cognitoConfig`.
/// `shared_id` is 8 random hex characters (Amplify's `sharedId`).
pub fn from_request(
    req: &AddAuthRequest,
    project_name: &str,
    shared_id: &str,
) -> Result<Added, Unsupported> {
    let svc = &req.service_configuration;
    let up = &svc.user_pool_configuration;
    let res = req.resource_name.clone();
    check_resource_name(&res).map_err(Unsupported)?;
    refuse_unsupported(up)?;
    let mut c = CognitoConfig::default();
    let identity = identity_pool(svc, &mut c, &res, shared_id);
    c.resource_name_truncated = Some(format!("{}{shared_id}", first(project_name, 6)));
    c.user_pool_name = Some(
        up.user_pool_name
            .clone()
            .unwrap_or_else(|| format!("{res}_userpool_{shared_id}")),
    );
    let verified = up.auto_verified_attributes.as_deref().unwrap_or_default();
    c.auto_verified_attributes = Some(
        verified
            .iter()
            .map(|v| v.kind.attribute().to_string())
            .collect(),
    );
    mfa_and_messages(up, &mut c)?;
    password_and_clients(up, &mut c);
    c.userpool_client_lambda_role = Some(format!(
        "{}{shared_id}_userpoolclient_lambda_role",
        first(&res, 6)
    ));
    c.userpool_client_set_attributes = Some(false);
    c.shared_id = Some(shared_id.into());
    c.resource_name = Some(res.clone());
    c.auth_selections = Some(if identity.is_some() {
        AuthSelections::IdentityPoolAndUserPool
    } else {
        AuthSelections::UserPoolOnly
    });
    c.service_name = Some(COGNITO.into());
    c.username_attributes = username_attributes(up.signin_method);
    c.use_default = Some("manual".into());
    let groups: Vec<String> = up
        .user_pool_groups
        .iter()
        .flatten()
        .map(|g| g.group_name.clone())
        .collect();
    c.user_pool_groups = Some(!groups.is_empty());
    c.user_pool_group_list = Some(group_list(&groups)?);
    c.admin_queries = Some(false);
    let mut env_params = Extra::new();
    let federation = svc
        .identity_pool_configuration
        .as_ref()
        .and_then(|i| i.identity_social_federation.as_ref())
        .filter(|_| identity.is_some());
    let (providers, federation_ids) =
        headless::federation(federation.map(Vec::as_slice).unwrap_or_default());
    c.third_party_auth = Some(!providers.is_empty());
    c.auth_providers = Some(providers);
    env_params.extend(federation_ids);
    let provider_creds = match &up.o_auth {
        Some(o) => hosted_ui(o, &mut c)?,
        None => None,
    };
    c.username_case_sensitive = Some(false);
    c.use_enabled_mfas = Some(true);
    Added {
        resource_name: res,
        config: c,
        groups,
        provider_creds,
        env_params,
        order: KeyOrder::Headless,
        triggers: Selection::default(),
    }
    .with_triggers(req.triggers.clone().unwrap_or_default())
}

/// How users sign in, as cli-inputs.json's `usernameAttributes` (none: a user name).
fn username_attributes(method: SigninMethod) -> Option<Vec<String>> {
    match method {
        SigninMethod::Username => None,
        SigninMethod::Email => Some(vec!["email".into()]),
        SigninMethod::PhoneNumber => Some(vec!["phone_number".into()]),
        SigninMethod::EmailAndPhoneNumber => Some(vec!["email".into(), "phone_number".into()]),
    }
}

/// The groups' names as cli-inputs.json holds them (each a valid role name part).
pub(super) fn group_list(names: &[String]) -> Result<Vec<GroupName>, Unsupported> {
    names
        .iter()
        .map(|g| GroupName::parse(g).map_err(|e| Unsupported(format!("userPoolGroups: {e}."))))
        .collect()
}

/// The identity pool's name and guest access, when the request includes one.
fn identity_pool(
    svc: &headless::ServiceConfiguration,
    c: &mut CognitoConfig,
    res: &str,
    shared_id: &str,
) -> Option<(Option<String>, bool)> {
    let identity = svc.include_identity_pool.then(|| {
        svc.identity_pool_configuration
            .as_ref()
            .map(|i| {
                (
                    i.identity_pool_name.clone(),
                    i.unauthenticated_login.unwrap_or(false),
                )
            })
            .unwrap_or((None, false))
    });
    if let Some((name, guests)) = &identity {
        c.identity_pool_name = Some(
            name.clone()
                .unwrap_or_else(|| format!("{res}_identitypool_{shared_id}")),
        );
        c.allow_unauthenticated_identities = Some(*guests);
    }
    identity
}

/// What the request asks that authwiz does not make.
fn refuse_unsupported(up: &headless::UserPoolConfiguration) -> Result<(), Unsupported> {
    if up.admin_queries.is_some() {
        return Err(Unsupported(
            "adminQueries: authwiz does not create the admin queries API (a Lambda function and an API Gateway REST API). Leave `adminQueries` out, or add it with `amplify update auth` in the Amplify CLI.".into(),
        ));
    }
    if let Some(g) = up
        .user_pool_groups
        .iter()
        .flatten()
        .find(|g| g.custom_policy.is_some())
    {
        return Err(Unsupported(format!(
            "userPoolGroups[{}].customPolicy is not implemented (Amplify's schema says so too); leave it out.",
            g.group_name
        )));
    }
    Ok(())
}

/// The MFA mode and methods, and Amplify's messages (verification, MFA).
fn mfa_and_messages(
    up: &headless::UserPoolConfiguration,
    c: &mut CognitoConfig,
) -> Result<(), Unsupported> {
    let verified = up.auto_verified_attributes.as_deref().unwrap_or_default();
    let (mfa_mode, mfa_on) = match &up.mfa {
        Some(m) => m.amplify().map_err(Unsupported)?,
        None => (MfaMode::Off, None),
    };
    c.mfa_configuration = Some(mfa_mode);
    // Amplify records SMS even with MFA off.
    c.mfa_types = Some(
        mfa_on
            .map(|(types, _)| types)
            .unwrap_or_else(|| vec![MfaType::Sms.amplify_name().into()]),
    );
    c.sms_authentication_message = Some(
        up.mfa
            .as_ref()
            .and_then(|m| m.sms_message.clone())
            .unwrap_or_else(|| AUTH_MESSAGE.into()),
    );
    let phone = verified
        .iter()
        .find(|v| v.kind == VerifiedType::PhoneNumber);
    let email = verified.iter().find(|v| v.kind == VerifiedType::Email);
    c.sms_verification_message = Some(
        phone
            .and_then(|p| p.verification_message.clone())
            .unwrap_or_else(|| VERIFICATION_MESSAGE.into()),
    );
    c.email_verification_subject = Some(
        email
            .and_then(|e| e.verification_subject.clone())
            .unwrap_or_else(|| VERIFICATION_SUBJECT.into()),
    );
    c.email_verification_message = Some(
        email
            .and_then(|e| e.verification_message.clone())
            .unwrap_or_else(|| VERIFICATION_MESSAGE.into()),
    );
    Ok(())
}

/// The password policy, required attributes and the clients' settings.
fn password_and_clients(up: &headless::UserPoolConfiguration, c: &mut CognitoConfig) {
    c.default_password_policy = Some(false);
    let (min_length, characters) = up
        .password_policy
        .as_ref()
        .map(|p| p.amplify())
        .unwrap_or((8, Vec::new()));
    c.password_policy_min_length = Some(Number::Int(min_length.into()));
    c.password_policy_characters = Some(characters);
    c.required_attributes = Some(
        up.required_signup_attributes
            .iter()
            .map(|a| a.cognito_name().to_string())
            .collect(),
    );
    c.alias_attributes = Some(Vec::new());
    c.userpool_client_generate_secret = Some(false);
    c.userpool_client_refresh_token_validity =
        Some(Number::Int(up.refresh_token_period.unwrap_or(30).into()));
    c.userpool_client_write_attributes = Some(
        up.write_attributes
            .iter()
            .flatten()
            .map(|a| a.cognito_name().to_string())
            .collect(),
    );
    c.userpool_client_read_attributes = Some(
        up.read_attributes
            .iter()
            .flatten()
            .map(|a| a.cognito_name().to_string())
            .collect(),
    );
}

/// The hosted UI: its domain, social providers and OAuth settings; returns the
/// providers' ids and secrets (for the deployment secrets).
fn hosted_ui(o: &headless::OAuth, c: &mut CognitoConfig) -> Result<Option<String>, Unsupported> {
    let social = o
        .social_provider_configurations
        .as_deref()
        .unwrap_or_default();
    c.hosted_ui = Some(true);
    c.hosted_ui_domain_name = o.domain_prefix.clone();
    let provider_creds = social_providers(social, c)?;
    let flows = match o.o_auth_grant_type {
        GrantType::Code => "code",
        GrantType::Implicit => "implicit",
    };
    let scopes: Vec<&str> = o.o_auth_scopes.iter().map(|s| s.name()).collect();
    c.o_auth_metadata = Some(
        json!({
            "AllowedOAuthFlows": [flows],
            "AllowedOAuthScopes": scopes,
            "CallbackURLs": o.redirect_signin_uris,
            "LogoutURLs": o.redirect_signout_uris,
        })
        .to_string(),
    );
    Ok(provider_creds)
}

/// The walkthrough's resource name: the project name, lower-cased, letters and
/// digits only (Amplify turns other characters into `_`, which its own resource
/// name rule then rejects), followed by the sharedId.
pub fn walkthrough_resource_name(project_name: &str, shared_id: &str) -> String {
    let p: String = project_name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(100)
        .collect();
    format!("{p}{shared_id}")
}

/// What the walkthrough's answers record. "Default configuration" writes
/// Amplify's interactive defaults (`cognito-defaults.js`) with the answers over
/// them, as the Amplify CLI does; the social and manual walkthroughs write what
/// their equivalent AddAuthRequest writes ([`walkthrough::add_request`]).
pub fn from_answers(
    answers: &questions::Answers,
    setting: &questions::Setting,
) -> Result<Added, Unsupported> {
    use questions::{DEFAULT_CONFIG, REQUIRED_ATTRIBUTES, SIGN_IN};
    let (project_name, shared_id) = (setting.project_name.as_str(), setting.shared_id.as_str());
    if answers.one(DEFAULT_CONFIG) != Some("default") {
        let request: AddAuthRequest =
            headless::deserialize(&walkthrough::add_request(answers, setting))
                .map_err(Unsupported)?;
        let triggers = questions::trigger_selection(answers, &Selection::default());
        return from_request(&request, project_name, shared_id)?.with_triggers(triggers);
    }
    let res = walkthrough_resource_name(project_name, shared_id);
    check_resource_name(&res).map_err(Unsupported)?;
    let truncated = format!("{}{shared_id}", first(&res, 6));
    let email = || vec!["email".to_string()];
    let c = CognitoConfig {
        identity_pool_name: Some(format!("{res}_identitypool_{shared_id}")),
        allow_unauthenticated_identities: Some(false),
        resource_name_truncated: Some(truncated.clone()),
        user_pool_name: Some(format!("{res}_userpool_{shared_id}")),
        auto_verified_attributes: Some(email()),
        mfa_configuration: Some(MfaMode::Off),
        mfa_types: Some(vec![MFA_SMS.into()]),
        sms_authentication_message: Some(AUTH_MESSAGE.into()),
        sms_verification_message: Some(VERIFICATION_MESSAGE.into()),
        email_verification_subject: Some(VERIFICATION_SUBJECT.into()),
        email_verification_message: Some(VERIFICATION_MESSAGE.into()),
        default_password_policy: Some(false),
        password_policy_min_length: Some(Number::Int(8)),
        password_policy_characters: Some(Vec::new()),
        required_attributes: Some(
            answers
                .many(REQUIRED_ATTRIBUTES)
                .map(<[String]>::to_vec)
                .unwrap_or_else(email),
        ),
        alias_attributes: Some(Vec::new()),
        userpool_client_generate_secret: Some(false),
        userpool_client_refresh_token_validity: Some(Number::Int(30)),
        userpool_client_write_attributes: Some(email()),
        userpool_client_read_attributes: Some(email()),
        userpool_client_lambda_role: Some(format!("{truncated}_userpoolclient_lambda_role")),
        userpool_client_set_attributes: Some(false),
        shared_id: Some(shared_id.into()),
        resource_name: Some(res.clone()),
        auth_selections: Some(AuthSelections::IdentityPoolAndUserPool),
        use_default: Some("default".into()),
        username_attributes: match answers.one(SIGN_IN) {
            Some("email") => Some(vec!["email".into()]),
            Some("phone") => Some(vec!["phone_number".into()]),
            // Amplify's value is the one string "email, phone_number".
            Some("email-or-phone") => Some(vec!["email, phone_number".into()]),
            _ => None,
        },
        user_pool_group_list: Some(Vec::new()),
        service_name: Some(COGNITO.into()),
        username_case_sensitive: Some(false),
        use_enabled_mfas: Some(true),
        ..Default::default()
    };
    let triggers = questions::trigger_selection(answers, &Selection::default());
    Added {
        resource_name: res,
        config: c,
        groups: Vec::new(),
        provider_creds: None,
        env_params: Extra::new(),
        order: KeyOrder::Walkthrough,
        triggers: Selection::default(),
    }
    .with_triggers(triggers)
}

/// `cli-inputs.json` as Amplify writes it: the walkthrough's answers
/// (`useDefault`, `usernameAttributes`, `userPoolGroupList`, `serviceName`)
/// follow `authSelections` in the order they were collected.
pub fn cli_inputs_json(inputs: &super::model::CliInputs, order: KeyOrder) -> Value {
    let mut v = serde_json::to_value(inputs).unwrap_or(Value::Null);
    if order == KeyOrder::Walkthrough
        && let Some(Value::Object(config)) = v.get_mut("cognitoConfig")
    {
        let moved = [
            "useDefault",
            "usernameAttributes",
            "triggers",
            "userPoolGroupList",
            "serviceName",
        ];
        let (answered, rest): (Vec<_>, Vec<_>) = std::mem::take(config)
            .into_iter()
            .partition(|(k, _)| moved.contains(&k.as_str()));
        let mut answered: Vec<(String, Value)> = answered;
        answered.sort_by_key(|(k, _)| moved.iter().position(|m| m == k));
        for (k, val) in rest {
            let after = k == "authSelections";
            config.insert(k, val);
            if after {
                config.extend(std::mem::take(&mut answered));
            }
        }
        // No authSelections (never written so): keep the answers at the end.
        config.extend(answered);
    }
    v
}

/// The hosted UI's social providers onto `c` (names and Amplify's scopes and
/// attribute mapping); returns their ids and secrets (`hostedUIProviderCreds`,
/// which go to the deployment secrets, never into the project).
pub fn social_providers(
    social: &[headless::SocialProvider],
    c: &mut CognitoConfig,
) -> Result<Option<String>, Unsupported> {
    c.auth_providers_user_pool = Some(
        social
            .iter()
            .map(|p| p.provider.cognito_name().to_string())
            .collect(),
    );
    let meta: Vec<Value> = social.iter().map(|p| provider_meta(p.provider)).collect();
    c.hosted_ui_provider_meta = Some(Value::Array(meta).to_string());
    let creds: Vec<Value> = social
        .iter()
        .map(provider_creds_of)
        .collect::<Result<_, _>>()?;
    Ok((!creds.is_empty()).then(|| Value::Array(creds).to_string()))
}

/// What Amplify asks each social provider for, and how it maps its attributes.
fn provider_meta(p: Provider) -> Value {
    let (scopes, mapping) = match p {
        Provider::Facebook => (
            "email,public_profile",
            json!({"email": "email", "username": "id"}),
        ),
        Provider::Google => (
            "openid email profile",
            json!({"email": "email", "username": "sub"}),
        ),
        Provider::LoginWithAmazon => (
            "profile profile:user_id",
            json!({"email": "email", "username": "user_id"}),
        ),
        Provider::SignInWithApple => ("email", json!({"email": "email"})),
    };
    json!({"ProviderName": p.cognito_name(), "authorize_scopes": scopes, "AttributeMapping": mapping})
}

fn provider_creds_of(p: &headless::SocialProvider) -> Result<Value, Unsupported> {
    let name = p.provider.cognito_name();
    let missing = |k: &str| {
        Unsupported(format!(
            "oAuth.socialProviderConfigurations: {name} needs `{k}` (as in Amplify's schema)."
        ))
    };
    Ok(match p.provider {
        Provider::SignInWithApple => json!({
            "ProviderName": name,
            "client_id": p.client_id,
            "team_id": p.team_id.clone().ok_or_else(|| missing("teamId"))?,
            "key_id": p.key_id.clone().ok_or_else(|| missing("keyId"))?,
            "private_key": p.private_key.clone().unwrap_or_default(),
        }),
        _ => json!({
            "ProviderName": name,
            "client_id": p.client_id,
            "client_secret": p.client_secret.clone().ok_or_else(|| missing("clientSecret"))?,
        }),
    })
}

/// The resource entry of backend-config.json and amplify-meta.json.
pub fn resource(frontend_auth_config: Value) -> Resource {
    Resource {
        service: Some(COGNITO.into()),
        provider_plugin: Some("awscloudformation".into()),
        depends_on: Some(Vec::new()),
        custom_auth: Some(false),
        frontend_auth_config: Some(frontend_auth_config),
        ..Default::default()
    }
}

/// The `userPoolGroups` resource that depends on the Cognito resource.
pub fn groups_resource(auth: &str) -> Resource {
    Resource {
        service: Some(crate::vocab::COGNITO_GROUPS.into()),
        provider_plugin: Some("awscloudformation".into()),
        depends_on: Some(vec![json!({
            "category": "auth",
            "resourceName": auth,
            "attributes": ["UserPoolId", "AppClientIDWeb", "AppClientID", "IdentityPoolId"],
        })]),
        ..Default::default()
    }
}

/// `user-pool-group-precedence.json`: groups in order, precedence from 1.
pub fn group_precedence(groups: &[String]) -> Value {
    Value::Array(
        groups
            .iter()
            .enumerate()
            .map(|(i, g)| json!({"groupName": g, "precedence": i + 1}))
            .collect(),
    )
}
