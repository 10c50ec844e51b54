//! What a push deploys for an Amplify-managed auth resource: its cli-inputs.json
//! and the env's values turned into the engine's resources, named per env as
//! the Amplify CLI names them.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::cognito::{
    CLIENT, DOMAIN, GROUP, IDENTITY_POOL, OWNER_TAG, POOL_ROLES, ROLE, SOCIAL, USER_POOL,
};
use super::engine::{Key, Target};
use super::registry::{arn_of, id_of};
use super::storage::ROLE_POLICY;
use crate::auth::managed::overrides::{self, Overrides};
use crate::auth::model::{CognitoConfig, Number};
use crate::cloud::deploy::{
    ClientSpec, GroupSpec, IdentityPoolSpec, PoolRoles, PoolSpec, ProviderSpec, RoleSpec, sorted,
};
use crate::vocab::{MfaMode, PasswordRule};

/// The env's side of a deployment.
#[derive(Clone, Debug, Default)]
pub struct EnvFacts {
    pub project: String,
    pub env: String,
    pub region: String,
    pub resource: String,
    /// The env's roles for signed-in users and guests (the Amplify CLI's root
    /// stack roles when the env has them, else the ones authwiz makes).
    pub auth_role: String,
    pub unauth_role: String,
    /// `hostedUIProviderCreds` from the deployment secrets (JSON text).
    pub social_creds: Option<String>,
    /// The env's parameters of the resource (team-provider-info), for the
    /// identity pool's federation ids.
    pub env_params: BTreeMap<String, Value>,
    /// User pool groups and their precedence, in order.
    pub groups: Vec<(String, Option<i32>)>,
    /// Env values must all be there (a deployment to make); `false` for one
    /// to take down, where only the names matter.
    pub strict: bool,
    /// The resource's override.json, checked.
    pub overrides: Overrides,
    /// The Lambda triggers.
    pub triggers: Vec<crate::auth::triggers::TriggerFacts>,
}

/// The keys of what was deployed, to read ids and ARNs back from.
#[derive(Clone, Debug, PartialEq)]
pub struct Keys {
    pub user_pool: Key,
    pub web_client: Key,
    pub native_client: Key,
    pub domain: Option<Key>,
    pub identity_pool: Option<Key>,
    pub auth_role: Option<Key>,
    pub unauth_role: Option<Key>,
    pub sms_role: Option<Key>,
    pub group_roles: Vec<(String, Key)>,
}

#[derive(Clone, Debug)]
pub struct Deployment {
    pub targets: Vec<Target>,
    pub keys: Keys,
    /// The user pool's name without the env (Amplify's `UserPoolName` output).
    pub user_pool_name: String,
    pub hosted_ui_domain: Option<String>,
    pub oauth_metadata: Option<String>,
    /// The trigger functions' packages, by name in the cloud.
    pub code: BTreeMap<String, Vec<u8>>,
}

/// Why a resource cannot be deployed as written.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DeployError {
    #[error("cli-inputs.json of auth resource '{0}' has no {1}.")]
    Missing(String, &'static str),
    #[error("{0}")]
    Invalid(String),
}

/// Amplify's root-stack role names for an env that has none recorded:
/// `amplify-<project>-<env>-<5 hex>-authRole`. The hex is fixed by project, env,
/// region and the auth resource's random `sharedId`, so that every push of the
/// project finds the same roles and another project of the same name does not.
pub fn env_role_names(project: &str, env: &str, region: &str, shared_id: &str) -> (String, String) {
    let mut h: u32 = 0x811c_9dc5;
    for b in format!("{project}/{env}/{region}/{shared_id}").bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let hex = format!("{h:08x}");
    let base = format!("amplify-{project}-{env}-{}", &hex[..5]);
    (format!("{base}-authRole"), format!("{base}-unauthRole"))
}

fn list(v: &Option<Vec<String>>) -> Vec<String> {
    v.clone().unwrap_or_default()
}

/// Amplify records "Email or Phone Number" as one item, "email, phone_number".
fn split_attributes(v: &Option<Vec<String>>) -> Vec<String> {
    sorted(
        list(v)
            .iter()
            .flat_map(|s| s.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

fn target(key: &Key, spec: Value, deps: Vec<Key>, label: String) -> Target {
    Target {
        key: key.clone(),
        desired: Some(json!({ "spec": spec })),
        deps,
        label,
    }
}

fn trust_for_identity_pool(identity_pool: &Key, amr: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": id_of(identity_pool)},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}
            }
        }]
    })
}

/// The identity pool's federation: Amplify's `authProviders` → the login
/// provider domain and the env parameter holding its app id.
const FEDERATION: [(&str, &str, &str); 4] = [
    ("graph.facebook.com", "graph.facebook.com", "facebookAppId"),
    (
        "accounts.google.com",
        "accounts.google.com",
        "googleClientId",
    ),
    ("www.amazon.com", "www.amazon.com", "amazonAppId"),
    ("appleid.apple.com", "appleid.apple.com", "appleAppId"),
];

/// What the parts of a deployment share while it is built.
struct Build<'a> {
    c: &'a CognitoConfig,
    env: &'a EnvFacts,
    /// The owner and Amplify tags every taggable resource gets.
    tags: BTreeMap<String, String>,
    targets: Vec<Target>,
}

impl Build<'_> {
    fn res(&self) -> &str {
        &self.env.resource
    }

    fn need(&self, v: &Option<String>, what: &'static str) -> Result<String, DeployError> {
        v.clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| DeployError::Missing(self.res().to_string(), what))
    }

    fn add(&mut self, key: &Key, spec: Value, deps: Vec<Key>, label: String) {
        self.targets.push(target(key, spec, deps, label));
    }

    fn role(&mut self, key: &Key, trust: Value, deps: Vec<Key>, label: String) {
        let spec = RoleSpec {
            name: key.name.clone(),
            trust,
            tags: self.tags.clone(),
        };
        self.add(key, json!(spec), deps, label);
    }
}

/// The MFA the pool has: its mode and which methods (SMS, TOTP, email).
struct Mfa {
    mode: MfaMode,
    sms: bool,
    totp: bool,
    email: bool,
}

pub fn deployment(c: &CognitoConfig, env: &EnvFacts) -> Result<Deployment, DeployError> {
    let res = &env.resource;
    let tags: BTreeMap<String, String> = [
        ("user:Application", env.project.clone()),
        ("user:Stack", env.env.clone()),
        (OWNER_TAG, format!("auth/{res}")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut b = Build {
        c,
        env,
        tags,
        targets: Vec::new(),
    };
    let user_pool_name = b.need(&c.user_pool_name, "userPoolName")?;
    let truncated = b.need(&c.resource_name_truncated, "resourceNameTruncated")?;
    let shared_id = b.need(&c.shared_id, "sharedId")?;
    // EnabledMfas (override) replaces the walkthrough's MFA types.
    let (mode, enabled) = env.overrides.mfa(c);
    let on = |t: &str| !mode.is_off() && enabled.iter().any(|e| e == t);
    let mfa = Mfa {
        mode,
        sms: on("SMS_MFA"),
        totp: on("SOFTWARE_TOKEN_MFA"),
        email: on("EMAIL_OTP"),
    };
    let sms_role = sms_role(&mut b, &mfa, &shared_id, &truncated);
    let pool_name = format!("{user_pool_name}-{}", env.env);
    let pool = user_pool(&mut b, &pool_name, mfa, sms_role.as_ref(), &truncated);
    let hosted_ui = c.hosted_ui.unwrap_or(false);
    let (domain, socials, oauth) = if hosted_ui {
        self::hosted_ui(&mut b, &pool, &pool_name)?
    } else {
        (None, Vec::new(), Value::Null)
    };
    let (web, native) = clients(&mut b, (&pool, &pool_name), &truncated, &socials, &oauth);
    let identity = identity_pool(&mut b, &pool, (&web, &native))?;
    let identity_pool = identity.as_ref().map(|(ip, ..)| ip.clone());
    let group_roles = groups(&mut b, (&pool, &pool_name), identity_pool.as_ref());
    if let Some((ip, auth, unauth)) = &identity {
        attach_roles(&mut b, (&pool, &web, &native), (ip, auth, unauth));
    }
    let triggers = super::managed_triggers::Inputs {
        env: &env.env,
        region: &env.region,
        triggers: &env.triggers,
        tags: &b.tags,
    };
    let made = super::managed_triggers::targets(&triggers, (&pool, &pool_name));
    b.targets.extend(made);
    let (auth_role, unauth_role) = match identity {
        Some((_, auth, unauth)) => (Some(auth), Some(unauth)),
        None => (None, None),
    };
    Ok(Deployment {
        targets: b.targets,
        hosted_ui_domain: domain.as_ref().map(|d| d.name.clone()),
        keys: Keys {
            user_pool: pool,
            web_client: web,
            native_client: native,
            domain,
            identity_pool,
            auth_role,
            unauth_role,
            sms_role,
            group_roles,
        },
        user_pool_name,
        oauth_metadata: hosted_ui.then(|| c.o_auth_metadata.clone()).flatten(),
        code: BTreeMap::new(),
    })
}

/// The role Cognito sends SMS with (and its policy), when MFA or verification
/// uses SMS.
fn sms_role(b: &mut Build, mfa: &Mfa, shared_id: &str, truncated: &str) -> Option<Key> {
    let by_phone = list(&b.c.auto_verified_attributes)
        .iter()
        .any(|a| a == "phone_number");
    if !(mfa.sms || by_phone) {
        return None;
    }
    let role = Key::new(ROLE, format!("sns{shared_id}-{}", b.env.env));
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "",
            "Effect": "Allow",
            "Principal": {"Service": "cognito-idp.amazonaws.com"},
            "Action": ["sts:AssumeRole"],
            "Condition": {"StringEquals": {"sts:ExternalId": external_id(truncated)}}
        }]
    });
    b.role(
        &role,
        trust,
        vec![],
        format!("IAM role {} (sends SMS)", role.name),
    );
    let policy = sms_policy(&role, truncated);
    b.targets.push(Target {
        key: policy.clone(),
        desired: Some(json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["sns:Publish"], "Resource": "*"}]
        })),
        deps: vec![role.clone()],
        label: format!("policy {} of IAM role {}", policy.name, role.name),
    });
    Some(role)
}

fn external_id(truncated: &str) -> String {
    format!("{truncated}_role_external_id")
}

fn sms_policy(role: &Key, truncated: &str) -> Key {
    Key::new(ROLE_POLICY, format!("{}/{truncated}-sns-policy", role.name))
}

fn user_pool(
    b: &mut Build,
    pool_name: &str,
    mfa: Mfa,
    sms_role: Option<&Key>,
    truncated: &str,
) -> Key {
    let c = b.c;
    let o = &b.env.overrides;
    let chars = list(&c.password_policy_characters);
    let flag = |path: &str| o.get(overrides::USER_POOL, path).and_then(Value::as_bool);
    let has = |r: PasswordRule| flag(r.path()).unwrap_or(chars.iter().any(|c| c == r.amplify()));
    let min_length = o
        .get(
            overrides::USER_POOL,
            "Policies.PasswordPolicy.MinimumLength",
        )
        .and_then(Value::as_i64)
        .or_else(|| {
            c.password_policy_min_length
                .as_ref()
                .and_then(Number::value)
        })
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or(8);
    let pool = Key::new(USER_POOL, pool_name.to_string());
    let pool_spec = PoolSpec {
        name: pool_name.to_string(),
        min_length,
        require_lowercase: has(PasswordRule::Lowercase),
        require_uppercase: has(PasswordRule::Uppercase),
        require_numbers: has(PasswordRule::Numbers),
        require_symbols: has(PasswordRule::Symbols),
        mfa: mfa.mode,
        sms_mfa: mfa.sms,
        totp_mfa: mfa.totp,
        sms_authentication_message: mfa
            .sms
            .then(|| c.sms_authentication_message.clone())
            .flatten(),
        username_attributes: split_attributes(&c.username_attributes),
        alias_attributes: sorted(list(&c.alias_attributes)),
        auto_verified_attributes: sorted(list(&c.auto_verified_attributes)),
        required_attributes: sorted(list(&c.required_attributes)),
        case_sensitive: c.username_case_sensitive.unwrap_or(false),
        sms_verification_message: c.sms_verification_message.clone(),
        email_verification_subject: c.email_verification_subject.clone(),
        email_verification_message: c.email_verification_message.clone(),
        sms_role_arn: sms_role.map(arn_of),
        sms_external_id: sms_role.map(|_| external_id(truncated)),
        email_mfa: mfa.email,
        tags: b.tags.clone(),
        overrides: b.env.overrides.user_pool.clone(),
        others: Default::default(),
    };
    let mut deps = Vec::new();
    if let Some(r) = sms_role {
        deps.push(r.clone());
        deps.push(sms_policy(r, truncated));
    }
    b.add(
        &pool,
        json!(pool_spec),
        deps,
        format!("user pool {pool_name}"),
    );
    pool
}

/// The hosted UI: its domain and social providers, and the clients' OAuth
/// settings (oAuthMetadata).
#[allow(clippy::type_complexity)]
fn hosted_ui(
    b: &mut Build,
    pool: &Key,
    pool_name: &str,
) -> Result<(Option<Key>, Vec<(String, Key)>, Value), DeployError> {
    let (c, env, res) = (b.c, b.env, b.env.resource.clone());
    let oauth: Value = match &c.o_auth_metadata {
        Some(text) => serde_json::from_str(text).map_err(|e| {
            DeployError::Invalid(format!(
                "oAuthMetadata of auth resource '{res}' is not valid JSON: {e}"
            ))
        })?,
        None => Value::Null,
    };
    let prefix = b.need(&c.hosted_ui_domain_name, "hostedUIDomainName")?;
    let d = Key::new(DOMAIN, format!("{prefix}-{}", env.env));
    b.add(
        &d,
        json!({"domain": d.name, "userPool": id_of(pool)}),
        vec![pool.clone()],
        format!("hosted UI domain {}", d.name),
    );
    let meta: Vec<Value> = match &c.hosted_ui_provider_meta {
        Some(text) => serde_json::from_str(text).map_err(|e| {
            DeployError::Invalid(format!(
                "hostedUIProviderMeta of auth resource '{res}' is not valid JSON: {e}"
            ))
        })?,
        None => Vec::new(),
    };
    let creds: Vec<Value> = env
        .social_creds
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default();
    let mut socials = Vec::new();
    for m in meta {
        socials.push(social(b, &m, &creds, (pool, pool_name))?);
    }
    Ok((Some(d), socials, oauth))
}

/// One social provider of the hosted UI, its id and secret from the env's
/// deployment secrets.
fn social(
    b: &mut Build,
    m: &Value,
    creds: &[Value],
    (pool, pool_name): (&Key, &str),
) -> Result<(String, Key), DeployError> {
    let env = b.env;
    let name = m["ProviderName"].as_str().unwrap_or_default().to_string();
    let found = creds.iter().find(|c| c["ProviderName"] == name.as_str());
    let cred = match found {
        Some(c) => c.clone(),
        None if !env.strict => Value::Null,
        None => {
            return Err(DeployError::Invalid(format!(
                "The {name} sign-in of auth resource '{}' has no client id and secret for env '{}' in ~/.aws/amplify/deployment-secrets.json.",
                env.resource, env.env
            )));
        }
    };
    let mut details = BTreeMap::new();
    for (k, v) in cred.as_object().into_iter().flatten() {
        if k != "ProviderName"
            && let Some(v) = v.as_str()
        {
            details.insert(k.clone(), v.to_string());
        }
    }
    if let Some(scopes) = m["authorize_scopes"].as_str() {
        details.insert("authorize_scopes".into(), scopes.to_string());
    }
    let mapping = m["AttributeMapping"]
        .as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let key = Key::new(SOCIAL, format!("{pool_name}/{name}"));
    let spec = ProviderSpec {
        name: name.clone(),
        provider_type: name.clone(),
        details,
        attribute_mapping: mapping,
        others: Default::default(),
    };
    b.add(
        &key,
        json!(spec),
        vec![pool.clone()],
        format!("{name} sign-in of user pool {pool_name}"),
    );
    Ok((name, key))
}

/// The web client (no secret) and the native client, with the hosted UI's
/// OAuth settings on both. Returns (web, native).
fn clients(
    b: &mut Build,
    (pool, pool_name): (&Key, &str),
    truncated: &str,
    socials: &[(String, Key)],
    oauth: &Value,
) -> (Key, Key) {
    let c = b.c;
    let mut deps = vec![pool.clone()];
    deps.extend(socials.iter().map(|(_, k)| k.clone()));
    let web_name = format!("{truncated}_app_clientWeb");
    let native_name = format!("{truncated}_app_client");
    let web = Key::new(CLIENT, format!("{pool_name}/{web_name}"));
    let native = Key::new(CLIENT, format!("{pool_name}/{native_name}"));
    let web_spec = client_spec(
        b,
        (web_name.clone(), false, overrides::WEB_CLIENT),
        socials,
        oauth,
    );
    let native_spec = client_spec(
        b,
        (
            native_name.clone(),
            c.userpool_client_generate_secret.unwrap_or(false),
            overrides::NATIVE_CLIENT,
        ),
        socials,
        oauth,
    );
    b.add(
        &web,
        json!(web_spec),
        deps.clone(),
        format!("app client {web_name}"),
    );
    b.add(
        &native,
        json!(native_spec),
        deps,
        format!("app client {native_name}"),
    );
    (web, native)
}

/// One app client as the files say: `(name, secret, override.json section)`.
fn client_spec(
    b: &Build,
    (name, secret, resource): (String, bool, &str),
    socials: &[(String, Key)],
    oauth: &Value,
) -> ClientSpec {
    let (c, o) = (b.c, &b.env.overrides);
    let strs = |k: &str| -> Vec<String> {
        sorted(
            oauth[k]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        )
    };
    let identity_providers = if c.hosted_ui.unwrap_or(false) {
        let mut p: Vec<String> = vec!["COGNITO".into()];
        p.extend(socials.iter().map(|(n, _)| n.clone()));
        sorted(p)
    } else {
        Vec::new()
    };
    let set_attributes = c.userpool_client_set_attributes.unwrap_or(false);
    let refresh = c
        .userpool_client_refresh_token_validity
        .as_ref()
        .and_then(Number::value)
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or(30);
    let attributes = |v: &Option<Vec<String>>| {
        if set_attributes {
            sorted(list(v))
        } else {
            Vec::new()
        }
    };
    ClientSpec {
        name,
        generate_secret: secret,
        refresh_token_days: o
            .get(resource, "RefreshTokenValidity")
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or(refresh),
        overrides: o.client(resource).clone(),
        others: Default::default(),
        read_attributes: attributes(&c.userpool_client_read_attributes),
        write_attributes: attributes(&c.userpool_client_write_attributes),
        oauth_flows: strs("AllowedOAuthFlows"),
        oauth_scopes: strs("AllowedOAuthScopes"),
        callback_urls: strs("CallbackURLs"),
        logout_urls: strs("LogoutURLs"),
        identity_providers,
    }
}

/// The identity pool, then the env's roles that trust it; (pool, auth role,
/// unauth role), or `None` without an identity pool.
fn identity_pool(
    b: &mut Build,
    pool: &Key,
    (web, native): (&Key, &Key),
) -> Result<Option<(Key, Key, Key)>, DeployError> {
    let (c, env) = (b.c, b.env);
    let with_identity_pool = c
        .auth_selections
        .as_ref()
        .is_some_and(|s| s.as_str() == "identityPoolAndUserPool");
    if !with_identity_pool {
        return Ok(None);
    }
    let res = &env.resource;
    let base = c
        .identity_pool_name
        .clone()
        .ok_or_else(|| DeployError::Missing(res.clone(), "identityPoolName"))?;
    let ip = Key::new(IDENTITY_POOL, format!("{base}__{}", env.env));
    let provider = format!("cognito-idp.{}.amazonaws.com/{}", env.region, id_of(pool));
    let mut login_providers = BTreeMap::new();
    for p in list(&c.auth_providers) {
        if let Some((_, domain, param)) = FEDERATION.iter().find(|(n, _, _)| *n == p) {
            let id = env
                .env_params
                .get(*param)
                .and_then(Value::as_str)
                .or((!env.strict).then_some(""))
                .ok_or_else(|| {
                    DeployError::Invalid(format!(
                        "The identity pool federation with {p} of auth resource '{res}' has no {param} for env '{}' (team-provider-info.json).",
                        env.env
                    ))
                })?;
            login_providers.insert(domain.to_string(), id.to_string());
        }
    }
    let mut providers = vec![
        (provider.clone(), id_of(native)),
        (provider.clone(), id_of(web)),
    ];
    providers.sort();
    let spec = IdentityPoolSpec {
        name: ip.name.clone(),
        allow_unauthenticated: c.allow_unauthenticated_identities.unwrap_or(false),
        cognito_providers: providers,
        login_providers,
        tags: b.tags.clone(),
        overrides: env.overrides.identity_pool.clone(),
        others: Default::default(),
    };
    b.add(
        &ip,
        json!(spec),
        vec![web.clone(), native.clone()],
        format!("identity pool {}", ip.name),
    );
    let auth = Key::new(ROLE, env.auth_role.clone());
    let unauth = Key::new(ROLE, env.unauth_role.clone());
    for (key, amr) in [(&auth, "authenticated"), (&unauth, "unauthenticated")] {
        b.role(
            key,
            trust_for_identity_pool(&ip, amr),
            vec![ip.clone()],
            format!("IAM role {} ({amr} users)", key.name),
        );
    }
    Ok(Some((ip, auth, unauth)))
}

/// The user pool groups, each with a role its members get from the identity
/// pool (when there is one). Returns the groups' role keys.
fn groups(
    b: &mut Build,
    (pool, pool_name): (&Key, &str),
    identity_pool: Option<&Key>,
) -> Vec<(String, Key)> {
    let mut group_roles = Vec::new();
    for (group, precedence) in &b.env.groups {
        let role = identity_pool.map(|ip| {
            let key = Key::new(ROLE, format!("{}-{group}GroupRole", id_of(pool)));
            b.role(
                &key,
                trust_for_identity_pool(ip, "authenticated"),
                vec![pool.clone(), ip.clone()],
                format!("IAM role of group {group}"),
            );
            key
        });
        let key = Key::new(GROUP, format!("{pool_name}/{group}"));
        let spec = GroupSpec {
            name: group.clone(),
            precedence: *precedence,
            role_arn: role.as_ref().map(arn_of),
            others: Default::default(),
        };
        let mut deps = vec![pool.clone()];
        deps.extend(role.clone());
        b.add(&key, json!(spec), deps, format!("group {group}"));
        if let Some(r) = role {
            group_roles.push((group.clone(), r));
        }
    }
    group_roles
}

/// The identity pool's roles; with groups, each group's role comes from the
/// token (Amplify's role mapping).
fn attach_roles(
    b: &mut Build,
    (pool, web, native): (&Key, &Key, &Key),
    (ip, auth, unauth): (&Key, &Key, &Key),
) {
    let env = b.env;
    let token_role_mappings = if env.groups.is_empty() {
        Vec::new()
    } else {
        let provider = format!("cognito-idp.{}.amazonaws.com/{}", env.region, id_of(pool));
        sorted(vec![
            format!("{provider}:{}", id_of(native)),
            format!("{provider}:{}", id_of(web)),
        ])
    };
    let roles = PoolRoles {
        auth_role: Some(arn_of(auth)),
        unauth_role: Some(arn_of(unauth)),
        token_role_mappings,
    };
    let attachment = Key::new(POOL_ROLES, ip.name.clone());
    b.add(
        &attachment,
        json!(roles),
        vec![ip.clone(), auth.clone(), unauth.clone()],
        format!("roles of identity pool {}", ip.name),
    );
}
