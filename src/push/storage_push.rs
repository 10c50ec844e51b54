//! A push of storage's access, as an operation: the role policies (and the
//! bucket) each changed storage resource wants, planned against the cloud, and
//! what the push records per resource. No printing, no prompts.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::engine::{Engine, Journal, Plan};
use super::plan::{Operation, ResourceChange};
use super::storage::{self, Buckets, RolePolicies, Roles, Target, check_grants};
use crate::cloud::Aws;
use crate::cloud::iam::SdkIam;
use crate::cloud::s3::SdkS3;
use crate::error::{Error, Result};
use crate::project::Project;
use crate::storage::{
    CATEGORY as STORAGE, StorageSettings, read_settings, storage_auth, storage_bucket,
};

/// What a push does for storage, and what it records per resource.
pub struct StoragePush {
    pub plan: Plan,
    /// Resource → meta output (bucket, region, the roles it was applied to).
    pub outputs: HashMap<String, Map<String, Value>>,
}

/// The roles a resource's policies were last put on (its pushed meta output).
fn pushed_roles(project: &Project, name: &str) -> Roles {
    let output = project
        .current_meta
        .as_ref()
        .and_then(|m| m.value.resource(STORAGE, name))
        .and_then(|r| r.output.as_ref());
    let get = |k: &str| {
        output
            .and_then(|o| o.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Roles {
        auth: get("AuthRoleName"),
        unauth: get("UnauthRoleName"),
    }
}

/// The storage resources a push plans: the changed ones, or all of them when an
/// unfinished push is completed.
pub fn storage_changes(changes: &[ResourceChange], resuming: bool) -> Vec<&ResourceChange> {
    changes
        .iter()
        .filter(|c| c.category == STORAGE && (c.operation != Operation::NoChange || resuming))
        .collect()
}

/// The plan of the storage resources `wanted` (and of what an unfinished
/// push's journal names), read from the cloud. Read-only.
pub fn plan_storage(
    aws: &Aws,
    project: &Project,
    env: &str,
    wanted: &[&ResourceChange],
    journal: Option<&Journal>,
) -> Result<Option<StoragePush>> {
    if wanted.is_empty() && journal.is_none() {
        return Ok(None);
    }
    let mut targets = Vec::new();
    let mut kept: Vec<StorageSettings> = Vec::new();
    for c in wanted {
        let pushed = pushed_roles(project, &c.name);
        if c.operation == Operation::Delete {
            let bucket = project
                .current_meta
                .as_ref()
                .and_then(|m| m.value.resource(STORAGE, &c.name))
                .and_then(|r| r.output.as_ref())
                .and_then(|o| o.get("BucketName"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            targets.push(Target {
                resource: c.name.clone(),
                settings: None,
                bucket,
                pushed,
            });
        } else {
            let settings = read_settings(project, &c.name)?;
            let bucket = storage_bucket(project, env, &settings);
            kept.push(settings.clone());
            targets.push(Target {
                resource: c.name.clone(),
                settings: Some(settings),
                bucket,
                pushed,
            });
        }
    }
    // Auth is needed only to grant; removals use the roles they were applied to.
    let (current, identity_pool) = if kept.is_empty() {
        (Roles::default(), String::new())
    } else {
        let facts = storage_auth(project, env, kept.iter().any(StorageSettings::guests))?;
        (
            Roles {
                auth: facts.auth_role.clone(),
                unauth: facts.unauth_role.clone(),
            },
            facts.identity_pool_id.clone().unwrap_or_default(),
        )
    };
    let desired = storage::targets(&current, env, &targets)?;
    let (iam, s3) = (aws.iam(), aws.s3());
    let (policies, buckets) = providers(aws, &iam, &s3);
    let engine = Engine::new(&[&policies, &buckets]);
    let plan = aws.block_on(async {
        let plan = engine.plan(&desired, journal).await?;
        check_grants(&iam, &plan, &identity_pool).await?;
        Ok::<_, Error>(plan)
    })?;
    let outputs = outputs(&targets, &current, aws.region());
    Ok(Some(StoragePush { plan, outputs }))
}

/// What the push records per kept resource: its bucket, region and the roles
/// its policies are on.
fn outputs(
    targets: &[Target],
    current: &Roles,
    region: &str,
) -> HashMap<String, Map<String, Value>> {
    targets
        .iter()
        .filter_map(|t| {
            let settings = t.settings.as_ref()?;
            let mut o = Map::new();
            o.insert("BucketName".into(), json!(t.bucket));
            o.insert("Region".into(), json!(region));
            if let Some(r) = &current.auth {
                o.insert("AuthRoleName".into(), json!(r));
            }
            if let Some(r) = current.unauth.as_ref().filter(|_| settings.guests()) {
                o.insert("UnauthRoleName".into(), json!(r));
            }
            Some((t.resource.clone(), o))
        })
        .collect()
}

/// The storage providers over this connection's clients.
pub fn providers<'a>(
    aws: &Aws,
    iam: &'a SdkIam,
    s3: &'a SdkS3,
) -> (RolePolicies<'a, SdkIam>, Buckets<'a, SdkS3>) {
    (
        RolePolicies(iam, None),
        Buckets {
            s3,
            region: aws.region().to_string(),
        },
    )
}
