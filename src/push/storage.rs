//! Storage access on the identity pool's roles: the plan (per role, the
//! statements added, changed and removed) and its application, which either
//! completes or puts every touched role back as it was.

use serde_json::Value;

use crate::auth::trust;
use crate::cloud::CloudError;
use crate::cloud::iam::Iam;
use crate::cloud::s3::S3;
use crate::error::{Error, Result};
use crate::storage::StorageSettings;
use crate::storage::policy::{Audience, StatementChange, broadens, diff, document, policy_name};

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

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyStep {
    pub role: String,
    pub audience: Audience,
    pub policy: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub changes: Vec<StatementChange>,
}

#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Buckets to create.
    pub buckets: Vec<String>,
    pub policies: Vec<PolicyStep>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty() && self.policies.is_empty()
    }

    /// A step grants something a role could not do before.
    pub fn broadens(&self) -> bool {
        self.policies.iter().any(|p| broadens(&p.changes))
    }
}

/// Reads the roles' current policies (and, where grants are added, their trust)
/// and the buckets; returns what must change. `leftovers` are (role, policy)
/// pairs an unfinished push may have left behind: removed unless still wanted.
/// Read-only.
pub async fn plan<I: Iam, B: S3>(
    iam: &I,
    s3: &B,
    current: &Roles,
    identity_pool: &str,
    env: &str,
    targets: &[Target],
    leftovers: &[(String, String)],
) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut trusted: Vec<String> = Vec::new();
    for t in targets {
        for audience in [Audience::Authenticated, Audience::Guest] {
            let after = t
                .settings
                .as_ref()
                .and_then(|s| document(s, &t.bucket, audience));
            let policy = policy_name(&t.resource, env, audience);
            let role = current.get(audience);
            if after.is_some() && role.is_none() {
                return Err(Error::refused(
                    format!(
                        "Storage '{}' grants {} access, but environment '{env}' has no such role.",
                        t.resource,
                        audience.label()
                    ),
                    "Import an identity pool with that role (`authwiz remove auth`, `authwiz import auth`), or change the access (`authwiz update storage`).",
                ));
            }
            // The wanted document on the current role; nothing on a role the
            // last push used that is no longer this env's.
            let mut wanted: Vec<(String, Option<Value>)> = role
                .map(|r| (r.clone(), after.clone()))
                .into_iter()
                .collect();
            if let Some(old) = t.pushed.get(audience).filter(|old| Some(*old) != role) {
                wanted.push((old.clone(), None));
            }
            for (role, after) in wanted {
                seen.push((role.clone(), policy.clone()));
                let before = iam.get_role_policy(&role, &policy).await?;
                let changes = diff(before.as_ref(), after.as_ref());
                if changes.is_empty() {
                    continue;
                }
                // Only a role that gets grants must trust this identity pool.
                if after.is_some() && !trusted.contains(&role) {
                    check_trust(iam, &role, identity_pool, audience).await?;
                    trusted.push(role.clone());
                }
                plan.policies.push(PolicyStep {
                    role,
                    audience,
                    policy: policy.clone(),
                    before,
                    after,
                    changes,
                });
            }
        }
        if t.settings.is_some() && !s3.bucket_exists(&t.bucket).await? {
            plan.buckets.push(t.bucket.clone());
        }
    }
    for (role, policy) in leftovers {
        if seen.contains(&(role.clone(), policy.clone())) {
            continue;
        }
        seen.push((role.clone(), policy.clone()));
        if let Some(before) = iam.get_role_policy(role, policy).await? {
            let changes = diff(Some(&before), None);
            let audience = if policy.ends_with("-guest") {
                Audience::Guest
            } else {
                Audience::Authenticated
            };
            plan.policies.push(PolicyStep {
                role: role.clone(),
                audience,
                policy: policy.clone(),
                before: Some(before),
                after: None,
                changes,
            });
        }
    }
    Ok(plan)
}

/// An imported role must exist and trust this identity pool for the right identities.
async fn check_trust<I: Iam>(
    iam: &I,
    role: &str,
    identity_pool: &str,
    audience: Audience,
) -> Result<()> {
    let found = match iam.get_role(role).await {
        Ok(r) => r,
        Err(CloudError::NotFound { .. }) => {
            return Err(Error::refused(
                format!(
                    "IAM role '{role}' of the imported identity pool does not exist; nothing was pushed."
                ),
                "Set existing roles on the identity pool and import again (`authwiz remove auth`, `authwiz import auth`).",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let problems = trust::check(role, &found.trust_policy, identity_pool, audience.label());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::refused(
            format!(
                "IAM role '{role}' cannot carry storage access for this identity pool; nothing was pushed:\n{}",
                problems.join("\n")
            ),
            "Fix the trust policy as described (authwiz never changes the trust policy of an imported role), then push again.",
        ))
    }
}

/// Where an apply stopped.
#[derive(Debug)]
pub struct Failed {
    pub step: String,
    pub error: CloudError,
    /// Every role touched was put back as it was.
    pub restored: bool,
}

/// Creates the buckets, then puts or deletes each policy. On a failure, the
/// policies already changed are restored to their previous documents.
pub async fn apply<I: Iam, B: S3>(
    iam: &I,
    s3: &B,
    region: &str,
    plan: &Plan,
) -> Result<(), Failed> {
    for bucket in &plan.buckets {
        s3.create_bucket(bucket, region)
            .await
            .map_err(|error| Failed {
                step: format!("creating bucket {bucket}"),
                error,
                restored: true,
            })?;
    }
    for (done, step) in plan.policies.iter().enumerate() {
        if let Err(error) = set(iam, &step.role, &step.policy, step.after.as_ref()).await {
            let mut restored = true;
            // The failed call may have been applied (a timeout): undo it too; put
            // and delete are idempotent.
            for undo in plan.policies[..=done].iter().rev() {
                restored &= set(iam, &undo.role, &undo.policy, undo.before.as_ref())
                    .await
                    .is_ok();
            }
            return Err(Failed {
                step: format!("updating policy {} of IAM role {}", step.policy, step.role),
                error,
                restored,
            });
        }
    }
    Ok(())
}

async fn set<I: Iam>(
    iam: &I,
    role: &str,
    policy: &str,
    document: Option<&Value>,
) -> Result<(), CloudError> {
    match document {
        Some(doc) => iam.put_role_policy(role, policy, doc).await,
        None => iam.delete_role_policy(role, policy).await,
    }
}

/// Human lines for the plan: per role, what is added, changed and removed.
pub fn describe(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    for b in &plan.buckets {
        lines.push(format!("S3 bucket {b}: create"));
    }
    for p in &plan.policies {
        lines.push(format!(
            "IAM role {} ({}), policy {}:",
            p.role,
            p.audience.label(),
            p.policy
        ));
        for c in &p.changes {
            let (mark, s) = match c {
                StatementChange::Added(s) => ("+", s),
                StatementChange::Changed { after, .. } => ("~", after),
                StatementChange::Removed(s) => ("-", s),
            };
            lines.push(format!("  {mark} {}", summary(s)));
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
