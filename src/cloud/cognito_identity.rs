//! Amazon Cognito identity pools: discovery and roles.

use std::collections::BTreeMap;

use aws_sdk_cognitoidentity::{Client, Config};

use super::CloudError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityPoolSummary {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CognitoProvider {
    /// `cognito-idp.<region>.amazonaws.com/<userPoolId>`
    pub provider_name: String,
    pub client_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdentityPool {
    pub id: String,
    pub name: String,
    pub allow_unauthenticated: bool,
    pub cognito_providers: Vec<CognitoProvider>,
    /// e.g. `accounts.google.com` -> client id.
    pub login_providers: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdentityPoolRoles {
    pub authenticated: Option<String>,
    pub unauthenticated: Option<String>,
}

#[allow(async_fn_in_trait)]
pub trait CognitoIdentity {
    async fn list_identity_pools(&self) -> Result<Vec<IdentityPoolSummary>, CloudError>;
    async fn describe_identity_pool(&self, id: &str) -> Result<IdentityPool, CloudError>;
    async fn identity_pool_roles(&self, id: &str) -> Result<IdentityPoolRoles, CloudError>;
}

pub struct SdkCognitoIdentity {
    client: Client,
}

impl SdkCognitoIdentity {
    pub fn new(config: Config) -> Self {
        SdkCognitoIdentity {
            client: Client::from_conf(config),
        }
    }
}

impl CognitoIdentity for SdkCognitoIdentity {
    async fn list_identity_pools(&self) -> Result<Vec<IdentityPoolSummary>, CloudError> {
        const ACTION: &str = "cognito-identity:ListIdentityPools";
        let mut pages = self
            .client
            .list_identity_pools()
            .max_results(60)
            .into_paginator()
            .send();
        let mut pools = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| CloudError::from_sdk(ACTION, "Identity pools", e))?;
            pools.extend(page.identity_pools().iter().map(|p| IdentityPoolSummary {
                id: p.identity_pool_id().unwrap_or_default().to_string(),
                name: p.identity_pool_name().unwrap_or_default().to_string(),
            }));
        }
        Ok(pools)
    }

    async fn describe_identity_pool(&self, id: &str) -> Result<IdentityPool, CloudError> {
        let out = self
            .client
            .describe_identity_pool()
            .identity_pool_id(id)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-identity:DescribeIdentityPool",
                    format!("Identity pool {id}"),
                    e,
                )
            })?;
        Ok(IdentityPool {
            id: out.identity_pool_id().to_string(),
            name: out.identity_pool_name().to_string(),
            allow_unauthenticated: out.allow_unauthenticated_identities(),
            cognito_providers: out
                .cognito_identity_providers()
                .iter()
                .map(|p| CognitoProvider {
                    provider_name: p.provider_name().unwrap_or_default().to_string(),
                    client_id: p.client_id().unwrap_or_default().to_string(),
                })
                .collect(),
            login_providers: out
                .supported_login_providers()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        })
    }

    async fn identity_pool_roles(&self, id: &str) -> Result<IdentityPoolRoles, CloudError> {
        let out = self
            .client
            .get_identity_pool_roles()
            .identity_pool_id(id)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-identity:GetIdentityPoolRoles",
                    format!("Identity pool {id}"),
                    e,
                )
            })?;
        let roles = out.roles();
        Ok(IdentityPoolRoles {
            authenticated: roles.and_then(|r| r.get("authenticated")).cloned(),
            unauthenticated: roles.and_then(|r| r.get("unauthenticated")).cloned(),
        })
    }
}
