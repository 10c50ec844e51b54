//! An in-memory cloud implementing the service traits, for fast tests of the
//! flows and the apply engine: seeded directly, every call logged as
//! `service:Operation` (as the emulator's call log), and failures injected by
//! operation and occurrence.

use crate::vocab::MfaMode;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use serde_json::Value;

mod deploy;
mod lossy;

pub use lossy::LostReplies;

use super::CloudError;
use super::cognito_identity::{
    CognitoIdentity, CognitoProvider, IdentityPool, IdentityPoolRoles, IdentityPoolSummary,
};
use super::cognito_idp::{
    AppClient, CognitoIdp, IdentityProvider, MfaConfig, PasswordPolicy, UserPool, UserPoolSummary,
};
use super::iam::{Iam, Role};
use super::s3::S3;

#[derive(Default)]
struct State {
    pools: BTreeMap<String, (UserPool, Vec<AppClient>)>,
    identity_pools: BTreeMap<String, (IdentityPool, IdentityPoolRoles)>,
    roles: BTreeMap<String, Role>,
    policies: BTreeMap<(String, String), Value>,
    buckets: BTreeSet<String>,
    calls: Vec<String>,
    seen: HashMap<String, usize>,
    /// (operation, n): the n-th call (1-based) of the operation fails.
    failures: Vec<(String, usize)>,
    denied: BTreeSet<String>,
    /// Mutating calls left before the process "dies" (every call fails).
    lives: Option<usize>,
    next: u64,
    /// (trait method, n): the n-th call is carried out, its reply lost.
    lost: Vec<(String, usize)>,
    lost_seen: HashMap<String, usize>,
    /// What `Deploy` made (managed auth), apart from the seeded resources above.
    managed: deploy::Managed,
}

/// The in-memory cloud. Region: us-east-1, account 123456789012.
#[derive(Default)]
pub struct FakeCloud {
    state: Mutex<State>,
}

const REGION: &str = "us-east-1";

impl FakeCloud {
    pub fn new() -> Self {
        FakeCloud::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut s)
    }

    fn id(&self, len: usize) -> String {
        self.with(|s| {
            s.next += 1;
            let hex = format!("{:032x}", s.next.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            hex[hex.len() - len..].to_string()
        })
    }

    /// Logs the call; fails it when asked to.
    fn call(&self, op: &'static str) -> Result<(), CloudError> {
        self.with(|s| {
            let reads = [":Get", ":Describe", ":List", ":Head"];
            if let Some(left) = s.lives.as_mut() {
                if *left == 0 {
                    return Err(CloudError::Failed {
                        action: op,
                        message: "the process is gone".into(),
                    });
                }
                if !reads.iter().any(|r| op.contains(r)) {
                    *left -= 1;
                }
            }
            s.calls.push(op.to_string());
            let n = s.seen.entry(op.to_string()).or_default();
            *n += 1;
            let n = *n;
            if s.denied.contains(op) {
                return Err(CloudError::AccessDenied {
                    action: op,
                    message: "denied by the fake".into(),
                    detail: "AccessDeniedException: denied by the fake".into(),
                });
            }
            if s.failures.iter().any(|(o, k)| o == op && *k == n) {
                return Err(CloudError::Failed {
                    action: op,
                    message: format!("injected failure of call {n}"),
                });
            }
            Ok(())
        })
    }

    /// The calls made so far, as `service:Operation`.
    pub fn calls(&self) -> Vec<String> {
        self.with(|s| s.calls.clone())
    }

    pub fn reset_calls(&self) {
        self.with(|s| {
            s.calls.clear();
            s.seen.clear();
        })
    }

    /// Makes the `n`-th call (1-based, counted from now) of `op` fail.
    pub fn fail(&self, op: &str, n: usize) {
        self.with(|s| s.failures.push((op.to_string(), n)))
    }

    /// The process dies after `n` more mutating calls: every call after them
    /// fails, undo included (a kill); `revive` brings it back.
    pub fn die_after(&self, n: usize) {
        self.with(|s| s.lives = Some(n))
    }

    pub fn revive(&self) {
        self.with(|s| s.lives = None)
    }

    /// Every call of `op` is denied.
    pub fn deny(&self, op: &str) {
        self.with(|s| {
            s.denied.insert(op.to_string());
        })
    }

    // --- seeding -----------------------------------------------------------

    pub fn add_user_pool(&self, name: &str) -> String {
        let id = format!("{REGION}_{}", self.id(9));
        let pool = UserPool {
            id: id.clone(),
            name: name.into(),
            username_attributes: vec!["email".into()],
            auto_verified_attributes: vec!["email".into()],
            mfa: MfaMode::Off,
            required_attributes: vec!["email".into()],
            mutable_attributes: vec!["email".into()],
            password: PasswordPolicy {
                min_length: 8,
                lowercase: true,
                uppercase: true,
                numbers: true,
                symbols: true,
            },
            ..Default::default()
        };
        self.with(|s| s.pools.insert(id.clone(), (pool, Vec::new())));
        id
    }

    pub fn add_client(&self, pool: &str, name: &str, secret: bool) -> String {
        let id = self.id(26);
        let client = AppClient {
            id: id.clone(),
            name: name.into(),
            secret: secret.then(|| format!("secret-{id}")),
            ..Default::default()
        };
        self.with(|s| {
            if let Some((_, clients)) = s.pools.get_mut(pool) {
                clients.push(client);
            }
        });
        id
    }

    /// Changes a client in place (OAuth settings, ...).
    pub fn edit_client(&self, pool: &str, id: &str, f: impl FnOnce(&mut AppClient)) {
        self.with(|s| {
            if let Some(c) = s
                .pools
                .get_mut(pool)
                .and_then(|(_, cs)| cs.iter_mut().find(|c| c.id == id))
            {
                f(c);
            }
        })
    }

    pub fn add_identity_pool(
        &self,
        name: &str,
        pool: &str,
        clients: &[&str],
        allow_unauthenticated: bool,
    ) -> String {
        let id = format!("{REGION}:{}-0000-0000-0000-{}", self.id(8), self.id(12));
        let ip = IdentityPool {
            id: id.clone(),
            name: name.into(),
            allow_unauthenticated,
            cognito_providers: clients
                .iter()
                .map(|c| CognitoProvider {
                    provider_name: format!("cognito-idp.{REGION}.amazonaws.com/{pool}"),
                    client_id: c.to_string(),
                })
                .collect(),
            login_providers: BTreeMap::new(),
        };
        self.with(|s| {
            s.identity_pools
                .insert(id.clone(), (ip, IdentityPoolRoles::default()))
        });
        id
    }

    /// A role whose trust policy lets `identity_pool` assume it for `amr` identities.
    pub fn add_role(&self, name: &str, identity_pool: &str, amr: &str) -> String {
        let arn = format!("arn:aws:iam::123456789012:role/{name}");
        let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}
            }
        }]});
        self.with(|s| {
            s.roles.insert(
                name.into(),
                Role {
                    name: name.into(),
                    arn: arn.clone(),
                    trust_policy: trust,
                },
            )
        });
        arn
    }

    pub fn set_roles(&self, identity_pool: &str, auth: Option<&str>, unauth: Option<&str>) {
        self.with(|s| {
            if let Some((_, roles)) = s.identity_pools.get_mut(identity_pool) {
                roles.authenticated = auth.map(str::to_string);
                roles.unauthenticated = unauth.map(str::to_string);
            }
        })
    }

    /// An inline policy as it is now.
    pub fn policy(&self, role: &str, policy: &str) -> Option<Value> {
        self.with(|s| s.policies.get(&(role.into(), policy.into())).cloned())
    }

    /// Every inline policy of a role, by name.
    pub fn policies(&self, role: &str) -> BTreeMap<String, Value> {
        self.with(|s| {
            s.policies
                .iter()
                .filter(|((r, _), _)| r == role)
                .map(|((_, p), v)| (p.clone(), v.clone()))
                .collect()
        })
    }

    pub fn buckets(&self) -> Vec<String> {
        self.with(|s| s.buckets.iter().cloned().collect())
    }

    pub fn add_bucket(&self, bucket: &str) {
        self.with(|s| {
            s.buckets.insert(bucket.into());
        })
    }
}

fn not_found(action: &'static str, what: String) -> CloudError {
    CloudError::NotFound { action, what }
}

impl CognitoIdp for FakeCloud {
    async fn list_user_pools(&self) -> Result<Vec<UserPoolSummary>, CloudError> {
        self.call("cognito-idp:ListUserPools")?;
        // One namespace: the pools `Deploy` made are listed too.
        Ok(self.with(|s| {
            let seeded = s
                .pools
                .values()
                .map(|(p, _)| (p.id.clone(), p.name.clone()));
            let mut all: Vec<(String, String)> = seeded.chain(s.managed.pool_names()).collect();
            all.sort();
            all.into_iter()
                .map(|(id, name)| UserPoolSummary { id, name })
                .collect()
        }))
    }

    async fn describe_user_pool(&self, id: &str) -> Result<UserPool, CloudError> {
        self.call("cognito-idp:DescribeUserPool")?;
        self.with(|s| {
            s.pools
                .get(id)
                .map(|(p, _)| p.clone())
                .or_else(|| s.managed.described(id))
        })
        .ok_or_else(|| not_found("cognito-idp:DescribeUserPool", format!("User pool {id}")))
    }

    async fn list_clients(&self, pool_id: &str) -> Result<Vec<(String, String)>, CloudError> {
        self.call("cognito-idp:ListUserPoolClients")?;
        self.with(|s| {
            let clients = s.pools.get(pool_id).map(|(_, cs)| cs.clone());
            clients
                .or_else(|| s.managed.clients_of(pool_id))
                .map(|cs| cs.iter().map(|c| (c.id.clone(), c.name.clone())).collect())
        })
        .ok_or_else(|| {
            not_found(
                "cognito-idp:ListUserPoolClients",
                format!("User pool {pool_id}"),
            )
        })
    }

    async fn describe_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<AppClient, CloudError> {
        self.call("cognito-idp:DescribeUserPoolClient")?;
        self.with(|s| {
            let clients = s.pools.get(pool_id).map(|(_, cs)| cs.clone());
            clients
                .or_else(|| s.managed.clients_of(pool_id))
                .and_then(|cs| cs.into_iter().find(|c| c.id == client_id))
        })
        .ok_or_else(|| {
            not_found(
                "cognito-idp:DescribeUserPoolClient",
                format!("App client {client_id}"),
            )
        })
    }

    async fn mfa_config(&self, pool_id: &str) -> Result<MfaConfig, CloudError> {
        self.call("cognito-idp:GetUserPoolMfaConfig")?;
        let _ = pool_id;
        Ok(MfaConfig::default())
    }

    async fn identity_providers(
        &self,
        _pool_id: &str,
    ) -> Result<Vec<IdentityProvider>, CloudError> {
        self.call("cognito-idp:ListIdentityProviders")?;
        Ok(Vec::new())
    }
}

impl CognitoIdentity for FakeCloud {
    async fn list_identity_pools(&self) -> Result<Vec<IdentityPoolSummary>, CloudError> {
        self.call("cognito-identity:ListIdentityPools")?;
        Ok(self.with(|s| {
            s.identity_pools
                .values()
                .map(|(p, _)| IdentityPoolSummary {
                    id: p.id.clone(),
                    name: p.name.clone(),
                })
                .collect()
        }))
    }

    async fn describe_identity_pool(&self, id: &str) -> Result<IdentityPool, CloudError> {
        self.call("cognito-identity:DescribeIdentityPool")?;
        self.with(|s| s.identity_pools.get(id).map(|(p, _)| p.clone()))
            .ok_or_else(|| {
                not_found(
                    "cognito-identity:DescribeIdentityPool",
                    format!("Identity pool {id}"),
                )
            })
    }

    async fn identity_pool_roles(&self, id: &str) -> Result<IdentityPoolRoles, CloudError> {
        self.call("cognito-identity:GetIdentityPoolRoles")?;
        self.with(|s| s.identity_pools.get(id).map(|(_, r)| r.clone()))
            .ok_or_else(|| {
                not_found(
                    "cognito-identity:GetIdentityPoolRoles",
                    format!("Identity pool {id}"),
                )
            })
    }
}

impl Iam for FakeCloud {
    async fn get_role(&self, name: &str) -> Result<Role, CloudError> {
        self.call("iam:GetRole")?;
        self.with(|s| s.roles.get(name).cloned())
            .ok_or_else(|| not_found("iam:GetRole", format!("IAM role {name}")))
    }

    async fn get_role_policy(&self, role: &str, policy: &str) -> Result<Option<Value>, CloudError> {
        self.call("iam:GetRolePolicy")?;
        // IAM's NoSuchEntity (no role, or no such policy) is `None`, as the SDK wrapper reads it.
        Ok(self.with(|s| s.policies.get(&(role.into(), policy.into())).cloned()))
    }

    async fn put_role_policy(
        &self,
        role: &str,
        policy: &str,
        document: &Value,
    ) -> Result<(), CloudError> {
        self.call("iam:PutRolePolicy")?;
        self.with(|s| {
            if !s.roles.contains_key(role) {
                return Err(not_found("iam:PutRolePolicy", format!("IAM role {role}")));
            }
            s.policies
                .insert((role.into(), policy.into()), document.clone());
            Ok(())
        })
    }

    async fn delete_role_policy(&self, role: &str, policy: &str) -> Result<(), CloudError> {
        self.call("iam:DeleteRolePolicy")?;
        // Already gone is what the caller wanted (as the SDK wrapper treats it).
        self.with(|s| {
            s.policies.remove(&(role.to_string(), policy.to_string()));
        });
        Ok(())
    }
}

impl S3 for FakeCloud {
    async fn bucket_exists(&self, bucket: &str) -> Result<bool, CloudError> {
        self.call("s3:HeadBucket")?;
        Ok(self.with(|s| s.buckets.contains(bucket)))
    }

    async fn create_bucket(&self, bucket: &str, _region: &str) -> Result<(), CloudError> {
        self.call("s3:CreateBucket")?;
        self.with(|s| {
            s.buckets.insert(bucket.into());
        });
        Ok(())
    }

    async fn delete_bucket(&self, bucket: &str) -> Result<(), CloudError> {
        self.call("s3:DeleteBucket")?;
        self.with(|s| {
            s.buckets.remove(bucket);
        });
        Ok(())
    }
}
