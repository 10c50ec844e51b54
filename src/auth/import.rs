//! Importing existing Cognito resources: discovery (paged, concurrent, cached so a
//! run never repeats a call) and the validation rules, with the Amplify CLI's
//! messages and the fix for each.

use std::collections::HashMap;

use futures::{StreamExt, TryStreamExt};

use crate::cloud::CloudError;
use crate::cloud::cognito_identity::{CognitoIdentity, IdentityPool, IdentityPoolRoles};
use crate::cloud::cognito_idp::{AppClient, CognitoIdp, MfaConfig, UserPool, UserPoolSummary};
use crate::cloud::iam::{Iam, Role, role_name_from_arn};
use crate::error::Error;

use super::AuthSelections;

/// Identity pools described at once (bounded, to stay under API rate limits).
const DESCRIBE_CONCURRENCY: usize = 8;

/// Reads Cognito and IAM for an import, remembering every answer.
pub struct Discovery<'a, P, I, R> {
    idp: &'a P,
    identity: &'a I,
    iam: &'a R,
    pools: Option<Vec<UserPoolSummary>>,
    described: HashMap<String, UserPool>,
    clients: HashMap<String, Vec<AppClient>>,
    identity_pools: Option<Vec<IdentityPool>>,
    roles: HashMap<String, IdentityPoolRoles>,
    iam_roles: HashMap<String, Result<Role, String>>,
}

impl<'a, P: CognitoIdp, I: CognitoIdentity, R: Iam> Discovery<'a, P, I, R> {
    pub fn new(idp: &'a P, identity: &'a I, iam: &'a R) -> Self {
        Discovery {
            idp,
            identity,
            iam,
            pools: None,
            described: HashMap::new(),
            clients: HashMap::new(),
            identity_pools: None,
            roles: HashMap::new(),
            iam_roles: HashMap::new(),
        }
    }

    pub async fn user_pools(&mut self) -> Result<Vec<UserPoolSummary>, CloudError> {
        if self.pools.is_none() {
            self.pools = Some(self.idp.list_user_pools().await?);
        }
        Ok(self.pools.clone().unwrap_or_default())
    }

    pub async fn user_pool(&mut self, id: &str) -> Result<UserPool, CloudError> {
        if !self.described.contains_key(id) {
            let pool = self.idp.describe_user_pool(id).await?;
            self.described.insert(id.to_string(), pool);
        }
        Ok(self.described[id].clone())
    }

    /// Every app client of the pool, described (so secrets and OAuth settings are known).
    pub async fn clients(&mut self, pool_id: &str) -> Result<Vec<AppClient>, CloudError> {
        if !self.clients.contains_key(pool_id) {
            let ids = self.idp.list_clients(pool_id).await?;
            let idp = self.idp;
            let described: Vec<AppClient> = futures::stream::iter(ids)
                .map(|(id, _)| async move { idp.describe_client(pool_id, &id).await })
                .buffered(DESCRIBE_CONCURRENCY)
                .try_collect()
                .await?;
            self.clients.insert(pool_id.to_string(), described);
        }
        Ok(self.clients[pool_id].clone())
    }

    /// Every identity pool of the region, described.
    pub async fn identity_pools(&mut self) -> Result<Vec<IdentityPool>, CloudError> {
        if self.identity_pools.is_none() {
            let summaries = self.identity.list_identity_pools().await?;
            let identity = self.identity;
            let described: Vec<IdentityPool> = futures::stream::iter(summaries)
                .map(|s| async move { identity.describe_identity_pool(&s.id).await })
                .buffered(DESCRIBE_CONCURRENCY)
                .try_collect()
                .await?;
            self.identity_pools = Some(described);
        }
        Ok(self.identity_pools.clone().unwrap_or_default())
    }

    pub async fn identity_pool_roles(&mut self, id: &str) -> Result<IdentityPoolRoles, CloudError> {
        if !self.roles.contains_key(id) {
            let roles = self.identity.identity_pool_roles(id).await?;
            self.roles.insert(id.to_string(), roles);
        }
        Ok(self.roles[id].clone())
    }

    pub async fn mfa(&mut self, pool: &UserPool) -> Result<MfaConfig, CloudError> {
        // Amplify asks only when MFA is on; the answer is empty otherwise.
        if pool.mfa == "OFF" {
            return Ok(MfaConfig::default());
        }
        // The MFA types only decorate the client files; like the Amplify CLI, a
        // failed read (e.g. a missing permission) imports without them.
        Ok(self.idp.mfa_config(&pool.id).await.unwrap_or_default())
    }

    /// The roles' documents, read concurrently; a failure is kept as its message
    /// (trust checks then warn instead of failing the import).
    pub async fn iam_roles(&mut self, names: &[String]) -> Vec<Result<Role, String>> {
        let mut missing: Vec<&String> = names
            .iter()
            .filter(|n| !self.iam_roles.contains_key(*n))
            .collect();
        // One call per role, even when both identities share it.
        missing.sort();
        missing.dedup();
        let iam = self.iam;
        let fetched = futures::future::join_all(missing.iter().map(|n| async move {
            (
                (*n).clone(),
                iam.get_role(n).await.map_err(|e| e.to_string()),
            )
        }))
        .await;
        self.iam_roles.extend(fetched);
        names.iter().map(|n| self.iam_roles[n].clone()).collect()
    }
}

/// The clients of a pool that qualify for each side.
#[derive(Clone, Debug)]
pub struct PoolClients {
    /// Web clients: no secret.
    pub web: Vec<AppClient>,
    /// Native clients: any client.
    pub native: Vec<AppClient>,
}

/// A pool's clients split into web and native; fails without a web client.
pub fn split_clients(clients: Vec<AppClient>) -> Result<PoolClients, Error> {
    let web: Vec<AppClient> = clients.iter().filter(|c| c.is_web()).cloned().collect();
    if web.is_empty() {
        return Err(Error::refused(
            "The selected Cognito User Pool does not have at least 1 Web app client configured. Web app clients are app clients without a client secret.",
            "Create an app client without a client secret in the user pool (Cognito console → App integration → App clients), then run the import again.",
        ));
    }
    Ok(PoolClients {
        web,
        native: clients,
    })
}

/// The `cognito-idp.<region>.amazonaws.com/<poolId>` provider names of a pool.
fn names_pool(provider_name: &str, pool_id: &str) -> bool {
    provider_name.ends_with(&format!("/{pool_id}")) || provider_name == pool_id
}

/// Identity pools that use this user pool with at least one web client and one client.
pub fn pool_candidates(
    pools: &[IdentityPool],
    pool_id: &str,
    clients: &PoolClients,
) -> Vec<IdentityPool> {
    pools
        .iter()
        .filter(|ip| {
            let providers: Vec<_> = ip
                .cognito_providers
                .iter()
                .filter(|p| names_pool(&p.provider_name, pool_id))
                .collect();
            providers
                .iter()
                .any(|p| clients.web.iter().any(|c| c.id == p.client_id))
                && providers
                    .iter()
                    .any(|p| clients.native.iter().any(|c| c.id == p.client_id))
        })
        .cloned()
        .collect()
}

pub fn no_identity_pool_error() -> Error {
    Error::refused(
        "There are no Identity Pools found which has the selected Cognito User Pool configured as identity provider.",
        "Add the user pool and its app clients as a Cognito identity provider of an identity pool (Cognito console → Identity pools → User access), or import the User Pool only.",
    )
}

/// Narrows candidates to identity pools that name the *selected* clients (the
/// Amplify CLI intends this but its filter is a no-op).
pub fn pools_for_clients(
    candidates: &[IdentityPool],
    pool_id: &str,
    web: &str,
    native: &str,
) -> Vec<IdentityPool> {
    candidates
        .iter()
        .filter(|ip| {
            let has = |client: &str| {
                ip.cognito_providers
                    .iter()
                    .any(|p| names_pool(&p.provider_name, pool_id) && p.client_id == client)
            };
            has(web) && has(native)
        })
        .cloned()
        .collect()
}

pub fn no_identity_pool_for_clients_error(web: &AppClient, native: &AppClient) -> Error {
    Error::refused(
        "There are no Identity Pools found which has the selected app clients configured as identity providers.",
        format!(
            "Add both app clients ('{}' {} and '{}' {}) to the identity pool's Cognito identity providers, or choose other clients.",
            web.name, web.id, native.name, native.id
        ),
    )
}

/// A role the identity pool hands out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRef {
    pub arn: String,
    pub name: String,
}

impl RoleRef {
    pub fn parse(arn: &str) -> Result<RoleRef, Error> {
        let name = role_name_from_arn(arn).ok_or_else(|| {
            Error::refused(
                format!("Cannot parse arn: '{arn}'."),
                "Set an IAM role ARN (arn:aws:iam::<account>:role/<path/>Name) as the identity pool's role.",
            )
        })?;
        Ok(RoleRef {
            arn: arn.to_string(),
            name: name.to_string(),
        })
    }
}

/// The identity pool's roles. The unauthenticated role is required only when the
/// pool allows unauthenticated identities.
pub fn linked_roles(
    ip: &IdentityPool,
    roles: &IdentityPoolRoles,
) -> Result<(RoleRef, Option<RoleRef>), Error> {
    let missing = || {
        Error::refused(
            "Cannot import Identity Pool without 'authenticated' and 'unauthenticated' roles.",
            format!(
                "Set the roles of identity pool '{}' ({}) (Cognito console → Identity pools → User access, or `aws cognito-identity set-identity-pool-roles`), then run the import again.",
                ip.name, ip.id
            ),
        )
    };
    let auth = roles.authenticated.as_deref().ok_or_else(missing)?;
    let unauth = match (&roles.unauthenticated, ip.allow_unauthenticated) {
        (Some(arn), _) => Some(RoleRef::parse(arn)?),
        (None, false) => None,
        (None, true) => return Err(missing()),
    };
    Ok((RoleRef::parse(auth)?, unauth))
}

/// The OAuth settings the project takes from the web client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OAuthSettings {
    pub providers: Vec<String>,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub flows: Vec<String>,
    pub scopes: Vec<String>,
    pub flows_user_pool_client: bool,
}

/// One property that differs between the web and the native client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub title: &'static str,
    pub web: Vec<String>,
    pub native: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OAuthCheck {
    /// Neither client has identity providers: no OAuth.
    NotConfigured,
    Matching(OAuthSettings),
    Mismatching {
        settings: OAuthSettings,
        mismatches: Vec<Mismatch>,
        /// Only callback / logout URLs differ (a web app and a mobile app).
        urls_only: bool,
    },
}

const OAUTH_PROVIDERS: &[&str] = &[
    "COGNITO",
    "Facebook",
    "Google",
    "LoginWithAmazon",
    "SignInWithApple",
];

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// Compares the two clients' OAuth configuration as the Amplify CLI does.
pub fn compare_oauth(web: &AppClient, native: &AppClient) -> OAuthCheck {
    if web.identity_providers.is_empty() && native.identity_providers.is_empty() {
        return OAuthCheck::NotConfigured;
    }
    let flag = |c: &AppClient| vec![c.oauth_flows_user_pool_client.to_string()];
    let props: [(&'static str, Vec<String>, Vec<String>); 6] = [
        (
            "Configured Identity Providers:",
            sorted(&web.identity_providers),
            sorted(&native.identity_providers),
        ),
        (
            "OAuth Flow Enabled for app client:",
            flag(web),
            flag(native),
        ),
        (
            "Callback URLs:",
            sorted(&web.callback_urls),
            sorted(&native.callback_urls),
        ),
        (
            "Logout URLs:",
            sorted(&web.logout_urls),
            sorted(&native.logout_urls),
        ),
        (
            "Allowed OAuth Flows:",
            sorted(&web.oauth_flows),
            sorted(&native.oauth_flows),
        ),
        (
            "Allowed OAuth Scopes:",
            sorted(&web.oauth_scopes),
            sorted(&native.oauth_scopes),
        ),
    ];
    let mismatches: Vec<Mismatch> = props
        .into_iter()
        .filter(|(_, w, n)| w != n)
        .map(|(title, web, native)| Mismatch { title, web, native })
        .collect();
    let settings = OAuthSettings {
        providers: web
            .identity_providers
            .iter()
            .filter(|p| OAUTH_PROVIDERS.contains(&p.as_str()))
            .cloned()
            .collect(),
        callback_urls: web.callback_urls.clone(),
        logout_urls: web.logout_urls.clone(),
        flows: web.oauth_flows.clone(),
        scopes: web.oauth_scopes.clone(),
        flows_user_pool_client: web.oauth_flows_user_pool_client,
    };
    if mismatches.is_empty() {
        OAuthCheck::Matching(settings)
    } else {
        let urls_only = mismatches
            .iter()
            .all(|m| matches!(m.title, "Callback URLs:" | "Logout URLs:"));
        OAuthCheck::Mismatching {
            settings,
            mismatches,
            urls_only,
        }
    }
}

pub fn oauth_mismatch_error() -> Error {
    Error::refused(
        "OAuth properties for the app clients are not matching.",
        "Make the web and native clients' identity providers, OAuth flows and scopes the same (Cognito console → App client → Login pages), or choose other clients.",
    )
}

/// Required attributes social sign-in cannot fill: not mutable on the pool, or not
/// writable by a client (users then fail at first social sign-in).
pub fn social_attribute_problems(pool: &UserPool, clients: &[&AppClient]) -> Vec<String> {
    let mut problems = Vec::new();
    // `sub` is required and immutable on every pool, and never set by sign-in.
    for attr in pool
        .required_attributes
        .iter()
        .filter(|a| super::state::STANDARD_ATTRIBUTES.contains(&a.as_str()))
    {
        if !pool.mutable_attributes.contains(attr) {
            problems.push(format!(
                "Required attribute '{attr}' is not mutable in user pool '{}': social sign-in cannot update it. Fix: recreate the attribute as mutable (attributes cannot be changed after pool creation) or stop requiring it.",
                pool.name
            ));
        }
        for c in clients {
            if !c.write_attributes.is_empty() && !c.write_attributes.contains(attr) {
                problems.push(format!(
                    "Required attribute '{attr}' is not writable by app client '{}': social sign-in cannot set it. Fix: add it to the client's attribute write permissions.",
                    c.name
                ));
            }
        }
    }
    problems.dedup();
    problems
}

/// The pool's allowed selections: `selections` needs an identity pool candidate.
pub fn require(selections: AuthSelections, candidates: &[IdentityPool]) -> Result<(), Error> {
    if selections == AuthSelections::IdentityPoolAndUserPool && candidates.is_empty() {
        return Err(no_identity_pool_error());
    }
    Ok(())
}

/// The ids an env records for an imported resource (team-provider-info.json).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvIds {
    pub user_pool_id: Option<String>,
    pub web_client_id: Option<String>,
    pub native_client_id: Option<String>,
    pub identity_pool_id: Option<String>,
    pub auth_role_name: Option<String>,
    pub unauth_role_name: Option<String>,
}

impl EnvIds {
    pub fn from_params(params: Option<&serde_json::Map<String, serde_json::Value>>) -> EnvIds {
        let get = |k: &str| {
            params
                .and_then(|p| p.get(k))
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        EnvIds {
            user_pool_id: get("userPoolId"),
            web_client_id: get("webClientId"),
            native_client_id: get("nativeClientId"),
            identity_pool_id: get("identityPoolId"),
            auth_role_name: get("authRoleName"),
            unauth_role_name: get("unauthRoleName"),
        }
    }
}

/// Which of the recorded resources no longer exist (read-only calls, concurrent).
pub async fn missing_resources<P: CognitoIdp, I: CognitoIdentity, R: Iam>(
    idp: &P,
    identity: &I,
    iam: &R,
    ids: &EnvIds,
) -> Result<Vec<String>, CloudError> {
    let Some(pool) = ids.user_pool_id.as_deref() else {
        return Ok(Vec::new());
    };
    let gone = |r: Result<(), CloudError>, what: String| -> Result<Option<String>, CloudError> {
        match r {
            Ok(()) => Ok(None),
            Err(e) if e.is_not_found() => Ok(Some(what)),
            Err(e) => Err(e),
        }
    };
    let pool_check = idp.describe_user_pool(pool).await.map(|_| ());
    if let Some(missing) = gone(pool_check, format!("User pool {pool}"))? {
        // Its clients went with it; say only the pool.
        return Ok(vec![missing]);
    }
    let client = |id: Option<String>, kind: &'static str| async move {
        match id {
            Some(id) => gone(
                idp.describe_client(pool, &id).await.map(|_| ()),
                format!("{kind} app client {id}"),
            ),
            None => Ok(None),
        }
    };
    let identity_pool = async {
        match &ids.identity_pool_id {
            Some(id) => gone(
                identity.describe_identity_pool(id).await.map(|_| ()),
                format!("Identity pool {id}"),
            ),
            None => Ok(None),
        }
    };
    let role = |name: Option<String>| async move {
        match name {
            Some(n) => gone(iam.get_role(&n).await.map(|_| ()), format!("IAM role {n}")),
            None => Ok(None),
        }
    };
    // The same client or role is asked about once.
    let native_id = ids
        .native_client_id
        .clone()
        .filter(|n| Some(n) != ids.web_client_id.as_ref());
    let unauth_role = ids
        .unauth_role_name
        .clone()
        .filter(|u| Some(u) != ids.auth_role_name.as_ref());
    let (web, native, ip, auth, unauth) = futures::join!(
        client(ids.web_client_id.clone(), "Web"),
        client(native_id, "Native"),
        identity_pool,
        role(ids.auth_role_name.clone()),
        role(unauth_role),
    );
    Ok([web?, native?, ip?, auth?, unauth?]
        .into_iter()
        .flatten()
        .collect())
}
