//! Storage on the apply engine: the desired buckets and role policies of the
//! storage being pushed, their providers, and the trust check of roles that get
//! grants.

use futures::future::LocalBoxFuture;
use serde_json::Value;

use crate::auth::trust;
use crate::cloud::CloudError;
use crate::cloud::iam::Iam;
use crate::cloud::s3::S3;
use crate::storage::StorageError;
use crate::storage::StorageSettings;
use crate::storage::policy::{Audience, StatementChange, broadens, diff, document, policy_name};

use serde::Deserialize;

use crate::project::{Doc, Store, StoreError};

use super::engine::{self, Action, Journal, JournalStep, Key, Plan, Provider, Status};

/// One storage resource as this push wants it.
#[derive(Clone, Debug)]
pub struct Target {
    pub resource: String,
    /// `None`: the resource was removed; its policies go.
    pub settings: Option<StorageSettings>,
    pub bucket: String,
    /// The roles the last push put its policies on (meta output), if any.
    pub pushed: Roles,
}

/// The identity pool's roles a push works with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roles {
    pub auth: Option<String>,
    pub unauth: Option<String>,
}

impl Roles {
    fn get(&self, audience: Audience) -> Option<&String> {
        match audience {
            Audience::Authenticated => self.auth.as_ref(),
            Audience::Guest => self.unauth.as_ref(),
        }
    }
}

/// The engine's resource types for storage.
pub const ROLE_POLICY: &str = "iam-role-policy";
pub const BUCKET: &str = "s3-bucket";

/// The push journal: the engine's, or the one earlier authwiz versions wrote
/// (`{"buckets": [...], "policies": [{role, policy, before, after}]}`).
pub fn read_journal(store: &Store, rel: &str) -> Result<Option<Journal>, StoreError> {
    if let Some(j) = Journal::read(store, rel)? {
        return Ok(Some(j));
    }
    #[derive(Deserialize)]
    struct Legacy {
        #[serde(default)]
        policies: Vec<LegacyPolicy>,
    }
    #[derive(Deserialize)]
    struct LegacyPolicy {
        role: String,
        policy: String,
        before: Option<Value>,
        after: Option<Value>,
    }
    let legacy: Option<Doc<Legacy>> = store.read(rel)?;
    Ok(legacy.map(|d| Journal {
        version: 1,
        steps: d
            .value
            .policies
            .into_iter()
            .map(|p| JournalStep {
                key: policy_key(&p.role, &p.policy),
                action: Action::Update,
                before: p.before,
                after: p.after,
                status: Status::Pending,
                created: None,
            })
            .collect(),
    }))
}

/// The `role/policy` key of an inline policy.
pub fn policy_key(role: &str, policy: &str) -> Key {
    Key::new(ROLE_POLICY, format!("{role}/{policy}"))
}

fn split_policy_key(key: &Key) -> (&str, &str) {
    key.name.split_once('/').unwrap_or((key.name.as_str(), ""))
}

/// The desired resources of the storage being pushed: each env bucket, and on
/// each role the policy for its audience (`None` where access goes away).
/// `current` are the env's roles now; a role the last push used that is no
/// longer the env's gets no policy. Pure: no call.
pub fn targets(
    current: &Roles,
    env: &str,
    targets: &[Target],
) -> Result<Vec<engine::Target>, StorageError> {
    let mut out: Vec<engine::Target> = Vec::new();
    let mut push = |t: engine::Target| {
        if !out.iter().any(|o| o.key == t.key) {
            out.push(t);
        }
    };
    for t in targets {
        let bucket = t
            .settings
            .as_ref()
            .map(|_| Key::new(BUCKET, t.bucket.clone()));
        if let Some(key) = &bucket {
            push(engine::Target {
                key: key.clone(),
                desired: Some(Value::Object(Default::default())),
                deps: Vec::new(),
                label: format!("S3 bucket {}", t.bucket),
            });
        }
        for audience in [Audience::Authenticated, Audience::Guest] {
            let after = t
                .settings
                .as_ref()
                .and_then(|s| document(s, &t.bucket, audience));
            let policy = policy_name(&t.resource, env, audience);
            let role = current.get(audience);
            if after.is_some() && role.is_none() {
                return Err(StorageError::NoRole {
                    resource: t.resource.clone(),
                    audience: audience.label(),
                    env: env.to_string(),
                });
            }
            let mut wanted: Vec<(String, Option<Value>)> = role
                .map(|r| (r.clone(), after.clone()))
                .into_iter()
                .collect();
            if let Some(old) = t.pushed.get(audience).filter(|old| Some(*old) != role) {
                wanted.push((old.clone(), None));
            }
            for (role, desired) in wanted {
                push(engine::Target {
                    key: policy_key(&role, &policy),
                    desired,
                    deps: bucket.iter().cloned().collect(),
                    label: format!("IAM role {role} ({}), policy {policy}", audience.label()),
                });
            }
        }
    }
    Ok(out)
}

/// Roles that a plan gives grants to must exist and trust this identity pool
/// for their identities (checked before anything is applied).
pub async fn check_grants<I: Iam>(
    iam: &I,
    plan: &Plan,
    identity_pool: &str,
) -> Result<(), StorageError> {
    let mut checked: Vec<&str> = Vec::new();
    for step in &plan.steps {
        if step.key.kind != ROLE_POLICY || step.after.is_none() || step.action == Action::Delete {
            continue;
        }
        let (role, policy) = split_policy_key(&step.key);
        if checked.contains(&role) {
            continue;
        }
        checked.push(role);
        let audience = if policy.ends_with("-guest") {
            Audience::Guest
        } else {
            Audience::Authenticated
        };
        check_trust(iam, role, identity_pool, audience).await?;
    }
    Ok(())
}

/// Inline role policies (`role/policy` keys).
/// Inline policies of IAM roles; with a registry, a document's references
/// (a user pool's ARN) are filled in before it is compared or sent.
pub struct RolePolicies<'a, I>(pub &'a I, pub Option<&'a super::registry::Registry>);

impl<I> RolePolicies<'_, I> {
    fn sent(&self, desired: &Value) -> Result<Value, CloudError> {
        match self.1 {
            Some(r) => r.complete(desired),
            None => Ok(desired.clone()),
        }
    }
}

impl<I: Iam> Provider for RolePolicies<'_, I> {
    fn kind(&self) -> &'static str {
        ROLE_POLICY
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        let (role, policy) = split_policy_key(key);
        Box::pin(self.0.get_role_policy(role, policy))
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        // An inline policy is addressed by its role and name: the document is all there is.
        let (role, policy) = split_policy_key(key);
        Box::pin(async move {
            let doc = self.sent(desired)?;
            self.0.put_role_policy(role, policy, &doc).await?;
            Ok(doc)
        })
    }

    fn update<'a>(
        &'a self,
        key: &'a Key,
        _live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        let (role, policy) = split_policy_key(key);
        Box::pin(async move {
            let doc = self.sent(desired)?;
            self.0.put_role_policy(role, policy, &doc).await
        })
    }

    fn resolve(&self, desired: &Value) -> Value {
        self.1
            .map_or_else(|| desired.clone(), |r| r.resolve(desired))
    }

    fn delete<'a>(
        &'a self,
        key: &'a Key,
        _live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        let (role, policy) = split_policy_key(key);
        Box::pin(self.0.delete_role_policy(role, policy))
    }

    fn same(&self, live: &Value, desired: &Value) -> bool {
        diff(Some(live), Some(desired)).is_empty()
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        diff(before, after)
            .iter()
            .map(|c| {
                let (mark, s) = match c {
                    StatementChange::Added(s) => ("+", s),
                    StatementChange::Changed { after, .. } => ("~", after),
                    StatementChange::Removed(s) => ("-", s),
                };
                super::registry::readable(&format!("  {mark} {}", summary(s)))
            })
            .collect()
    }

    fn broadens(&self, before: Option<&Value>, after: Option<&Value>) -> bool {
        broadens(&diff(before, after))
    }
}

/// S3 buckets (created for storage, never deleted by it; a bucket this push
/// created is deleted again when the push is undone).
pub struct Buckets<'a, B> {
    pub s3: &'a B,
    pub region: String,
}

impl<B: S3> Provider for Buckets<'_, B> {
    fn kind(&self) -> &'static str {
        BUCKET
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        Box::pin(async move {
            Ok(self
                .s3
                .bucket_exists(&key.name)
                .await?
                .then(|| Value::Object(Default::default())))
        })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        _: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        Box::pin(async move {
            self.s3.create_bucket(&key.name, &self.region).await?;
            Ok(serde_json::json!({"BucketName": key.name}))
        })
    }

    fn update<'a>(
        &'a self,
        _: &'a Key,
        _: &'a Value,
        _: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        Box::pin(async { Ok(()) })
    }

    fn delete<'a>(
        &'a self,
        key: &'a Key,
        _: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        Box::pin(self.s3.delete_bucket(&key.name))
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        let _ = (before, after);
        Vec::new()
    }
}

/// An imported role must exist and trust this identity pool for the right identities.
async fn check_trust<I: Iam>(
    iam: &I,
    role: &str,
    identity_pool: &str,
    audience: Audience,
) -> Result<(), StorageError> {
    let found = match iam.get_role(role).await {
        Ok(r) => r,
        Err(CloudError::NotFound { .. }) => {
            return Err(StorageError::RoleGone(role.to_string()));
        }
        Err(e) => return Err(e.into()),
    };
    let problems = trust::check(role, &found.trust_policy, identity_pool, audience.label());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StorageError::Untrusted {
            role: role.to_string(),
            problems: problems.join("\n"),
        })
    }
}

/// Human lines for the plan: per resource, what is created, and per role the
/// statements added, changed and removed.
pub fn describe(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    for step in &plan.steps {
        if step.key.kind == BUCKET {
            lines.push(format!("{}: {}", step.label, step.action.label()));
        } else {
            lines.push(format!("{}:", step.label));
            lines.extend(step.detail.iter().cloned());
        }
    }
    lines
}

fn summary(statement: &Value) -> String {
    let list = |k: &str| match statement.get(k) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let sid = statement
        .get("Sid")
        .and_then(Value::as_str)
        .unwrap_or("statement");
    format!("{sid}: {} on {}", list("Action"), list("Resource"))
}
