//! `push` as one operation: what changed (offline), the plans of managed auth
//! and storage read from the cloud, and their application with the record and
//! the client files. No printing, no prompts: the stages under way are
//! reported through [`Progress`] and the plan's lines returned to be shown.
//!
//! Auth and storage are two engine runs with a journal each, on purpose: auth
//! first (its ids are what the record and storage's grants name), then
//! everything local is prepared (the record, the client files), and only then
//! are IAM grants applied, so that a project file that cannot be written stops
//! the push before it grants anything.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::auth::{self, AuthPush};
use super::engine::{Engine, Journal, JournalFile, Plan};
use super::plan::{ResourceChange, classify, has_changes};
use super::record::{imports_to_verify, not_recorded, prepare_record, refuse_others, write_record};
use super::storage::{self as push_storage};
use super::storage_push::{StoragePush, plan_storage, providers, storage_changes};
use crate::auth::backup::{self, BackupError, Counts, Head, Ids, Part};
use crate::auth::backup_read;
use crate::auth::import::rules::missing_resources;
use crate::auth::state::env_record;
use crate::cloud::Aws;
use crate::error::{Error, Result};
use crate::project::Project;
use crate::storage::CATEGORY as STORAGE;

/// Journal of storage's IAM changes in progress (beside auth's, [`auth::JOURNAL`]).
pub const STORAGE_JOURNAL: &str = "amplify/.config/local-authwiz-push.json";

/// Reports the stages of a long step (a spinner in a terminal).
pub trait Progress {
    /// `what` is under way until the returned value is dropped.
    fn stage(&self, what: &str) -> Box<dyn std::any::Any>;
}

/// A push as the project asks for it, before the cloud is read.
pub struct Push {
    pub env: String,
    pub changes: Vec<ResourceChange>,
    storage_journal: Option<Journal>,
    auth_journal: Option<Journal>,
}

/// What a push will change in the cloud, read from it.
pub struct Planned {
    aws: Option<Aws>,
    pub auth: Option<AuthPush>,
    pub storage: Option<StoragePush>,
}

impl Push {
    /// The changes and the journals of an unfinished push (no network).
    pub fn new(project: &Project) -> Result<Push> {
        Ok(Push {
            env: project.current_env()?.to_string(),
            changes: classify(project),
            storage_journal: push_storage::read_journal(&project.store, STORAGE_JOURNAL)?,
            auth_journal: Journal::read(&project.store, auth::JOURNAL)?,
        })
    }

    /// Whether a previous push did not finish (this one completes it).
    pub fn resuming(&self) -> bool {
        [&self.storage_journal, &self.auth_journal]
            .iter()
            .any(|j| j.as_ref().is_some_and(|j| !j.steps.is_empty()))
    }

    /// Whether the push has nothing to read in the cloud: no local change, no
    /// unfinished push, no check asked for (drift is looked for on request
    /// only, so such a push stays offline).
    pub fn offline(&self, check_cloud: bool) -> bool {
        !has_changes(&self.changes) && !self.resuming() && !check_cloud
    }

    /// Whether anything changed in the project's files.
    pub fn has_changes(&self) -> bool {
        has_changes(&self.changes)
    }

    /// Reads the cloud and plans both halves. `connect` is called only when
    /// the cloud is needed; `home` holds the providers' secrets.
    pub fn plan(
        &self,
        project: &Project,
        (check_cloud, replace_pool): (bool, bool),
        connect: &dyn Fn() -> Result<Aws>,
        home: Option<&Path>,
        progress: &dyn Progress,
    ) -> Result<Planned> {
        let whole = self.resuming() || check_cloud;
        refuse_others(project, &self.changes)?;
        let imports = imports_to_verify(&self.changes);
        let storage_wanted = storage_changes(&self.changes, self.resuming());
        let auth_wanted = auth::wanted(project, &self.changes, whole);
        let needed = !imports.is_empty()
            || !storage_wanted.is_empty()
            || !auth_wanted.is_empty()
            || self.resuming();
        let Some(aws) = needed.then(connect).transpose()? else {
            return Ok(Planned {
                aws: None,
                auth: None,
                storage: None,
            });
        };
        verify_imports(&aws, project, &self.env, &imports, progress)?;
        let auth = {
            let _s = progress.stage("Reading the auth resources...");
            auth::plan(
                home,
                &aws,
                project,
                (&self.env, &auth_wanted),
                self.auth_journal.as_ref(),
                replace_pool,
            )?
        };
        let storage = {
            let _s = progress.stage("Reading the roles' policies...");
            plan_storage(
                &aws,
                project,
                &self.env,
                &storage_wanted,
                self.storage_journal.as_ref(),
            )?
        };
        Ok(Planned {
            aws: Some(aws),
            auth,
            storage,
        })
    }
}

impl Planned {
    /// The plan in words, auth first.
    pub fn lines(&self) -> Vec<String> {
        let auth = self.auth.iter().flat_map(auth::describe);
        let storage = self
            .storage
            .iter()
            .flat_map(|s| push_storage::describe(&s.plan));
        auth.chain(storage).collect()
    }

    /// Whether the cloud already holds what the project asks for.
    pub fn is_empty(&self) -> bool {
        self.auth.as_ref().is_none_or(|a| a.plan.is_empty())
            && self.storage.as_ref().is_none_or(|s| s.plan.is_empty())
    }

    /// Applies auth, records the push and the client files, then applies
    /// storage; a record that cannot be made after a cloud change says so.
    /// Returns the backups taken of pools with users before their deletion.
    pub fn apply(
        &self,
        project: &mut Project,
        push: &Push,
        timestamp: &str,
        progress: &dyn Progress,
    ) -> Result<Vec<String>> {
        let (auth, storage) = (self.auth.as_ref(), self.storage.as_ref());
        let mut outputs: HashMap<(String, String), Map<String, Value>> = HashMap::new();
        let mut backups = Vec::new();
        let mut notes = Vec::new();
        if let (Some(aws), Some(a)) = (&self.aws, auth) {
            let at = (auth::JOURNAL, push.env.as_str(), timestamp);
            backups = apply_auth(aws, project, a, at, progress)?;
            notes = move_users(aws, project, a, (push.env.as_str(), timestamp), progress)
                .map_err(|e| not_recorded(&[&a.plan], e))?;
            outputs.extend(auth::outputs(a, project, &push.env, aws.region()));
        }
        if let Some(s) = storage {
            outputs.extend(
                s.outputs
                    .iter()
                    .map(|(k, v)| ((STORAGE.to_string(), k.clone()), v.clone())),
            );
        }
        // Auth is applied by now: a record that cannot be made says so.
        let auth_plan: Vec<&Plan> = auth.map(|a| &a.plan).into_iter().collect();
        let files = prepare_record(timestamp, project, &push.changes, &outputs)
            .map_err(|e| not_recorded(&auth_plan, e))?;
        if let (Some(aws), Some(s)) = (&self.aws, storage) {
            apply_storage(aws, project, s, STORAGE_JOURNAL, progress)?;
        }
        let applied: Vec<&Plan> = [auth.map(|a| &a.plan), storage.map(|s| &s.plan)]
            .into_iter()
            .flatten()
            .collect();
        write_record(project, &push.changes, &files).map_err(|e| not_recorded(&applied, e))?;
        let mut lines: Vec<String> = backups
            .iter()
            .filter(|p| !notes.iter().any(|n| n.contains(p.as_str())))
            .map(|path| format!(
                "Backed up the deleted user pool's users, groups and memberships to {path} (`authwiz restore auth {path}` puts them into a pool)."
            ))
            .collect();
        lines.extend(notes);
        Ok(lines)
    }
}

/// After a replacement: the users, groups and memberships of each replaced
/// pool restored into its new one from the backup this push took (groups
/// only when a User Migration trigger moves the users as they sign in), and
/// the old pool recorded as retired. Returns what to tell the user.
fn move_users(
    aws: &Aws,
    project: &Project,
    p: &AuthPush,
    (env, stamp): (&str, &str),
    progress: &dyn Progress,
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    for r in &p.replaced {
        let Some(new_id) = p.registry.id(&r.key) else {
            continue;
        };
        let rel = backup_path(env, &r.key.name, stamp);
        let file = std::fs::File::open(project.store.path(&rel)).map_err(|e| {
            Error::refused(
                format!("The backup {rel} of the replaced pool cannot be read: {e}"),
                format!("Restore it by hand: `authwiz restore auth {rel}`."),
            )
        })?;
        let migrating = p.migrates_users(&r.key);
        // With a User Migration trigger the users move as they sign in:
        // only the groups are made.
        let parts = backup_read::parts(file, backup::CHUNK)
            .into_iter()
            .filter(|part| !migrating || !matches!(part, Ok(Part::Users(_) | Part::Members(..))));
        let restored = {
            let _s = progress.stage("Restoring the users into the new user pool...");
            aws.block_on(backup::restore_parts(
                &aws.deploy(),
                &aws.users(),
                &new_id,
                parts,
                false,
            ))?
        };
        auth::record_retired(
            project,
            env,
            (&r.key.name, &r.old_id, &new_id),
            (stamp, &rel),
        )?;
        notes.push(format!(
            "Replaced user pool {} ({} → {new_id}); the old pool is kept, retired, with its users (backup: {rel}).",
            r.key.name, r.old_id
        ));
        notes.push(if migrating {
            format!(
                "{} group(s) restored; the users move on their first sign-in with their old password (User Migration trigger).",
                restored.groups_created
            )
        } else {
            format!(
                "{} user(s), {} group(s) and {} membership(s) restored; users set a new password at their next sign-in (Cognito never exports passwords).",
                restored.users_created + restored.users_existing.len(),
                restored.groups_created,
                restored.memberships
            )
        });
    }
    Ok(notes)
}

/// Applies managed auth's plan with its journal at `journal`, after a backup
/// of every user pool it deletes that holds users (written at once, before any
/// change); returns the backups' paths.
pub fn apply_auth(
    aws: &Aws,
    project: &Project,
    p: &AuthPush,
    (journal, env, stamp): (&str, &str, &str),
    progress: &dyn Progress,
) -> Result<Vec<String>> {
    let backups = back_up_deleted_pools(aws, project, p, (env, stamp), progress)?;
    auth::with_engine(aws, (&p.registry, &p.code), |engine| {
        apply_plan(
            aws,
            project,
            (engine, &p.plan, journal),
            (
                "Deploying auth...",
                "Everything this push made was deleted and everything it changed was put back",
            ),
            progress,
        )
    })?;
    Ok(backups)
}

/// Where a backup of `name` taken at `stamp` goes (git-ignored with Amplify's local files).
pub fn backup_path(env: &str, name: &str, stamp: &str) -> String {
    format!(
        "amplify/.config/local-authwiz-backups/{env}/{name}-{}.json",
        stamp.replace(':', "-")
    )
}

/// Writes a backup of `ids` to `rel` (0600) now, page by page; what it holds.
pub fn write_backup(
    aws: &Aws,
    project: &Project,
    ids: &Ids,
    head: &Head,
    rel: &str,
) -> Result<Counts> {
    let (deploy, idp, users) = (aws.deploy(), aws.cognito_idp(), aws.users());
    let mut stopped = None;
    let mut counts = Counts::default();
    let written = project.store.write_private_now(rel, |out| {
        match aws.block_on(backup::write(&deploy, &idp, &users, ids, head, out)) {
            Ok(c) => {
                counts = c;
                Ok(())
            }
            Err(BackupError::Write(e)) => Err(e),
            Err(BackupError::Cloud(e)) => {
                stopped = Some(e);
                Err(std::io::Error::other("the backup stopped"))
            }
        }
    });
    match (written, stopped) {
        (_, Some(cloud)) => Err(cloud.into()),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(counts),
    }
}

/// A backup of each user pool `p` deletes that holds users, written now.
fn back_up_deleted_pools(
    aws: &Aws,
    project: &Project,
    p: &AuthPush,
    (env, stamp): (&str, &str),
    progress: &dyn Progress,
) -> Result<Vec<String>> {
    let mut paths = Vec::new();
    for (name, id) in p.pools_to_back_up() {
        let _s = progress.stage("Backing up the pool's users before deleting it...");
        let ids = Ids {
            user_pool: id,
            clients: Vec::new(),
            identity_pool: None,
        };
        let head = Head {
            created: stamp.to_string(),
            env: env.to_string(),
            resource: name.clone(),
        };
        let rel = backup_path(env, &name, stamp);
        write_backup(aws, project, &ids, &head, &rel)?;
        paths.push(rel);
    }
    Ok(paths)
}

/// Applies storage's plan with its journal at `journal`.
pub fn apply_storage(
    aws: &Aws,
    project: &Project,
    s: &StoragePush,
    journal: &str,
    progress: &dyn Progress,
) -> Result<()> {
    let (iam, s3) = (aws.iam(), aws.s3());
    let (policies, buckets) = providers(aws, &iam, &s3);
    let engine = Engine::new(&[&policies, &buckets]);
    apply_plan(
        aws,
        project,
        (&engine, &s.plan, journal),
        (
            "Updating the roles' policies...",
            "Every role was put back to its previous policies",
        ),
        progress,
    )
}

/// Applies a plan with its journal; a failure says what was put back and what
/// the next push completes, and keeps the cloud's error for `-v`.
fn apply_plan(
    aws: &Aws,
    project: &Project,
    (engine, plan, rel): (&Engine, &Plan, &str),
    (doing, restored): (&str, &str),
    progress: &dyn Progress,
) -> Result<()> {
    if plan.is_empty() {
        return Ok(project.store.remove_file(rel)?);
    }
    let journal = JournalFile {
        store: &project.store,
        rel,
    };
    let _s = progress.stage(doing);
    let Err(failed) = aws.block_on(engine.apply(plan, &journal)) else {
        return Ok(());
    };
    let (what, fix) = if failed.restored {
        (
            format!(
                "The push failed at '{}': {}\n{restored}; nothing was recorded.",
                failed.step, failed.error
            ),
            "Fix the cause (permissions, network) and run `authwiz push` again.",
        )
    } else {
        let left = if failed.left.is_empty() {
            "none".to_string()
        } else {
            failed.left.join("; ")
        };
        (
            format!(
                "The push failed at '{}': {}\nThese changes are applied in the cloud: {left}. {rel} lists each step's previous and planned state.",
                failed.step, failed.error
            ),
            "Run `authwiz push` again: it reads the resources and completes the change.",
        )
    };
    Err(Error::PushFailed {
        what,
        fix: fix.into(),
        cause: Box::new(failed.error),
    })
}

/// Before anything is written: every id the env records for an imported resource
/// being pushed must still exist.
fn verify_imports(
    aws: &Aws,
    project: &Project,
    env: &str,
    imports: &[&ResourceChange],
    progress: &dyn Progress,
) -> Result<()> {
    let (idp, identity, iam) = (aws.cognito_idp(), aws.cognito_identity(), aws.iam());
    for c in imports.iter() {
        let ids = env_record(project, env, &c.name)?.unwrap_or_default();
        if ids.user_pool().is_none() || ids.web_client().is_none() || ids.native_client().is_none()
        {
            return Err(Error::refused(
                format!(
                    "Environment '{env}' has no ids for the imported auth resource '{}' (team-provider-info.json → {env}.categories.auth.{}).",
                    c.name, c.name
                ),
                "Import them for this env: `authwiz remove auth` then `authwiz import auth` (or with --user-pool-id, --web-client-id, --native-client-id [--identity-pool-id]).",
            ));
        }
        let _s = progress.stage("Checking the imported resources...");
        let missing = aws.block_on(missing_resources(&idp, &identity, &iam, &ids))?;
        if !missing.is_empty() {
            return Err(Error::refused(
                format!(
                    "The imported auth resource '{}' of environment '{env}' references resources that no longer exist:\n  - {}\nNothing was pushed.",
                    c.name,
                    missing.join("\n  - ")
                ),
                format!(
                    "Unlink it with `authwiz remove auth {}` (and import other resources with `authwiz import auth`), or restore the missing resources.",
                    c.name
                ),
            ));
        }
    }
    Ok(())
}
