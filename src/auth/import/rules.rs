//! The import's rules, with the Amplify CLI's messages and the fix for each:
//! which clients and identity pools qualify, the roles, OAuth agreement between
//! the clients, and what social sign-in needs.

use crate::cloud::CloudError;
use crate::cloud::cognito_identity::{CognitoIdentity, IdentityPool, IdentityPoolRoles};
use crate::cloud::cognito_idp::{AppClient, CognitoIdp, UserPool};
use crate::cloud::iam::Iam;

use crate::auth::error::AuthError;
use crate::auth::model::{AuthSelections, ImportedEnvParams, OAuthSettings, RoleRef};
use crate::vocab::is_standard_attribute;

/// The clients of a pool that qualify for each side.
#[derive(Clone, Debug)]
pub struct PoolClients {
    /// Web clients: no secret.
    pub web: Vec<AppClient>,
    /// Native clients: any client.
    pub native: Vec<AppClient>,
}

/// A pool's clients split into web and native; fails without a web client.
pub fn split_clients(clients: Vec<AppClient>) -> Result<PoolClients, AuthError> {
    let web: Vec<AppClient> = clients.iter().filter(|c| c.is_web()).cloned().collect();
    if web.is_empty() {
        return Err(AuthError::NoWebClient);
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

pub fn no_identity_pool_for_clients_error(web: &AppClient, native: &AppClient) -> AuthError {
    AuthError::NoIdentityPoolForClients {
        web_name: web.name.clone(),
        web_id: web.id.clone(),
        native_name: native.name.clone(),
        native_id: native.id.clone(),
    }
}

/// The identity pool's roles. The unauthenticated role is required only when the
/// pool allows unauthenticated identities.
pub fn linked_roles(
    ip: &IdentityPool,
    roles: &IdentityPoolRoles,
) -> Result<(RoleRef, Option<RoleRef>), AuthError> {
    let missing = || AuthError::MissingRoles {
        name: ip.name.clone(),
        id: ip.id.clone(),
    };
    let parse = |arn: &str| RoleRef::parse(arn).ok_or_else(|| AuthError::BadRoleArn(arn.into()));
    let auth = roles.authenticated.as_deref().ok_or_else(missing)?;
    let unauth = match (&roles.unauthenticated, ip.allow_unauthenticated) {
        (Some(arn), _) => Some(parse(arn)?),
        (None, false) => None,
        (None, true) => return Err(missing()),
    };
    Ok((parse(auth)?, unauth))
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

/// Required attributes social sign-in cannot fill: not mutable on the pool, or not
/// writable by a client (users then fail at first social sign-in).
pub fn social_attribute_problems(pool: &UserPool, clients: &[&AppClient]) -> Vec<String> {
    let mut problems = Vec::new();
    // `sub` is required and immutable on every pool, and never set by sign-in.
    for attr in pool
        .required_attributes
        .iter()
        .filter(|a| is_standard_attribute(a))
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
pub fn require(selections: AuthSelections, candidates: &[IdentityPool]) -> Result<(), AuthError> {
    if selections == AuthSelections::IdentityPoolAndUserPool && candidates.is_empty() {
        return Err(AuthError::NoIdentityPool);
    }
    Ok(())
}

/// Which of the recorded resources no longer exist (read-only calls, concurrent).
pub async fn missing_resources<'a, P: CognitoIdp, I: CognitoIdentity, R: Iam>(
    idp: &P,
    identity: &I,
    iam: &R,
    ids: &'a ImportedEnvParams,
) -> Result<Vec<String>, CloudError> {
    let Some(pool) = ids.user_pool() else {
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
    let client = |id: Option<&'a str>, kind: &'static str| async move {
        match id {
            Some(id) => gone(
                idp.describe_client(pool, id).await.map(|_| ()),
                format!("{kind} app client {id}"),
            ),
            None => Ok(None),
        }
    };
    let identity_pool = async {
        match ids.identity_pool() {
            Some(id) => gone(
                identity.describe_identity_pool(id).await.map(|_| ()),
                format!("Identity pool {id}"),
            ),
            None => Ok(None),
        }
    };
    let role = |name: Option<&'a str>| async move {
        match name {
            Some(n) => gone(iam.get_role(n).await.map(|_| ()), format!("IAM role {n}")),
            None => Ok(None),
        }
    };
    // The same client or role is asked about once.
    let native_id = ids.native_client().filter(|n| Some(*n) != ids.web_client());
    let unauth_role = ids.unauth_role().filter(|u| Some(*u) != ids.auth_role());
    let (web, native, ip, auth, unauth) = futures::join!(
        client(ids.web_client(), "Web"),
        client(native_id, "Native"),
        identity_pool,
        role(ids.auth_role()),
        role(unauth_role),
    );
    Ok([web?, native?, ip?, auth?, unauth?]
        .into_iter()
        .flatten()
        .collect())
}
