//! `authwiz push`: checks that imported resources still exist, applies storage
//! access to the roles, records what was pushed in `#current-cloud-backend/`, and
//! regenerates the client configuration. Imported auth itself needs no mutating
//! AWS call.

use std::collections::HashMap;

use serde_json::{Map, Value};

pub mod env_removal;
pub mod managed;

use super::{Context, timestamp};
use crate::auth::CATEGORY;
use crate::auth::import::rules::missing_resources;
use crate::auth::state::env_record;
use crate::cli::PushArgs;
use crate::cloud::Aws;
use crate::error::{Error, Result};
use crate::outputs;
use crate::project::{
    BACKEND_DIR, CURRENT_BACKEND_CONFIG, CURRENT_CLOUD_BACKEND, CURRENT_META, Doc, Layout, Project,
};
use crate::prompt::{Asker, Prompter, Question};
use crate::push::auth::AuthPush;
use crate::push::engine::{Engine, Journal, JournalFile, Plan};
use crate::push::plan::{Operation, ResourceChange, classify, has_changes};
use crate::push::storage::{self as push_storage};
use crate::push::storage_push::{StoragePush, plan_storage, providers, storage_changes};
use crate::storage::CATEGORY as STORAGE;

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
    let aws =
        if !imports.is_empty() || !storage_wanted.is_empty() || !auth_wanted.is_empty() || resuming
        {
            Some(ctx.connect(&project, &env)?)
        } else {
            None
        };
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

fn dry_run(ctx: &Context, changes: &[ResourceChange]) {
    for c in changes
        .iter()
        .filter(|c| c.operation != Operation::NoChange)
    {
        let op = c.operation.label().to_lowercase();
        ctx.ui
            .line(format!("Would {op}: {} {}", c.category, c.name));
    }
    ctx.ui.line("Dry run: nothing was changed.");
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
    let files =
        prepare_record(ctx, project, changes, &outputs).map_err(|e| not_recorded(&auth_plan, e))?;
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

/// The push's confirmations: a pool with users deleted, a gone pool made
/// again, and the push itself (No by default when it lets more in).
fn confirm(
    ctx: &Context,
    prompter: &mut dyn Prompter,
    args: &PushArgs,
    (auth, storage): (Option<&AuthPush>, Option<&StoragePush>),
) -> Result<bool> {
    if let Some(a) = auth {
        confirm_user_deletion(prompter, &a.pools_with_users, args.delete_users)?;
        confirm_recreation(prompter, &a.gone_pools(), args.recreate)?;
    }
    let grants = storage.is_some_and(|s| s.plan.broadens());
    let opens = auth.is_some_and(|a| a.plan.broadens());
    let message = if grants {
        "This push grants IAM roles permissions they do not have now (listed above). Are you sure you want to continue?"
    } else if opens {
        "This push lets more in than now (listed above: a role's trust, guest access or the classic flow). Are you sure you want to continue?"
    } else {
        "Are you sure you want to continue?"
    };
    // Broadening access is never the default answer in a terminal; --yes still proceeds.
    let q = Question::new("confirm", message, "--yes");
    Ok(Asker::new(prompter, ctx.yes).proceed(&q, !(grants || opens))?)
}

/// A user pool that holds users is deleted only when the user says so for
/// that pool: its name typed in a terminal, or `--delete-users` without one.
fn confirm_user_deletion(
    prompter: &mut dyn Prompter,
    pools: &[(String, i64)],
    flag: bool,
) -> Result<()> {
    if flag {
        return Ok(());
    }
    for (name, users) in pools {
        let q = Question::new(
            "delete-user-pool",
            format!(
                "This push deletes user pool {name} and its {users} user(s); they cannot be recovered. Type the pool's name to delete it"
            ),
            "--delete-users",
        );
        let typed = Asker::new(prompter, false).text(&q, None, None).map_err(|_| {
            Error::refused(
                format!("This push would delete user pool {name}, which holds {users} user(s). Nothing was changed."),
                "Run `authwiz push` in a terminal and type the pool's name, or pass --delete-users to delete user pools with their users.",
            )
        })?;
        if typed.trim() != name {
            return Err(Error::refused(
                format!(
                    "'{}' is not the pool's name ({name}). Nothing was changed.",
                    typed.trim()
                ),
                "Run `authwiz push` again and type the name exactly, or keep the resource (`git checkout amplify/`).",
            ));
        }
    }
    Ok(())
}

/// A recorded user pool that is gone is made again (new, empty, under a new
/// id) only when the user says so: yes in a terminal (no by default), or
/// `--recreate`; never under `--yes` alone.
fn confirm_recreation(
    prompter: &mut dyn Prompter,
    gone: &[(String, String)],
    flag: bool,
) -> Result<()> {
    if flag {
        return Ok(());
    }
    for (name, id) in gone {
        let q = Question::new(
            "recreate-user-pool",
            format!(
                "User pool {name} ({id}) is gone from the cloud, with its users. Make a new, empty pool of the same name (a new id for every app)?"
            ),
            "--recreate",
        );
        let refused = || {
            Error::refused(
                format!(
                    "User pool {name} ({id}), recorded by the last push, is gone from the cloud (deleted outside authwiz). Nothing was changed."
                ),
                "To make a new, empty pool in its place, run `authwiz push --recreate` (its users are not restored); or, to let it go, `authwiz remove auth` and `authwiz push`.",
            )
        };
        let yes = Asker::new(prompter, false)
            .proceed(&q, false)
            .map_err(|_| refused())?;
        if !yes {
            return Err(refused());
        }
    }
    Ok(())
}

/// authwiz deploys auth (imported and managed) and storage; anything else is the Amplify CLI's.
fn refuse_others(project: &Project, changes: &[ResourceChange]) -> Result<()> {
    let others: Vec<String> = changes
        .iter()
        .filter(|c| {
            !c.imported
                && c.category != STORAGE
                && !managed::deploys(project, c)
                && c.operation != Operation::NoChange
        })
        .map(|c| format!("{} {} ({})", c.category, c.name, c.operation.label()))
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    Err(Error::refused(
        format!(
            "authwiz pushes auth and storage only; these resources are deployed by the Amplify CLI: {}. Nothing was pushed.",
            others.join(", ")
        ),
        "Run `amplify push` for them (or remove them from the project), then `authwiz push`.",
    ))
}

fn apply_storage(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    s: &StoragePush,
    journal: &str,
) -> Result<()> {
    let (iam, s3) = (aws.iam(), aws.s3());
    let (policies, buckets) = providers(aws, &iam, &s3);
    let engine = Engine::new(&[&policies, &buckets]);
    apply_plan(
        ctx,
        aws,
        project,
        &engine,
        &s.plan,
        journal,
        (
            "Updating the roles' policies...",
            "Every role was put back to its previous policies",
        ),
    )
}

/// Applies a plan with its journal; a failure says what was put back and what
/// the next push completes.
fn apply_plan(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    engine: &Engine,
    plan: &Plan,
    rel: &str,
    (doing, restored): (&str, &str),
) -> Result<()> {
    if plan.is_empty() {
        return Ok(project.store.remove_file(rel)?);
    }
    let journal = JournalFile {
        store: &project.store,
        rel,
    };
    let _spin = ctx.ui.spinner(doing);
    match aws.block_on(engine.apply(plan, &journal)) {
        Ok(()) => Ok(()),
        Err(failed) if failed.restored => Err(Error::PushFailed {
            what: format!(
                "The push failed at '{}': {}\n{restored}; nothing was recorded.",
                failed.step, failed.error
            ),
            fix: "Fix the cause (permissions, network) and run `authwiz push` again.".into(),
            cause: Box::new(failed.error),
        }),
        Err(failed) => Err(Error::PushFailed {
            what: format!(
                "The push failed at '{}': {}\nThese changes are applied in the cloud: {}. {rel} lists each step's previous and planned state.",
                failed.step,
                failed.error,
                if failed.left.is_empty() {
                    "none".to_string()
                } else {
                    failed.left.join("; ")
                }
            ),
            fix: "Run `authwiz push` again: it reads the resources and completes the change."
                .into(),
            cause: Box::new(failed.error),
        }),
    }
}

/// The imported auth resources this push records, whose ids must still exist.
fn imports_to_verify(changes: &[ResourceChange]) -> Vec<&ResourceChange> {
    changes
        .iter()
        .filter(|c| c.operation == Operation::Import && c.category == CATEGORY)
        .collect()
}

/// A push whose cloud changes were applied but whose record could not be
/// written: say what is already in the cloud and how the next push completes it.
fn not_recorded(plans: &[&Plan], e: Error) -> Error {
    let applied: Vec<String> = plans
        .iter()
        .flat_map(|p| p.steps.iter())
        .map(|s| format!("{}: {}", s.label, s.action.label()))
        .collect();
    if applied.is_empty() {
        return e;
    }
    Error::refused(
        format!(
            "Already applied in the cloud: {}. Recording the push in the project failed:\n{e}",
            applied.join("; ")
        ),
        "Run `authwiz push` again (after fixing the cause): it finds these changes in place and records them.",
    )
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

/// Records the pushed state in memory and renders the client files; writes nothing.
fn prepare_record(
    ctx: &Context,
    project: &mut Project,
    changes: &[ResourceChange],
    outputs: &HashMap<(String, String), Map<String, Value>>,
) -> Result<Vec<outputs::Generated>> {
    let stamp = timestamp(ctx.process.now());
    for c in changes {
        if !matches!(
            c.operation,
            Operation::Import | Operation::Create | Operation::Update
        ) && !outputs.contains_key(&(c.category.clone(), c.name.clone()))
        {
            continue;
        }
        if let Some(r) = project
            .meta
            .value
            .categories
            .get_mut(&c.category)
            .and_then(|cat| cat.get_mut(&c.name))
        {
            if c.operation != Operation::NoChange {
                r.last_push_time_stamp = Some(stamp.clone());
            }
            if let Some(output) = outputs.get(&(c.category.clone(), c.name.clone())) {
                r.output = Some(output.clone());
            }
        }
    }
    project.current_meta = Some(Doc::new(CURRENT_META, project.meta.value.clone()));
    project.current_backend_config = Some(Doc::new(
        CURRENT_BACKEND_CONFIG,
        project.backend_config.value.clone(),
    ));
    outputs::render_from(project, outputs::Files::Pushing)
}

/// Writes what `prepare_record` decided as one transaction: meta,
/// `#current-cloud-backend/`, client files.
fn write_record(
    project: &Project,
    changes: &[ResourceChange],
    files: &[outputs::Generated],
) -> Result<()> {
    // Resource folders first: a path the Store refuses stops before any file changes.
    for c in changes {
        let local = format!("{BACKEND_DIR}/{}/{}", c.category, c.name);
        let pushed = format!("{CURRENT_CLOUD_BACKEND}/{}/{}", c.category, c.name);
        match c.operation {
            Operation::Import | Operation::Create | Operation::Update => {
                project.store.copy_dir(&local, &pushed)?
            }
            Operation::Unlink | Operation::Delete => project.store.remove_dir(&pushed)?,
            Operation::NoChange => {}
        }
    }
    project.save_meta()?;
    // The env's roles, when this push made them.
    project.save_tpi()?;
    if let Some(current) = &project.current_meta {
        project.store.write(current, Layout::Ordered)?;
    }
    if let Some(backend) = &project.current_backend_config {
        project.store.write(backend, Layout::Sorted)?;
    }
    outputs::write(project, files)?;
    Ok(project.commit("push")?)
}
