//! Reads of Cognito and IAM for an import: paged, concurrent where independent,
//! and remembered, so that a run never repeats a call (errors included).

use std::cell::RefCell;
use std::collections::HashMap;

use futures::{StreamExt, TryStreamExt};

use crate::cloud::CloudError;
use crate::cloud::cognito_identity::{CognitoIdentity, IdentityPool, IdentityPoolRoles};
use crate::cloud::cognito_idp::{AppClient, CognitoIdp, MfaConfig, UserPool, UserPoolSummary};
use crate::cloud::iam::{Iam, Role};

/// Identity pools (or clients) described at once (bounded, under API rate limits).
const DESCRIBE_CONCURRENCY: usize = 8;

type Answer<T> = Result<T, CloudError>;

/// Memo of one kind of read, keyed by id.
struct Memo<T>(RefCell<HashMap<String, Answer<T>>>);

impl<T: Clone> Memo<T> {
    fn new() -> Self {
        Memo(RefCell::new(HashMap::new()))
    }

    fn get(&self, key: &str) -> Option<Answer<T>> {
        self.0.borrow().get(key).cloned()
    }

    fn put(&self, key: &str, value: Answer<T>) -> Answer<T> {
        self.0.borrow_mut().insert(key.to_string(), value.clone());
        value
    }
}

/// Reads Cognito and IAM for an import, remembering every answer. Methods take
/// `&self`, so independent reads can run at once (`futures::join!`).
pub struct Discovery<'a, P, I, R> {
    idp: &'a P,
    identity: &'a I,
    iam: &'a R,
    pools: Memo<Vec<UserPoolSummary>>,
    described: Memo<UserPool>,
    /// Every client of a pool, described.
    clients: Memo<Vec<AppClient>>,
    /// Single clients described by id (`pool/client`).
    client: Memo<AppClient>,
    identity_pools: Memo<Vec<IdentityPool>>,
    identity_pool: Memo<IdentityPool>,
    roles: Memo<IdentityPoolRoles>,
    iam_roles: Memo<Role>,
    mfa: Memo<MfaConfig>,
}

const ALL: &str = "*";

impl<'a, P: CognitoIdp, I: CognitoIdentity, R: Iam> Discovery<'a, P, I, R> {
    pub fn new(idp: &'a P, identity: &'a I, iam: &'a R) -> Self {
        Discovery {
            idp,
            identity,
            iam,
            pools: Memo::new(),
            described: Memo::new(),
            clients: Memo::new(),
            client: Memo::new(),
            identity_pools: Memo::new(),
            identity_pool: Memo::new(),
            roles: Memo::new(),
            iam_roles: Memo::new(),
            mfa: Memo::new(),
        }
    }

    pub async fn user_pools(&self) -> Answer<Vec<UserPoolSummary>> {
        if let Some(a) = self.pools.get(ALL) {
            return a;
        }
        let got = self.idp.list_user_pools().await;
        self.pools.put(ALL, got)
    }

    pub async fn user_pool(&self, id: &str) -> Answer<UserPool> {
        if let Some(a) = self.described.get(id) {
            return a;
        }
        let got = self.idp.describe_user_pool(id).await;
        self.described.put(id, got)
    }

    /// Every app client of the pool, described (so secrets and OAuth settings are known).
    pub async fn clients(&self, pool_id: &str) -> Answer<Vec<AppClient>> {
        if let Some(a) = self.clients.get(pool_id) {
            return a;
        }
        let got = async {
            let ids = self.idp.list_clients(pool_id).await?;
            futures::stream::iter(ids)
                .map(|(id, _)| self.client(pool_id, id))
                .buffered(DESCRIBE_CONCURRENCY)
                .try_collect()
                .await
        }
        .await;
        self.clients.put(pool_id, got)
    }

    /// One app client by id (from the full list when it was read).
    pub async fn client(&self, pool_id: &str, id: String) -> Answer<AppClient> {
        if let Some(Ok(all)) = self.clients.get(pool_id)
            && let Some(c) = all.into_iter().find(|c| c.id == id)
        {
            return Ok(c);
        }
        let key = format!("{pool_id}/{id}");
        if let Some(a) = self.client.get(&key) {
            return a;
        }
        let got = self.idp.describe_client(pool_id, &id).await;
        self.client.put(&key, got)
    }

    /// Every identity pool of the region, described.
    pub async fn identity_pools(&self) -> Answer<Vec<IdentityPool>> {
        if let Some(a) = self.identity_pools.get(ALL) {
            return a;
        }
        let got = async {
            let summaries = self.identity.list_identity_pools().await?;
            futures::stream::iter(summaries)
                .map(|s| self.identity_pool(s.id))
                .buffered(DESCRIBE_CONCURRENCY)
                .try_collect()
                .await
        }
        .await;
        self.identity_pools.put(ALL, got)
    }

    /// One identity pool by id.
    pub async fn identity_pool(&self, id: String) -> Answer<IdentityPool> {
        if let Some(Ok(all)) = self.identity_pools.get(ALL)
            && let Some(p) = all.into_iter().find(|p| p.id == id)
        {
            return Ok(p);
        }
        if let Some(a) = self.identity_pool.get(&id) {
            return a;
        }
        let got = self.identity.describe_identity_pool(&id).await;
        self.identity_pool.put(&id, got)
    }

    pub async fn identity_pool_roles(&self, id: &str) -> Answer<IdentityPoolRoles> {
        if let Some(a) = self.roles.get(id) {
            return a;
        }
        let got = self.identity.identity_pool_roles(id).await;
        self.roles.put(id, got)
    }

    pub async fn mfa(&self, pool: &UserPool) -> MfaConfig {
        // Amplify asks only when MFA is on; the answer is empty otherwise.
        if pool.mfa.is_off() {
            return MfaConfig::default();
        }
        if let Some(a) = self.mfa.get(&pool.id) {
            return a.unwrap_or_default();
        }
        // The MFA types only decorate the client files; like the Amplify CLI, a
        // failed read (e.g. a missing permission) imports without them.
        let got = self.idp.mfa_config(&pool.id).await;
        self.mfa.put(&pool.id, got).unwrap_or_default()
    }

    /// The roles' documents, read concurrently, one call per distinct role.
    pub async fn iam_roles(&self, names: &[String]) -> Vec<Answer<Role>> {
        let mut missing: Vec<&String> = names
            .iter()
            .filter(|n| self.iam_roles.get(n).is_none())
            .collect();
        missing.sort();
        missing.dedup();
        let fetched = futures::future::join_all(missing.iter().map(|n| self.iam.get_role(n))).await;
        for (name, got) in missing.into_iter().zip(fetched) {
            let _ = self.iam_roles.put(name, got);
        }
        names
            .iter()
            .map(|n| {
                self.iam_roles
                    .get(n)
                    .unwrap_or_else(|| Err(CloudError::Runtime("role not read".into())))
            })
            .collect()
    }
}
