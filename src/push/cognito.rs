//! Amplify-managed auth on the apply engine: one typed [`Resource`] per
//! resource type (user pool, app client, hosted UI domain, social provider,
//! group, identity pool, its role attachment, IAM role), each over the cloud
//! trait of its own resource, sharing the [`Registry`] of physical ids.
//!
//! A resource's key is its name (a child's is `<user pool>/<name>`). What a
//! resource needs from another that may not exist yet (a client's user pool
//! id, a role's ARN) is a reference in its spec (see [`super::registry::Ref`]).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::engine::Key;
use super::fields::kept;
use super::registry::Registry;
use super::resource::{Live, Resource};
use crate::cloud::CloudError;
use crate::cloud::deploy::{
    ClientApi, ClientSpec, DomainApi, DomainSpec, GroupApi, GroupSpec, IdentityPoolApi,
    IdentityPoolSpec, LivePool, PoolRoles, PoolSpec, ProviderSpec, RoleApi, RoleSpec, SocialApi,
    UserPoolApi, over,
};

pub const USER_POOL: &str = "user-pool";
pub const CLIENT: &str = "user-pool-client";
pub const DOMAIN: &str = "user-pool-domain";
pub const SOCIAL: &str = "identity-provider";
pub const GROUP: &str = "user-pool-group";
pub const IDENTITY_POOL: &str = "identity-pool";
pub const POOL_ROLES: &str = "identity-pool-roles";
pub const ROLE: &str = "iam-role";

/// The resources' shared view of the cloud and of what is known.
pub struct Managed<'a, D> {
    pub cloud: &'a D,
    pub registry: &'a Registry,
}

/// The tag authwiz puts on what it makes (`auth/<resource>`).
pub const OWNER_TAG: &str = "authwiz:resource";

/// A pool found by name is taken over only if authwiz made it: one the Amplify
/// CLI deploys (same names) stays its own.
pub(super) fn ours(key: &Key, tags: &BTreeMap<String, String>) -> Result<(), CloudError> {
    if tags.contains_key(OWNER_TAG) {
        return Ok(());
    }
    Err(CloudError::Failed {
        action: "push",
        message: format!(
            "{key} exists but authwiz did not make it (it has no {OWNER_TAG} tag; the Amplify CLI deploys pools under the same names). authwiz does not take it over: push this env with the Amplify CLI, or remove the auth resource and add it again under new names."
        ),
    })
}

/// `<user pool>/<child>` → (user pool key, child name).
fn parent(key: &Key) -> (Key, String) {
    let (pool, child) = key.name.split_once('/').unwrap_or((&key.name, ""));
    (Key::new(USER_POOL, pool), child.to_string())
}

fn missing(message: String) -> CloudError {
    CloudError::Failed {
        action: "push",
        message,
    }
}

fn pool_id<D>(m: &Managed<'_, D>, key: &Key) -> Result<String, CloudError> {
    let (pool_key, _) = parent(key);
    m.registry
        .id(&pool_key)
        .ok_or_else(|| missing(format!("the user pool of {key} does not exist")))
}

pub struct UserPools<'a, D>(pub &'a Managed<'a, D>);

fn live_pool(pool: LivePool) -> Live<PoolSpec> {
    Live {
        spec: pool.spec,
        id: pool.id,
        arn: Some(pool.arn),
        users: Some(pool.users),
    }
}

impl<D: UserPoolApi> Resource for UserPools<'_, D> {
    type Spec = PoolSpec;
    const KIND: &'static str = USER_POOL;
    // What UpdateUserPool cannot change (`update auth` refuses these).
    const CREATE_ONLY: &'static [&'static str] = &[
        "usernameAttributes",
        "aliasAttributes",
        "requiredAttributes",
        "caseSensitive",
    ];

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read_own(&self, key: &Key) -> Result<Option<Live<PoolSpec>>, CloudError> {
        let Some(id) = self.0.registry.id(key) else {
            return Ok(None);
        };
        Ok(self.0.cloud.read_user_pool(&id).await?.map(live_pool))
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<PoolSpec>>, CloudError> {
        let m = self.0;
        let known = m.registry.id(key);
        let mut pool = match &known {
            Some(id) => m.cloud.read_user_pool(id).await?,
            None => None,
        };
        // No recorded id, or one that is gone (an undo makes things again
        // under new ids): the pool is looked for by name, and taken only if
        // authwiz made it.
        if pool.is_none()
            && (known.is_some() || m.registry.searching(key))
            && let Some(id) = m.cloud.find_user_pool(&key.name).await?
        {
            pool = m.cloud.read_user_pool(&id).await?;
            if let Some(p) = &pool {
                ours(key, &p.spec.tags)?;
            }
        }
        let Some(pool) = pool else {
            // Gone: what refers to it waits for the pool this push makes.
            m.registry.forget(key);
            return Ok(None);
        };
        m.registry.know(key, &pool.id, Some(&pool.arn));
        Ok(Some(live_pool(pool)))
    }

    async fn create(&self, key: &Key, spec: PoolSpec) -> Result<Live<PoolSpec>, CloudError> {
        let m = self.0;
        let (id, arn) = m.cloud.create_user_pool(&spec).await?;
        // Known before the next call, so that a failure below undoes it.
        m.registry.know(key, &id, Some(&arn));
        // A new pool has MFA off; only anything else needs the call.
        if spec.needs_mfa_call() {
            m.cloud.set_mfa(&id, &spec).await?;
        }
        Ok(Live::new(spec, id).with_arn(arn))
    }

    async fn update(
        &self,
        _key: &Key,
        live: Live<PoolSpec>,
        mut spec: PoolSpec,
    ) -> Result<(), CloudError> {
        let was = live.spec;
        // UpdateUserPool resets what it is not sent: settings the overrides
        // file no longer names stay as they are.
        spec.overrides = over(&was.overrides, spec.overrides);
        spec.others = was.others.clone();
        spec.tags = kept(&was.tags, &spec.tags);
        // The MFA mode changes with its configuration (SetUserPoolMfaConfig,
        // after); UpdateUserPool keeps the one the pool has until then.
        let first = PoolSpec {
            mfa: was.mfa,
            ..spec.clone()
        };
        self.0.cloud.update_user_pool(&live.id, &first).await?;
        if was.mfa_settings() != spec.mfa_settings() {
            self.0.cloud.set_mfa(&live.id, &spec).await?;
        }
        Ok(())
    }

    async fn delete(&self, _key: &Key, live: Live<PoolSpec>) -> Result<(), CloudError> {
        self.0.cloud.delete_user_pool(&live.id).await
    }
}

pub struct Clients<'a, D>(pub &'a Managed<'a, D>);

impl<D: ClientApi> Resource for Clients<'_, D> {
    type Spec = ClientSpec;
    const KIND: &'static str = CLIENT;
    // A client secret is chosen when the client is made.
    const CREATE_ONLY: &'static [&'static str] = &["generateSecret"];

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read_own(&self, key: &Key) -> Result<Option<Live<ClientSpec>>, CloudError> {
        let m = self.0;
        let (pool_key, _) = parent(key);
        let (Some(pool), Some(id)) = (m.registry.id(&pool_key), m.registry.id(key)) else {
            return Ok(None);
        };
        let client = m.cloud.read_client(&pool, &id).await?;
        Ok(client.map(|c| Live::new(c.spec, c.id)))
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<ClientSpec>>, CloudError> {
        let m = self.0;
        let (pool_key, name) = parent(key);
        let Some(pool) = m.registry.id(&pool_key) else {
            return Ok(None);
        };
        let mut found = None;
        if let Some(id) = m.registry.id(key) {
            found = m.cloud.read_client(&pool, &id).await?;
        }
        // A client is one of its pool's: by name when its id is not (or no
        // longer) known.
        if found.is_none()
            && let Some(id) = m.cloud.find_client(&pool, &name).await?
        {
            found = m.cloud.read_client(&pool, &id).await?;
        }
        let Some(client) = found else {
            return Ok(None);
        };
        m.registry.know(key, &client.id, None);
        m.registry.know_secret(key, client.secret);
        Ok(Some(Live::new(client.spec, client.id)))
    }

    async fn create(&self, key: &Key, spec: ClientSpec) -> Result<Live<ClientSpec>, CloudError> {
        let m = self.0;
        let pool = pool_id(m, key)?;
        let client = m.cloud.create_client(&pool, &spec).await?;
        m.registry.know(key, &client.id, None);
        m.registry.know_secret(key, client.secret);
        Ok(Live::new(spec, client.id))
    }

    async fn update(
        &self,
        key: &Key,
        live: Live<ClientSpec>,
        mut spec: ClientSpec,
    ) -> Result<(), CloudError> {
        // UpdateUserPoolClient resets what it is not sent (as UpdateUserPool).
        spec.overrides = over(&live.spec.overrides, spec.overrides);
        spec.others = live.spec.others;
        let pool = pool_id(self.0, key)?;
        self.0.cloud.update_client(&pool, &live.id, &spec).await
    }

    async fn delete(&self, key: &Key, live: Live<ClientSpec>) -> Result<(), CloudError> {
        let pool = pool_id(self.0, key)?;
        self.0.cloud.delete_client(&pool, &live.id).await
    }
}

/// A hosted UI domain: its prefix is its key's name and its id.
pub struct Domains<'a, D>(pub &'a Managed<'a, D>);

impl<D: DomainApi> Resource for Domains<'_, D> {
    type Spec = DomainSpec;
    const KIND: &'static str = DOMAIN;
    // A prefix belongs to one pool for good.
    const CREATE_ONLY: &'static [&'static str] = &["domain", "userPool"];

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read_own(&self, key: &Key) -> Result<Option<Live<DomainSpec>>, CloudError> {
        // A prefix is global: only one that answers to a pool of this run is its own.
        let live = self.read(key).await?;
        Ok(live.filter(|l| self.0.registry.knows_id(USER_POOL, &l.spec.user_pool)))
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<DomainSpec>>, CloudError> {
        let pool = self.0.cloud.read_domain(&key.name).await?;
        Ok(pool.map(|user_pool| {
            let spec = DomainSpec {
                domain: key.name.clone(),
                user_pool,
            };
            Live::new(spec, key.name.clone())
        }))
    }

    async fn create(&self, key: &Key, spec: DomainSpec) -> Result<Live<DomainSpec>, CloudError> {
        self.0
            .cloud
            .create_domain(&spec.user_pool, &key.name)
            .await?;
        Ok(Live::new(spec, key.name.clone()))
    }

    async fn update(
        &self,
        key: &Key,
        _: Live<DomainSpec>,
        _: DomainSpec,
    ) -> Result<(), CloudError> {
        // Every field is create-only: a change is a replacement (which push
        // refuses), never an update in place.
        Err(missing(format!("{key} cannot be updated in place")))
    }

    async fn delete(&self, key: &Key, live: Live<DomainSpec>) -> Result<(), CloudError> {
        self.0
            .cloud
            .delete_domain(&live.spec.user_pool, &key.name)
            .await
    }
}

/// The spec of what lives inside a user pool under its own name (a social
/// identity provider, a group): found through the pool's id, no id of its own.
pub trait ChildSpec: Serialize + DeserializeOwned {
    const KIND: &'static str;
    fn name(&self) -> &str;
    /// Keeps what the update call resets when it is not sent.
    fn keep_others(&mut self, live: Self);
}

impl ChildSpec for ProviderSpec {
    const KIND: &'static str = SOCIAL;
    fn name(&self) -> &str {
        &self.name
    }
    fn keep_others(&mut self, live: Self) {
        self.others = live.others;
    }
}

impl ChildSpec for GroupSpec {
    const KIND: &'static str = GROUP;
    fn name(&self) -> &str {
        &self.name
    }
    fn keep_others(&mut self, live: Self) {
        self.others = live.others;
    }
}

/// The calls for one kind of a pool's children.
#[allow(async_fn_in_trait)]
pub trait ChildApi<S> {
    async fn read_child(&self, pool: &str, name: &str) -> Result<Option<S>, CloudError>;
    async fn create_child(&self, pool: &str, spec: &S) -> Result<(), CloudError>;
    async fn update_child(&self, pool: &str, spec: &S) -> Result<(), CloudError>;
    async fn delete_child(&self, pool: &str, name: &str) -> Result<(), CloudError>;
}

impl<D: SocialApi> ChildApi<ProviderSpec> for D {
    async fn read_child(&self, pool: &str, name: &str) -> Result<Option<ProviderSpec>, CloudError> {
        self.read_provider(pool, name).await
    }
    async fn create_child(&self, pool: &str, spec: &ProviderSpec) -> Result<(), CloudError> {
        self.create_provider(pool, spec).await
    }
    async fn update_child(&self, pool: &str, spec: &ProviderSpec) -> Result<(), CloudError> {
        self.update_provider(pool, spec).await
    }
    async fn delete_child(&self, pool: &str, name: &str) -> Result<(), CloudError> {
        self.delete_provider(pool, name).await
    }
}

impl<D: GroupApi> ChildApi<GroupSpec> for D {
    async fn read_child(&self, pool: &str, name: &str) -> Result<Option<GroupSpec>, CloudError> {
        self.read_group(pool, name).await
    }
    async fn create_child(&self, pool: &str, spec: &GroupSpec) -> Result<(), CloudError> {
        self.create_group(pool, spec).await
    }
    async fn update_child(&self, pool: &str, spec: &GroupSpec) -> Result<(), CloudError> {
        self.update_group(pool, spec).await
    }
    async fn delete_child(&self, pool: &str, name: &str) -> Result<(), CloudError> {
        self.delete_group(pool, name).await
    }
}

pub struct PoolChildren<'a, D, S>(pub &'a Managed<'a, D>, PhantomData<S>);

impl<'a, D, S> PoolChildren<'a, D, S> {
    pub fn new(m: &'a Managed<'a, D>) -> Self {
        PoolChildren(m, PhantomData)
    }
}

/// Social identity providers of a user pool (Google, Facebook, ...).
pub type Socials<'a, D> = PoolChildren<'a, D, ProviderSpec>;
/// User pool groups.
pub type Groups<'a, D> = PoolChildren<'a, D, GroupSpec>;

impl<D: ChildApi<S>, S: ChildSpec> Resource for PoolChildren<'_, D, S> {
    type Spec = S;
    const KIND: &'static str = S::KIND;

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<S>>, CloudError> {
        let m = self.0;
        let (pool_key, name) = parent(key);
        let Some(pool) = m.registry.id(&pool_key) else {
            return Ok(None);
        };
        let spec = m.cloud.read_child(&pool, &name).await?;
        Ok(spec.map(|s| Live::new(s, name)))
    }

    async fn create(&self, key: &Key, spec: S) -> Result<Live<S>, CloudError> {
        self.0
            .cloud
            .create_child(&pool_id(self.0, key)?, &spec)
            .await?;
        let name = spec.name().to_string();
        Ok(Live::new(spec, name))
    }

    async fn update(&self, key: &Key, live: Live<S>, mut spec: S) -> Result<(), CloudError> {
        // UpdateGroup / UpdateIdentityProvider reset what they are not sent.
        spec.keep_others(live.spec);
        self.0
            .cloud
            .update_child(&pool_id(self.0, key)?, &spec)
            .await
    }

    async fn delete(&self, key: &Key, _live: Live<S>) -> Result<(), CloudError> {
        let (_, name) = parent(key);
        self.0
            .cloud
            .delete_child(&pool_id(self.0, key)?, &name)
            .await
    }
}

pub struct IdentityPools<'a, D>(pub &'a Managed<'a, D>);

impl<D: IdentityPoolApi> IdentityPools<'_, D> {
    async fn by_id(&self, id: &str) -> Result<Option<Live<IdentityPoolSpec>>, CloudError> {
        let spec = self.0.cloud.read_identity_pool(id).await?;
        Ok(spec.map(|s| Live::new(s, id)))
    }
}

impl<D: IdentityPoolApi> Resource for IdentityPools<'_, D> {
    type Spec = IdentityPoolSpec;
    const KIND: &'static str = IDENTITY_POOL;
    // Sorted once the ids are known, as a read returns them.
    const SORTED: Option<&'static str> = Some("cognitoProviders");

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read_own(&self, key: &Key) -> Result<Option<Live<IdentityPoolSpec>>, CloudError> {
        match self.0.registry.id(key) {
            Some(id) => self.by_id(&id).await,
            None => Ok(None),
        }
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<IdentityPoolSpec>>, CloudError> {
        let m = self.0;
        let known = m.registry.id(key);
        let mut found = match &known {
            Some(id) => self.by_id(id).await?,
            None => None,
        };
        if found.is_none()
            && (known.is_some() || m.registry.searching(key))
            && let Some(id) = m.cloud.find_identity_pool(&key.name).await?
        {
            found = self.by_id(&id).await?;
            if let Some(l) = &found {
                ours(key, &l.spec.tags)?;
            }
        }
        let Some(live) = found else {
            m.registry.forget(key);
            return Ok(None);
        };
        m.registry.know(key, &live.id, None);
        Ok(Some(live))
    }

    async fn create(
        &self,
        key: &Key,
        spec: IdentityPoolSpec,
    ) -> Result<Live<IdentityPoolSpec>, CloudError> {
        let id = self.0.cloud.create_identity_pool(&spec).await?;
        self.0.registry.know(key, &id, None);
        Ok(Live::new(spec, id))
    }

    async fn update(
        &self,
        _key: &Key,
        live: Live<IdentityPoolSpec>,
        mut spec: IdentityPoolSpec,
    ) -> Result<(), CloudError> {
        // UpdateIdentityPool resets what it is not sent.
        spec.others = live.spec.others;
        spec.tags = kept(&live.spec.tags, &spec.tags);
        self.0.cloud.update_identity_pool(&live.id, &spec).await
    }

    async fn delete(&self, _key: &Key, live: Live<IdentityPoolSpec>) -> Result<(), CloudError> {
        self.0.cloud.delete_identity_pool(&live.id).await
    }

    fn broadens(
        &self,
        before: Option<&IdentityPoolSpec>,
        after: Option<&IdentityPoolSpec>,
    ) -> bool {
        // Guests let in, or the classic flow (any signed-in user may ask for
        // any role the pool's users can assume, group roles included).
        let guests = |s: &IdentityPoolSpec| s.allow_unauthenticated;
        let classic = |s: &IdentityPoolSpec| s.overrides.allow_classic_flow == Some(true);
        let newly =
            |f: &dyn Fn(&IdentityPoolSpec) -> bool| after.is_some_and(f) && !before.is_some_and(f);
        newly(&guests) || newly(&classic)
    }
}

/// An identity pool's role attachment; its key is the identity pool's name.
pub struct PoolRoleAttachments<'a, D>(pub &'a Managed<'a, D>);

fn identity_pool_id<D>(m: &Managed<'_, D>, key: &Key) -> Result<String, CloudError> {
    m.registry
        .id(&Key::new(IDENTITY_POOL, key.name.clone()))
        .ok_or_else(|| missing(format!("the identity pool {} does not exist", key.name)))
}

impl<D: IdentityPoolApi> Resource for PoolRoleAttachments<'_, D> {
    type Spec = PoolRoles;
    const KIND: &'static str = POOL_ROLES;
    const SORTED: Option<&'static str> = Some("tokenRoleMappings");

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<PoolRoles>>, CloudError> {
        let Ok(id) = identity_pool_id(self.0, key) else {
            return Ok(None);
        };
        let roles = self.0.cloud.read_pool_roles(&id).await?;
        // No role attached is no attachment.
        Ok(roles
            .filter(|r| r != &PoolRoles::default())
            .map(|r| Live::new(r, id)))
    }

    async fn create(&self, key: &Key, roles: PoolRoles) -> Result<Live<PoolRoles>, CloudError> {
        let id = identity_pool_id(self.0, key)?;
        self.0.cloud.set_pool_roles(&id, &roles).await?;
        Ok(Live::new(roles, id))
    }

    async fn update(
        &self,
        key: &Key,
        _: Live<PoolRoles>,
        roles: PoolRoles,
    ) -> Result<(), CloudError> {
        self.create(key, roles).await.map(|_| ())
    }

    async fn delete(&self, _key: &Key, _live: Live<PoolRoles>) -> Result<(), CloudError> {
        // An attachment goes only with its identity pool, whose deletion (the
        // next step) takes it along: no call of its own.
        Ok(())
    }
}

/// IAM roles: their trust (inline policies are `iam-role-policy` resources).
/// A role's name may refer to its user pool's id (group roles).
pub struct Roles<'a, D>(pub &'a Managed<'a, D>);

impl<D: RoleApi> Resource for Roles<'_, D> {
    type Spec = RoleSpec;
    const KIND: &'static str = ROLE;
    // Tags are set when the role is made; the trust is what matters.
    const UNCOMPARED: &'static [&'static str] = &["tags"];

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read_own(&self, key: &Key) -> Result<Option<Live<RoleSpec>>, CloudError> {
        // A role's name is unique, but one this run neither read nor made is
        // another's (a teammate's push that made it first).
        if self.0.registry.id(key).is_none() {
            return Ok(None);
        }
        self.read(key).await
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<RoleSpec>>, CloudError> {
        let m = self.0;
        let Some(name) = m.registry.fill(&key.name) else {
            return Ok(None);
        };
        let Some((arn, spec)) = m.cloud.read_role(&name).await? else {
            return Ok(None);
        };
        m.registry.know(key, &name, Some(&arn));
        Ok(Some(Live::new(spec, name).with_arn(arn)))
    }

    async fn create(&self, key: &Key, spec: RoleSpec) -> Result<Live<RoleSpec>, CloudError> {
        let arn = self.0.cloud.create_role(&spec).await?;
        self.0.registry.know(key, &spec.name, Some(&arn));
        let name = spec.name.clone();
        Ok(Live::new(spec, name).with_arn(arn))
    }

    async fn update(
        &self,
        _key: &Key,
        _: Live<RoleSpec>,
        spec: RoleSpec,
    ) -> Result<(), CloudError> {
        self.0.cloud.update_trust(&spec).await
    }

    async fn delete(&self, _key: &Key, live: Live<RoleSpec>) -> Result<(), CloudError> {
        self.0.cloud.delete_role(&live.id).await
    }

    fn broadens(&self, before: Option<&RoleSpec>, after: Option<&RoleSpec>) -> bool {
        // A role that exists and comes to trust someone new (the env's roles
        // the Amplify CLI made, now trusting this identity pool).
        before.is_some_and(|b| after.is_some_and(|a| b.trust != a.trust))
    }
}
