//! The project state an import writes (parameters.json, amplify-meta.json output
//! and frontendAuthConfig, backend-config.json entry, the env's parameters in
//! team-provider-info.json), built from what was discovered and chosen.

use serde_json::{Map, Value, json};

use crate::cloud::cognito_identity::IdentityPool;
use crate::cloud::cognito_idp::{AppClient, MfaConfig, UserPool};
use crate::project::{Frontend, Project, Resource};

use super::AuthSelections;
use super::import::{OAuthSettings, RoleRef};

pub const CATEGORY: &str = "auth";

/// Attributes Amplify records as required (standard ones; `sub` excluded).
pub(crate) const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "family_name",
    "middle_name",
    "gender",
    "locale",
    "given_name",
    "name",
    "nickname",
    "phone_number",
    "preferred_username",
    "picture",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// The identity pool side of an import.
#[derive(Clone, Debug)]
pub struct LinkedIdentityPool {
    pub pool: IdentityPool,
    pub auth_role: RoleRef,
    /// Absent when the pool allows no unauthenticated identities and has no such role.
    pub unauth_role: Option<RoleRef>,
}

/// Everything an import decided.
#[derive(Clone, Debug)]
pub struct Imported {
    pub resource_name: String,
    pub selections: AuthSelections,
    pub region: String,
    pub pool: UserPool,
    pub web: AppClient,
    pub native: AppClient,
    pub identity: Option<LinkedIdentityPool>,
    /// From the web client, when it has OAuth enabled.
    pub oauth: Option<OAuthSettings>,
    /// The native client's own callback / logout URLs, when they differ from the web client's.
    pub native_urls: Option<(Vec<String>, Vec<String>)>,
    pub mfa: MfaConfig,
}

fn strings(v: &[String]) -> Value {
    json!(v)
}

fn put_nonempty(map: &mut Map<String, Value>, key: &str, v: &[String]) {
    if !v.is_empty() {
        map.insert(key.into(), strings(v));
    }
}

impl Imported {
    /// Social providers of the user pool (hosted UI), as Amplify names them.
    fn social_providers(&self) -> Option<Vec<String>> {
        let o = self.oauth.as_ref()?;
        Some(
            o.providers
                .iter()
                .filter(|p| {
                    ["Facebook", "Google", "LoginWithAmazon", "SignInWithApple"]
                        .contains(&p.as_str())
                })
                .cloned()
                .collect(),
        )
    }

    /// `amplify/backend/auth/<res>/parameters.json`
    pub fn parameters(&self) -> Map<String, Value> {
        let mut p = Map::new();
        p.insert("authSelections".into(), json!(self.selections.as_str()));
        p.insert("resourceName".into(), json!(self.resource_name));
        p.insert("serviceType".into(), json!("imported"));
        p.insert("region".into(), json!(self.region));
        put_nonempty(&mut p, "aliasAttributes", &self.pool.alias_attributes);
        put_nonempty(&mut p, "usernameAttributes", &self.pool.username_attributes);
        if let Some(social) = self.social_providers() {
            p.insert("authProvidersUserPool".into(), strings(&social));
        }
        let required: Vec<String> = self
            .pool
            .required_attributes
            .iter()
            .filter(|a| STANDARD_ATTRIBUTES.contains(&a.as_str()))
            .cloned()
            .collect();
        p.insert("requiredAttributes".into(), strings(&required));
        p.insert(
            "passwordPolicyMinLength".into(),
            json!(self.pool.password.min_length),
        );
        let pw = &self.pool.password;
        let chars: Vec<&str> = [
            (pw.lowercase, "Requires Lowercase"),
            (pw.uppercase, "Requires Uppercase"),
            (pw.numbers, "Requires Numbers"),
            (pw.symbols, "Requires Symbols"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, s)| *s)
        .collect();
        p.insert("passwordPolicyCharacters".into(), json!(chars));
        p.insert("mfaConfiguration".into(), json!(self.pool.mfa));
        put_nonempty(
            &mut p,
            "autoVerifiedAttributes",
            &self.pool.auto_verified_attributes,
        );
        let mut mfa_types = Vec::new();
        if self.mfa.sms {
            mfa_types.push("SMS Text Message");
        }
        if self.mfa.totp {
            mfa_types.push("TOTP");
        }
        p.insert("mfaTypes".into(), json!(mfa_types));
        p
    }

    /// `output` of the resource in amplify-meta.json.
    pub fn meta_output(&self) -> Map<String, Value> {
        let mut o = Map::new();
        o.insert("UserPoolId".into(), json!(self.pool.id));
        o.insert("UserPoolName".into(), json!(self.pool.name));
        o.insert("AppClientID".into(), json!(self.native.id));
        if let Some(secret) = &self.native.secret {
            o.insert("AppClientSecret".into(), json!(secret));
        }
        o.insert("AppClientIDWeb".into(), json!(self.web.id));
        if let Some(domain) = &self.pool.domain {
            o.insert("HostedUIDomain".into(), json!(domain));
        }
        if let Some(linked) = &self.identity {
            o.insert("IdentityPoolId".into(), json!(linked.pool.id));
            o.insert("IdentityPoolName".into(), json!(linked.pool.name));
            for (provider, key) in [
                ("www.amazon.com", "AmazonWebClient"),
                ("graph.facebook.com", "FacebookWebClient"),
                ("accounts.google.com", "GoogleWebClient"),
                ("appleid.apple.com", "AppleWebClient"),
            ] {
                if let Some(id) = linked.pool.login_providers.get(provider) {
                    o.insert(key.into(), json!(id));
                }
            }
        }
        if self.pool.mfa != "OFF"
            && let Some(arn) = &self.pool.sns_caller_arn
        {
            o.insert("CreatedSNSRole".into(), json!(arn));
        }
        if let Some(oauth) = self
            .oauth
            .as_ref()
            // OAuth is configured on the client: flows, scopes and a sign-in URL
            // (whatever its identity providers, OIDC/SAML included).
            .filter(|o| !o.flows.is_empty() && !o.scopes.is_empty() && !o.callback_urls.is_empty())
        {
            o.insert(
                "OAuthMetadata".into(),
                json!(oauth_metadata(
                    &oauth.flows,
                    &oauth.scopes,
                    &oauth.callback_urls,
                    &oauth.logout_urls
                )),
            );
            if let Some((callbacks, logouts)) = &self.native_urls {
                o.insert(
                    "OAuthMetadataNative".into(),
                    json!(oauth_metadata(
                        &oauth.flows,
                        &oauth.scopes,
                        callbacks,
                        logouts
                    )),
                );
            }
        }
        o
    }

    /// `categories.auth.<res>` of the env in team-provider-info.json.
    pub fn env_params(&self, frontend: Frontend) -> Map<String, Value> {
        let mut t = Map::new();
        t.insert("userPoolId".into(), json!(self.pool.id));
        t.insert("userPoolName".into(), json!(self.pool.name));
        t.insert("webClientId".into(), json!(self.web.id));
        t.insert("nativeClientId".into(), json!(self.native.id));
        if let Some(linked) = &self.identity {
            t.insert("identityPoolId".into(), json!(linked.pool.id));
            t.insert("identityPoolName".into(), json!(linked.pool.name));
            t.insert(
                "allowUnauthenticatedIdentities".into(),
                json!(linked.pool.allow_unauthenticated),
            );
            t.insert("authRoleArn".into(), json!(linked.auth_role.arn));
            t.insert("authRoleName".into(), json!(linked.auth_role.name));
            if let Some(unauth) = &linked.unauth_role {
                t.insert("unauthRoleArn".into(), json!(unauth.arn));
                t.insert("unauthRoleName".into(), json!(unauth.name));
            }
            let logins = &linked.pool.login_providers;
            for (provider, key) in [
                ("www.amazon.com", "amazonAppId"),
                ("graph.facebook.com", "facebookAppId"),
                ("appleid.apple.com", "appleAppId"),
            ] {
                if let Some(id) = logins.get(provider) {
                    t.insert(key.into(), json!(id));
                }
            }
            if let Some(google) = logins.get("accounts.google.com") {
                let key = match frontend {
                    Frontend::Ios => "googleIos",
                    Frontend::Android => "googleAndroid",
                    Frontend::Javascript | Frontend::Flutter => "googleClientId",
                };
                t.insert(key.into(), json!(google));
            }
        }
        t
    }

    /// The resource entry shared by backend-config.json and amplify-meta.json.
    pub fn resource(&self) -> Resource {
        Resource {
            service: Some("Cognito".into()),
            service_type: Some("imported".into()),
            provider_plugin: Some("awscloudformation".into()),
            depends_on: Some(Vec::new()),
            custom_auth: Some(self.pool.custom_auth),
            ..Default::default()
        }
    }

    /// Records the import in the project (in memory; the command saves).
    pub fn apply(&self, project: &mut Project, env: &str) {
        let params = self.parameters();
        let mut meta_entry = self.resource();
        meta_entry.output = Some(self.meta_output());
        meta_entry.frontend_auth_config = Some(frontend_auth_config(&params));
        project
            .meta
            .value
            .categories
            .entry(CATEGORY.into())
            .or_default()
            .insert(self.resource_name.clone(), meta_entry);
        let mut backend_entry = self.resource();
        // Keep keys another tool added to an existing entry.
        if let Some(old) = project
            .backend_config
            .value
            .categories
            .get(CATEGORY)
            .and_then(|c| c.get(&self.resource_name))
        {
            backend_entry.extra = old.extra.clone();
        }
        project
            .backend_config
            .value
            .categories
            .entry(CATEGORY.into())
            .or_default()
            .insert(self.resource_name.clone(), backend_entry);
        set_env_params(
            project,
            env,
            &self.resource_name,
            Some(self.env_params(project.frontend())),
        );
    }
}

fn oauth_metadata(
    flows: &[String],
    scopes: &[String],
    callbacks: &[String],
    logouts: &[String],
) -> String {
    json!({"AllowedOAuthFlows": flows, "AllowedOAuthScopes": scopes, "CallbackURLs": callbacks, "LogoutURLs": logouts})
        .to_string()
}

/// `frontendAuthConfig` from parameters.json, as the Amplify CLI derives it
/// (except that every username attribute is kept).
pub fn frontend_auth_config(params: &Map<String, Value>) -> Value {
    let list = |k: &str| -> Vec<String> {
        params
            .get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let upper = |k: &str| -> Vec<String> {
        list(k)
            .iter()
            .flat_map(|s| {
                s.split(',')
                    .map(|p| p.trim().to_uppercase())
                    .collect::<Vec<_>>()
            })
            .filter(|s| !s.is_empty())
            .collect()
    };
    let social: Vec<&str> = list("authProvidersUserPool")
        .iter()
        .filter_map(|p| match p.as_str() {
            "Facebook" => Some("FACEBOOK"),
            "Google" => Some("GOOGLE"),
            "LoginWithAmazon" => Some("AMAZON"),
            "SignInWithApple" => Some("APPLE"),
            _ => None,
        })
        .collect();
    let chars: Vec<String> = list("passwordPolicyCharacters")
        .iter()
        .map(|c| c.replace(' ', "_").to_uppercase())
        .collect();
    let mfa_types: Vec<&str> = {
        let types = list("mfaTypes");
        let mut out = Vec::new();
        if types.iter().any(|t| t == "SMS Text Message") {
            out.push("SMS");
        }
        if types.iter().any(|t| t == "TOTP") {
            out.push("TOTP");
        }
        out
    };
    let mut fac = Map::new();
    fac.insert("socialProviders".into(), json!(social));
    fac.insert(
        "usernameAttributes".into(),
        json!(upper("usernameAttributes")),
    );
    fac.insert(
        "signupAttributes".into(),
        json!(upper("requiredAttributes")),
    );
    fac.insert(
        "passwordProtectionSettings".into(),
        json!({
            "passwordPolicyMinLength": params.get("passwordPolicyMinLength").cloned().unwrap_or(json!(8)),
            "passwordPolicyCharacters": chars,
        }),
    );
    if let Some(m) = params.get("mfaConfiguration") {
        fac.insert("mfaConfiguration".into(), m.clone());
    }
    fac.insert("mfaTypes".into(), json!(mfa_types));
    fac.insert(
        "verificationMechanisms".into(),
        json!(upper("autoVerifiedAttributes")),
    );
    Value::Object(fac)
}

/// Sets (or with `None` removes) a resource's env parameters for `env`, dropping
/// empty maps as Amplify does, and keeps backend-config.json's `parameters` map in step.
pub fn set_env_params(
    project: &mut Project,
    env: &str,
    resource: &str,
    params: Option<Map<String, Value>>,
) {
    let record = project.tpi.value.entry(env.to_string()).or_default();
    let categories = record.categories.get_or_insert_with(Default::default);
    match params {
        Some(p) => {
            categories
                .entry(CATEGORY.into())
                .or_default()
                .insert(resource.into(), p);
        }
        None => {
            if let Some(auth) = categories.get_mut(CATEGORY) {
                auth.shift_remove(resource);
                if auth.is_empty() {
                    categories.shift_remove(CATEGORY);
                }
            }
        }
    }
    if categories.is_empty() {
        record.categories = None;
    }
    sync_parameter_map(project, env);
}

/// backend-config.json `parameters`: one `AMPLIFY_auth_<res>_<param>` entry per env
/// parameter of the current env (what the Amplify CLI uses to fetch them from SSM).
fn sync_parameter_map(project: &mut Project, env: &str) {
    let mut map = match project.backend_config.value.parameters.take() {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    map.retain(|k, _| !k.starts_with("AMPLIFY_auth_"));
    if let Some(auth) = project
        .tpi
        .value
        .get(env)
        .and_then(|r| r.categories.as_ref())
        .and_then(|c| c.get(CATEGORY))
    {
        for (res, params) in auth {
            for key in params.keys() {
                map.insert(
                    format!("AMPLIFY_auth_{res}_{key}"),
                    json!({"usedBy": [{"category": CATEGORY, "resourceName": res}]}),
                );
            }
        }
    }
    project.backend_config.value.parameters = (!map.is_empty()).then_some(Value::Object(map));
}
