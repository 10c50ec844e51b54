//! `authwiz push`: checks that imported resources still exist, applies storage
//! access to the roles, records what was pushed in `#current-cloud-backend/`, and
//! regenerates the client configuration. Imported auth itself needs no mutating
//! AWS call.

use std::collections::HashMap;

use serde_json::{Map, Value};

mod apply;
mod confirm;
pub mod env_removal;
pub mod managed;

use super::{Context, timestamp};
use crate::auth::import::rules::missing_resources;
use crate::auth::state::env_record;
use crate::cli::PushArgs;
use crate::cloud::Aws;
use crate::error::{Error, Result};
use crate::project::Project;
use crate::prompt::Prompter;
use crate::push::auth::AuthPush;
use crate::push::engine::{Journal, Plan};
use crate::push::plan::{ResourceChange, classify, has_changes};
use crate::push::record::{
    imports_to_verify, not_recorded, prepare_record, refuse_others, write_record,
};
use crate::push::storage::{self as push_storage};
use crate::push::storage_push::{StoragePush, plan_storage, storage_changes};
use crate::storage::CATEGORY as STORAGE;
use apply::{apply_plan, apply_storage};
use confirm::{confirm, dry_run};

/// Journal of an IAM change in progress (git-ignored with Amplify's local files).
const JOURNAL: &str = "amplify/.config/local-authwiz-push.json";

pub fn run(ctx: &Context, args: PushArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let changes = classify(&project);
    ctx.ui.status_table(&env, &changes);
    let journal = push_storage::read_journal(&project.store, JOURNAL)?;
    let auth_journal = Journal::read(&project.store, managed::JOURNAL)?;
    let resuming = [&journal, &auth_journal]
        .iter()
        .any(|j| j.as_ref().is_some_and(|j| !j.steps.is_empty()));
    if resuming {
        ctx.ui.warn("A previous push did not finish; this push reads the resources it touched again and completes it.");
    }
    // Drift is looked for on request only: a push without local changes stays offline.
    let whole = resuming || args.check_cloud;
    if !has_changes(&changes) && !whole {
        ctx.ui.line("No changes detected");
        return super::client_files::refresh(&ctx.ui, &project, args.dry_run);
    }
    refuse_others(&project, &changes)?;
    let imports = imports_to_verify(&changes);
    let storage_wanted = storage_changes(&changes, resuming);
    let auth_wanted = managed::wanted(&project, &changes, whole);
    // One AWS connection for the whole push, made only when the cloud is needed.
    let needed =
        !imports.is_empty() || !storage_wanted.is_empty() || !auth_wanted.is_empty() || resuming;
    let aws = needed.then(|| ctx.connect(&project, &env)).transpose()?;
    let (auth, storage) = match &aws {
        Some(aws) => {
            verify_imports(ctx, aws, &project, &env, &imports)?;
            let auth = managed::plan(
                ctx,
                aws,
                &project,
                &env,
                &auth_wanted,
                auth_journal.as_ref(),
            )?;
            let storage = {
                let _s = ctx.ui.spinner("Reading the roles' policies...");
                plan_storage(aws, &project, &env, &storage_wanted, journal.as_ref())?
            };
            (auth, storage)
        }
        None => (None, None),
    };
    for line in auth.iter().flat_map(managed::describe) {
        ctx.ui.line(line);
    }
    for line in storage.iter().flat_map(|s| push_storage::describe(&s.plan)) {
        ctx.ui.line(line);
    }
    let nothing = |p: Option<&Plan>| p.is_none_or(Plan::is_empty);
    if !has_changes(&changes)
        && !resuming
        && nothing(auth.as_ref().map(|a| &a.plan))
        && nothing(storage.as_ref().map(|s| &s.plan))
    {
        ctx.ui
            .check("The cloud holds what the last push made; nothing to set back.");
        return super::client_files::refresh(&ctx.ui, &project, args.dry_run);
    }
    if args.dry_run {
        dry_run(ctx, &changes);
        return Ok(());
    }
    if !confirm(ctx, prompter, &args, (auth.as_ref(), storage.as_ref()))? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    apply_and_record(
        ctx,
        (&mut project, &env, &changes),
        aws.as_ref(),
        (auth.as_ref(), storage.as_ref()),
    )?;
    ctx.ui.check("All resources are updated in the cloud");
    Ok(())
}

/// Applies auth, records the push and the client files, then applies storage
/// (after everything local is ready, so a file that cannot be written stops it
/// first); a record that cannot be made after a cloud change says so.
fn apply_and_record(
    ctx: &Context,
    (project, env, changes): (&mut Project, &str, &[ResourceChange]),
    aws: Option<&Aws>,
    (auth, storage): (Option<&AuthPush>, Option<&StoragePush>),
) -> Result<()> {
    let mut outputs: HashMap<(String, String), Map<String, Value>> = HashMap::new();
    if let (Some(aws), Some(a)) = (aws, auth) {
        // Auth first: its ids are what the record and the client files need.
        managed::apply(ctx, aws, project, a, managed::JOURNAL)?;
        let region = aws.region().to_string();
        outputs.extend(managed::outputs(a, project, env, &region));
    }
    // Everything local is computed (and the client files rendered) before IAM is
    // touched for storage, so a file that cannot be regenerated stops it first.
    if let Some(s) = storage {
        outputs.extend(
            s.outputs
                .iter()
                .map(|(k, v)| ((STORAGE.to_string(), k.clone()), v.clone())),
        );
    }
    // Auth is applied by now: a record that cannot be made says so.
    let auth_plan: Vec<&Plan> = auth.map(|a| &a.plan).into_iter().collect();
    let files = prepare_record(&timestamp(ctx.process.now()), project, changes, &outputs)
        .map_err(|e| not_recorded(&auth_plan, e))?;
    if let (Some(aws), Some(s)) = (aws, storage) {
        apply_storage(ctx, aws, project, s, JOURNAL)?;
    }
    let applied: Vec<&Plan> = [auth.map(|a| &a.plan), storage.map(|s| &s.plan)]
        .into_iter()
        .flatten()
        .collect();
    write_record(project, changes, &files).map_err(|e| not_recorded(&applied, e))?;
    Ok(())
}

/// Before anything is written: every id the env records for an imported resource
/// being pushed must still exist.
fn verify_imports(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    env: &str,
    imports: &[&ResourceChange],
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
        let _s = ctx.ui.spinner("Checking the imported resources...");
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
