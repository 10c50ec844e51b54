//! Amazon Cognito user pools: the reads that import and validation need.

use crate::vocab::MfaMode;
use aws_sdk_cognitoidentityprovider::{Client, Config};

use super::CloudError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPoolSummary {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_length: i32,
    pub lowercase: bool,
    pub uppercase: bool,
    pub numbers: bool,
    pub symbols: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserPool {
    pub id: String,
    pub name: String,
    pub username_attributes: Vec<String>,
    pub alias_attributes: Vec<String>,
    pub auto_verified_attributes: Vec<String>,
    pub mfa: MfaMode,
    /// Schema attributes marked required (standard and custom names as AWS gives them).
    pub required_attributes: Vec<String>,
    /// Attributes that can change after sign-up.
    pub mutable_attributes: Vec<String>,
    pub password: PasswordPolicy,
    /// Hosted UI prefix domain.
    pub domain: Option<String>,
    pub custom_domain: Option<String>,
    /// Define, create and verify auth-challenge triggers are all set.
    pub custom_auth: bool,
    pub sns_caller_arn: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    pub secret: Option<String>,
    pub identity_providers: Vec<String>,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub oauth_flows: Vec<String>,
    pub oauth_scopes: Vec<String>,
    pub oauth_flows_user_pool_client: bool,
    pub write_attributes: Vec<String>,
}

impl AppClient {
    /// A web client is one without a secret (browsers cannot keep one).
    pub fn is_web(&self) -> bool {
        self.secret.is_none()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MfaConfig {
    pub sms: bool,
    pub totp: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityProvider {
    pub name: String,
    pub provider_type: String,
    pub details: std::collections::BTreeMap<String, String>,
}

/// The user-pool operations authwiz uses. Generic (not `dyn`) on purpose.
#[allow(async_fn_in_trait)]
pub trait CognitoIdp {
    async fn list_user_pools(&self) -> Result<Vec<UserPoolSummary>, CloudError>;
    async fn describe_user_pool(&self, id: &str) -> Result<UserPool, CloudError>;
    async fn list_clients(&self, pool_id: &str) -> Result<Vec<(String, String)>, CloudError>;
    async fn describe_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<AppClient, CloudError>;
    async fn mfa_config(&self, pool_id: &str) -> Result<MfaConfig, CloudError>;
    async fn identity_providers(&self, pool_id: &str) -> Result<Vec<IdentityProvider>, CloudError>;
}

pub struct SdkCognitoIdp {
    client: Client,
}

impl SdkCognitoIdp {
    pub fn new(config: Config) -> Self {
        SdkCognitoIdp {
            client: Client::from_conf(config),
        }
    }
}

fn strings<T: AsRef<str>>(items: &[T]) -> Vec<String> {
    items.iter().map(|s| s.as_ref().to_string()).collect()
}

impl CognitoIdp for SdkCognitoIdp {
    async fn list_user_pools(&self) -> Result<Vec<UserPoolSummary>, CloudError> {
        const ACTION: &str = "cognito-idp:ListUserPools";
        let mut pages = self
            .client
            .list_user_pools()
            .max_results(60)
            .into_paginator()
            .send();
        let mut pools = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| CloudError::from_sdk(ACTION, "User pools", e))?;
            pools.extend(page.user_pools().iter().map(|p| UserPoolSummary {
                id: p.id().unwrap_or_default().to_string(),
                name: p.name().unwrap_or_default().to_string(),
            }));
        }
        Ok(pools)
    }

    async fn describe_user_pool(&self, id: &str) -> Result<UserPool, CloudError> {
        let out = self
            .client
            .describe_user_pool()
            .user_pool_id(id)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk("cognito-idp:DescribeUserPool", format!("User pool {id}"), e)
            })?;
        let Some(p) = out.user_pool() else {
            return Err(CloudError::NotFound {
                action: "cognito-idp:DescribeUserPool",
                what: format!("User pool {id}"),
            });
        };
        let policy = p.policies().and_then(|x| x.password_policy());
        let lambda = p.lambda_config();
        let schema = p.schema_attributes();
        Ok(UserPool {
            id: p.id().unwrap_or(id).to_string(),
            name: p.name().unwrap_or_default().to_string(),
            username_attributes: strings(p.username_attributes()),
            alias_attributes: strings(p.alias_attributes()),
            auto_verified_attributes: strings(p.auto_verified_attributes()),
            mfa: p
                .mfa_configuration()
                .and_then(|m| MfaMode::parse(m.as_str()))
                .unwrap_or_default(),
            required_attributes: schema
                .iter()
                .filter(|a| a.required() == Some(true))
                .filter_map(|a| a.name().map(str::to_string))
                .collect(),
            mutable_attributes: schema
                .iter()
                .filter(|a| a.mutable() != Some(false))
                .filter_map(|a| a.name().map(str::to_string))
                .collect(),
            password: PasswordPolicy {
                min_length: policy.and_then(|x| x.minimum_length()).unwrap_or(8),
                lowercase: policy.is_some_and(|x| x.require_lowercase()),
                uppercase: policy.is_some_and(|x| x.require_uppercase()),
                numbers: policy.is_some_and(|x| x.require_numbers()),
                symbols: policy.is_some_and(|x| x.require_symbols()),
            },
            domain: p.domain().map(str::to_string),
            custom_domain: p.custom_domain().map(str::to_string),
            custom_auth: lambda.is_some_and(|l| {
                l.define_auth_challenge().is_some()
                    && l.create_auth_challenge().is_some()
                    && l.verify_auth_challenge_response().is_some()
            }),
            sns_caller_arn: p
                .sms_configuration()
                .map(|s| s.sns_caller_arn().to_string()),
        })
    }

    async fn list_clients(&self, pool_id: &str) -> Result<Vec<(String, String)>, CloudError> {
        const ACTION: &str = "cognito-idp:ListUserPoolClients";
        let mut pages = self
            .client
            .list_user_pool_clients()
            .user_pool_id(pool_id)
            .max_results(60)
            .into_paginator()
            .send();
        let mut clients = Vec::new();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| CloudError::from_sdk(ACTION, format!("User pool {pool_id}"), e))?;
            clients.extend(page.user_pool_clients().iter().map(|c| {
                (
                    c.client_id().unwrap_or_default().to_string(),
                    c.client_name().unwrap_or_default().to_string(),
                )
            }));
        }
        Ok(clients)
    }

    async fn describe_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<AppClient, CloudError> {
        const ACTION: &str = "cognito-idp:DescribeUserPoolClient";
        let out = self
            .client
            .describe_user_pool_client()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk(ACTION, format!("App client {client_id}"), e))?;
        let Some(c) = out.user_pool_client() else {
            return Err(CloudError::NotFound {
                action: ACTION,
                what: format!("App client {client_id}"),
            });
        };
        Ok(AppClient {
            id: c.client_id().unwrap_or(client_id).to_string(),
            name: c.client_name().unwrap_or_default().to_string(),
            secret: c.client_secret().map(str::to_string),
            identity_providers: strings(c.supported_identity_providers()),
            callback_urls: strings(c.callback_urls()),
            logout_urls: strings(c.logout_urls()),
            oauth_flows: c
                .allowed_o_auth_flows()
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            oauth_scopes: strings(c.allowed_o_auth_scopes()),
            oauth_flows_user_pool_client: c
                .allowed_o_auth_flows_user_pool_client()
                .unwrap_or(false),
            write_attributes: strings(c.write_attributes()),
        })
    }

    async fn mfa_config(&self, pool_id: &str) -> Result<MfaConfig, CloudError> {
        let out = self
            .client
            .get_user_pool_mfa_config()
            .user_pool_id(pool_id)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:GetUserPoolMfaConfig",
                    format!("User pool {pool_id}"),
                    e,
                )
            })?;
        Ok(MfaConfig {
            sms: out.sms_mfa_configuration().is_some(),
            // As the Amplify CLI: the configuration object's presence counts.
            totp: out.software_token_mfa_configuration().is_some(),
        })
    }

    async fn identity_providers(&self, pool_id: &str) -> Result<Vec<IdentityProvider>, CloudError> {
        const ACTION: &str = "cognito-idp:ListIdentityProviders";
        let mut pages = self
            .client
            .list_identity_providers()
            .user_pool_id(pool_id)
            .max_results(60)
            .into_paginator()
            .send();
        let mut names = Vec::new();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| CloudError::from_sdk(ACTION, format!("User pool {pool_id}"), e))?;
            names.extend(
                page.providers()
                    .iter()
                    .filter_map(|p| p.provider_name().map(str::to_string)),
            );
        }
        let describe = names.iter().map(|name| async move {
            let out = self
                .client
                .describe_identity_provider()
                .user_pool_id(pool_id)
                .provider_name(name)
                .send()
                .await
                .map_err(|e| {
                    CloudError::from_sdk(
                        "cognito-idp:DescribeIdentityProvider",
                        format!("Identity provider {name}"),
                        e,
                    )
                })?;
            let p = out.identity_provider();
            Ok::<_, CloudError>(IdentityProvider {
                name: name.clone(),
                provider_type: p
                    .and_then(|p| p.provider_type())
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                details: p
                    .and_then(|p| p.provider_details())
                    .map(|d| d.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
            })
        });
        futures::future::try_join_all(describe).await
    }
}
