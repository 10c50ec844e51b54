//! The project state an import writes (parameters.json, amplify-meta.json output
//! and frontendAuthConfig, backend-config.json entry, the env's parameters in
//! team-provider-info.json), built from what was discovered and chosen.

use crate::vocab::{MFA_SMS, MFA_TOTP, PasswordRule, is_standard_attribute};
use serde_json::{Map, Value, json};

use crate::project::{Doc, Frontend, Project, Resource, Store};

use super::error::AuthError;
use super::model::{
    CATEGORY, CognitoConfig, Imported, ImportedEnvParams, ImportedParameters, Number,
};

/// `amplify/backend/auth/<res>`
pub fn resource_dir(name: &str) -> String {
    format!("{}/{CATEGORY}/{name}", crate::project::BACKEND_DIR)
}

/// The env's recorded parameters of an imported resource (team-provider-info.json), typed.
pub fn env_record(
    project: &Project,
    env: &str,
    res: &str,
) -> Result<Option<ImportedEnvParams>, AuthError> {
    project
        .env_params(env, CATEGORY, res)
        .map(|p| {
            ImportedEnvParams::from_map(p).map_err(|detail| AuthError::BadEnvParams {
                env: env.to_string(),
                res: res.to_string(),
                detail,
            })
        })
        .transpose()
}

/// `amplify/backend/auth/<res>/parameters.json`
pub fn parameters_path(name: &str) -> String {
    format!("{}/parameters.json", resource_dir(name))
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
    pub fn parameters(&self) -> ImportedParameters {
        let pw = &self.pool.password;
        let chars: Vec<String> = [
            (pw.lowercase, PasswordRule::Lowercase),
            (pw.uppercase, PasswordRule::Uppercase),
            (pw.numbers, PasswordRule::Numbers),
            (pw.symbols, PasswordRule::Symbols),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, r)| r.amplify().to_string())
        .collect();
        let mut mfa_types = Vec::new();
        if self.mfa.sms {
            mfa_types.push(MFA_SMS.to_string());
        }
        if self.mfa.totp {
            mfa_types.push(MFA_TOTP.to_string());
        }
        ImportedParameters {
            auth_selections: self.selections,
            resource_name: self.resource_name.clone(),
            service_type: "imported".into(),
            region: Some(self.region.clone()),
            alias_attributes: self.pool.alias_attributes.clone(),
            username_attributes: self.pool.username_attributes.clone(),
            auth_providers_user_pool: self.social_providers(),
            required_attributes: self
                .pool
                .required_attributes
                .iter()
                .filter(|a| is_standard_attribute(a))
                .cloned()
                .collect(),
            password_policy_min_length: Some(Number::Int(self.pool.password.min_length.into())),
            password_policy_characters: chars,
            mfa_configuration: Some(self.pool.mfa),
            auto_verified_attributes: self.pool.auto_verified_attributes.clone(),
            mfa_types,
            extra: Map::new(),
        }
    }

    /// The parameters.json document to write: over an existing file, its
    /// unknown keys and key order are kept.
    pub fn parameters_doc(&self, store: &Store) -> Doc<ImportedParameters> {
        let path = parameters_path(&self.resource_name);
        let mut params = self.parameters();
        match store.read::<ImportedParameters>(&path) {
            Ok(Some(mut doc)) => {
                params.extra = std::mem::take(&mut doc.value.extra);
                doc.value = params;
                doc
            }
            // A missing or unreadable file is replaced whole.
            _ => Doc::new(path, params),
        }
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
        if !self.pool.mfa.is_off()
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

    /// `categories.auth.<res>` of the env in team-provider-info.json; keys
    /// another tool recorded there (`kept`) stay.
    pub fn env_params(&self, frontend: Frontend, kept: Map<String, Value>) -> ImportedEnvParams {
        let mut t = ImportedEnvParams {
            user_pool_id: Some(self.pool.id.clone()),
            user_pool_name: Some(self.pool.name.clone()),
            web_client_id: Some(self.web.id.clone()),
            native_client_id: Some(self.native.id.clone()),
            extra: kept,
            ..Default::default()
        };
        if let Some(linked) = &self.identity {
            t.identity_pool_id = Some(linked.pool.id.clone());
            t.identity_pool_name = Some(linked.pool.name.clone());
            t.allow_unauthenticated_identities = Some(linked.pool.allow_unauthenticated);
            t.auth_role_arn = Some(linked.auth_role.arn.clone());
            t.auth_role_name = Some(linked.auth_role.name.clone());
            if let Some(unauth) = &linked.unauth_role {
                t.unauth_role_arn = Some(unauth.arn.clone());
                t.unauth_role_name = Some(unauth.name.clone());
            }
            let logins = &linked.pool.login_providers;
            let get = |p: &str| logins.get(p).cloned();
            t.amazon_app_id = get("www.amazon.com");
            t.facebook_app_id = get("graph.facebook.com");
            t.apple_app_id = get("appleid.apple.com");
            if let Some(google) = get("accounts.google.com") {
                match frontend {
                    Frontend::Ios => t.google_ios = Some(google),
                    Frontend::Android => t.google_android = Some(google),
                    Frontend::Javascript | Frontend::Flutter => t.google_client_id = Some(google),
                }
            }
        }
        t
    }

    /// The resource entry shared by backend-config.json and amplify-meta.json.
    pub fn resource(&self) -> Resource {
        Resource {
            service: Some(crate::vocab::COGNITO.into()),
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
        meta_entry.frontend_auth_config = Some(frontend_auth_config(&params.facts()));
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
        // Keys of the env's record that authwiz does not know are kept.
        let kept = project
            .env_params(env, CATEGORY, &self.resource_name)
            .and_then(|p| ImportedEnvParams::from_map(p).ok())
            .map(|p| p.extra)
            .unwrap_or_default();
        let params = self.env_params(project.frontend(), kept).to_map();
        project.set_env_params(env, CATEGORY, &self.resource_name, Some(params));
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

/// What `frontendAuthConfig` is derived from: parameters.json of an imported
/// resource, or cli-inputs.json of a managed one (the same Amplify keys).
pub struct AuthFacts<'a> {
    pub auth_providers_user_pool: &'a [String],
    pub username_attributes: &'a [String],
    pub required_attributes: &'a [String],
    pub password_policy_min_length: Option<&'a Number>,
    pub password_policy_characters: &'a [String],
    pub mfa_configuration: Option<&'a str>,
    pub mfa_types: &'a [String],
    pub auto_verified_attributes: &'a [String],
}

impl ImportedParameters {
    pub fn facts(&self) -> AuthFacts<'_> {
        AuthFacts {
            auth_providers_user_pool: self.auth_providers_user_pool.as_deref().unwrap_or_default(),
            username_attributes: &self.username_attributes,
            required_attributes: &self.required_attributes,
            password_policy_min_length: self.password_policy_min_length.as_ref(),
            password_policy_characters: &self.password_policy_characters,
            mfa_configuration: self.mfa_configuration.map(super::model::MfaMode::as_str),
            mfa_types: &self.mfa_types,
            auto_verified_attributes: &self.auto_verified_attributes,
        }
    }
}

fn list(v: &Option<Vec<String>>) -> &[String] {
    v.as_deref().unwrap_or_default()
}

impl CognitoConfig {
    pub fn facts(&self) -> AuthFacts<'_> {
        AuthFacts {
            auth_providers_user_pool: list(&self.auth_providers_user_pool),
            username_attributes: list(&self.username_attributes),
            required_attributes: list(&self.required_attributes),
            password_policy_min_length: self.password_policy_min_length.as_ref(),
            password_policy_characters: list(&self.password_policy_characters),
            mfa_configuration: self.mfa_configuration.map(super::model::MfaMode::as_str),
            mfa_types: list(&self.mfa_types),
            auto_verified_attributes: list(&self.auto_verified_attributes),
        }
    }
}

/// `frontendAuthConfig`, as the Amplify CLI derives it (except that every
/// username attribute is kept).
pub fn frontend_auth_config(params: &AuthFacts) -> Value {
    let upper = |list: &[String]| -> Vec<String> {
        list.iter()
            .flat_map(|s| {
                s.split(',')
                    .map(|p| p.trim().to_uppercase())
                    .collect::<Vec<_>>()
            })
            .filter(|s| !s.is_empty())
            .collect()
    };
    let social: Vec<&str> = params
        .auth_providers_user_pool
        .iter()
        .filter_map(|p| match p.as_str() {
            "Facebook" => Some("FACEBOOK"),
            "Google" => Some("GOOGLE"),
            "LoginWithAmazon" => Some("AMAZON"),
            "SignInWithApple" => Some("APPLE"),
            _ => None,
        })
        .collect();
    let chars: Vec<String> = params
        .password_policy_characters
        .iter()
        .map(|c| c.replace(' ', "_").to_uppercase())
        .collect();
    let mut mfa_types = Vec::new();
    if params.mfa_types.iter().any(|t| t == MFA_SMS) {
        mfa_types.push("SMS");
    }
    if params.mfa_types.iter().any(|t| t == MFA_TOTP) {
        mfa_types.push("TOTP");
    }
    let mut fac = Map::new();
    fac.insert("socialProviders".into(), json!(social));
    fac.insert(
        "usernameAttributes".into(),
        json!(upper(params.username_attributes)),
    );
    fac.insert(
        "signupAttributes".into(),
        json!(upper(params.required_attributes)),
    );
    let min_length = match params.password_policy_min_length {
        Some(Number::Int(n)) => json!(n),
        Some(Number::Text(t)) => json!(t),
        None => json!(8),
    };
    fac.insert(
        "passwordProtectionSettings".into(),
        json!({
            "passwordPolicyMinLength": min_length,
            "passwordPolicyCharacters": chars,
        }),
    );
    if let Some(m) = params.mfa_configuration {
        fac.insert("mfaConfiguration".into(), json!(m));
    }
    fac.insert("mfaTypes".into(), json!(mfa_types));
    fac.insert(
        "verificationMechanisms".into(),
        json!(upper(params.auto_verified_attributes)),
    );
    Value::Object(fac)
}
