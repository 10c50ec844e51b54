//! `authwiz push`: checks that imported resources still exist, applies storage
//! access to the roles, records what was pushed in `#current-cloud-backend/`, and
//! regenerates the client configuration. Imported auth itself needs no mutating
//! AWS call.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::Context;
use super::status::print_table;
use super::storage::{read_settings, storage_bucket};
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
use crate::push::plan::{Operation, ResourceChange, classify, has_changes};
use crate::push::storage::{self as push_storage, Plan, Roles, Target};
use crate::storage::{CATEGORY as STORAGE, StorageSettings, storage_auth};

/// Journal of an IAM change in progress (git-ignored with Amplify's local files).
const JOURNAL: &str = "amplify/.config/local-authwiz-push.json";

pub fn run(ctx: &Context, args: PushArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let changes = classify(&project);
    print_table(&ctx.ui, &env, &changes);
    let leftovers = journal(&project)?;
    if !leftovers.is_empty() {
        ctx.ui.warn(format!("A previous push did not finish ({JOURNAL}); this push reads the roles again and completes it."));
    }
    if !has_changes(&changes) && leftovers.is_empty() {
        ctx.ui.line("No changes detected");
        return Ok(());
    }
    refuse_managed(&changes)?;
    verify_imports(ctx, &project, &env, &changes)?;
    let storage = plan_storage(ctx, &project, &env, &changes, &leftovers)?;
    if let Some(s) = &storage {
        for line in push_storage::describe(&s.plan) {
            ctx.ui.line(line);
        }
    }
    if args.dry_run {
        for c in changes
            .iter()
            .filter(|c| c.operation != Operation::NoChange)
        {
            ctx.ui.line(format!(
                "Would {}: {} {}",
                c.operation.label().to_lowercase(),
                c.category,
                c.name
            ));
        }
        ctx.ui.line("Dry run: nothing was changed.");
        return Ok(());
    }
    let broadens = storage.as_ref().is_some_and(|s| s.plan.broadens());
    let message = if broadens {
        "This push grants IAM roles permissions they do not have now (listed above). Are you sure you want to continue?"
    } else {
        "Are you sure you want to continue?"
    };
    if !Asker::new(prompter, ctx.yes).proceed(&Question::new("confirm", message, "--yes"), true)? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    // Everything local is computed (and the client files rendered) before IAM is
    // touched, so a file that cannot be regenerated stops the push first.
    let pushed_storage = storage
        .as_ref()
        .map(|s| s.outputs.clone())
        .unwrap_or_default();
    let files = prepare_record(&mut project, &changes, &pushed_storage)?;
    if let Some(s) = &storage {
        apply_storage(ctx, &project, s)?;
    }
    write_record(&project, &changes, &files)?;
    ctx.ui.check("All resources are updated in the cloud");
    Ok(())
}

/// authwiz deploys imported auth and storage; anything else is the Amplify CLI's.
fn refuse_managed(changes: &[ResourceChange]) -> Result<()> {
    let managed: Vec<String> = changes
        .iter()
        .filter(|c| !c.imported && c.category != STORAGE && c.operation != Operation::NoChange)
        .map(|c| format!("{} {} ({})", c.category, c.name, c.operation.label()))
        .collect();
    if managed.is_empty() {
        return Ok(());
    }
    Err(Error::refused(
        format!(
            "authwiz pushes imported auth and storage only; these resources are deployed by the Amplify CLI: {}. Nothing was pushed.",
            managed.join(", ")
        ),
        "Run `amplify push` for them (or remove them from the project), then `authwiz push`.",
    ))
}

/// The (role, policy) pairs an unfinished push recorded.
fn journal(project: &Project) -> Result<Vec<(String, String)>> {
    let doc: Option<Doc<Value>> = project.store.read(JOURNAL)?;
    Ok(doc
        .and_then(|d| d.value.get("policies").and_then(Value::as_array).cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            Some((
                p.get("role")?.as_str()?.to_string(),
                p.get("policy")?.as_str()?.to_string(),
            ))
        })
        .collect())
}

/// What a push does for storage, and what it records per resource.
struct StoragePush {
    aws: Aws,
    plan: Plan,
    /// Resource → meta output (bucket, region, the roles it was applied to).
    outputs: HashMap<String, Map<String, Value>>,
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

fn plan_storage(
    ctx: &Context,
    project: &Project,
    env: &str,
    changes: &[ResourceChange],
    leftovers: &[(String, String)],
) -> Result<Option<StoragePush>> {
    // After an unfinished push every storage resource is planned again.
    let wanted: Vec<&ResourceChange> = changes
        .iter()
        .filter(|c| {
            c.category == STORAGE && (c.operation != Operation::NoChange || !leftovers.is_empty())
        })
        .collect();
    if wanted.is_empty() && leftovers.is_empty() {
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
    let aws = ctx.connect(project, env)?;
    let plan = {
        let _s = ctx.ui.spinner("Reading the roles' policies...");
        aws.block_on(push_storage::plan(
            &aws.iam(),
            &aws.s3(),
            &current,
            &identity_pool,
            env,
            &targets,
            leftovers,
        ))?
    };
    let region = aws.region().to_string();
    let outputs = targets
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
        .collect();
    Ok(Some(StoragePush { aws, plan, outputs }))
}

fn apply_storage(ctx: &Context, project: &Project, s: &StoragePush) -> Result<()> {
    if s.plan.is_empty() {
        return Ok(project.store.remove_file(JOURNAL)?);
    }
    let steps: Vec<Value> = s
        .plan
        .policies
        .iter()
        .map(|p| json!({"role": p.role, "policy": p.policy, "before": p.before, "after": p.after}))
        .collect();
    project.store.write_value(
        JOURNAL,
        &json!({"buckets": s.plan.buckets, "policies": steps}),
    )?;
    let _spin = ctx.ui.spinner("Updating the roles' policies...");
    match s.aws.block_on(push_storage::apply(
        &s.aws.iam(),
        &s.aws.s3(),
        s.aws.region(),
        &s.plan,
    )) {
        Ok(()) => Ok(project.store.remove_file(JOURNAL)?),
        Err(failed) if failed.restored => {
            project.store.remove_file(JOURNAL)?;
            Err(Error::refused(
                format!(
                    "The push failed while {}: {}\nEvery role was put back to its previous policies; nothing was recorded.",
                    failed.step, failed.error
                ),
                "Fix the cause (permissions, network) and run `authwiz push` again.",
            ))
        }
        Err(failed) => Err(Error::refused(
            format!(
                "The push failed while {}: {}\nSome roles could not be restored; {JOURNAL} lists each policy's previous and planned document.",
                failed.step, failed.error
            ),
            "Run `authwiz push` again: it reads the roles and completes the change.",
        )),
    }
}

/// Before anything is written: every id the env records for an imported resource
/// being pushed must still exist.
fn verify_imports(
    ctx: &Context,
    project: &Project,
    env: &str,
    changes: &[ResourceChange],
) -> Result<()> {
    let imports: Vec<&ResourceChange> = changes
        .iter()
        .filter(|c| c.operation == Operation::Import && c.category == CATEGORY)
        .collect();
    if imports.is_empty() {
        return Ok(());
    }
    let aws = ctx.connect(project, env)?;
    let (idp, identity, iam) = (aws.cognito_idp(), aws.cognito_identity(), aws.iam());
    for c in imports {
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
    project: &mut Project,
    changes: &[ResourceChange],
    storage_outputs: &HashMap<String, Map<String, Value>>,
) -> Result<Vec<outputs::Generated>> {
    let stamp = timestamp();
    for c in changes {
        if !matches!(
            c.operation,
            Operation::Import | Operation::Create | Operation::Update
        ) && !storage_outputs.contains_key(&c.name)
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
            if c.category == STORAGE
                && let Some(output) = storage_outputs.get(&c.name)
            {
                r.output = Some(output.clone());
            }
        }
    }
    project.current_meta = Some(Doc::new(CURRENT_META, project.meta.value.clone()));
    project.current_backend_config = Some(Doc::new(
        CURRENT_BACKEND_CONFIG,
        project.backend_config.value.clone(),
    ));
    outputs::render(project)
}

/// Writes what `prepare_record` decided: meta, `#current-cloud-backend/`, client files.
fn write_record(
    project: &Project,
    changes: &[ResourceChange],
    files: &[outputs::Generated],
) -> Result<()> {
    project.save_meta()?;
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
    if let Some(current) = &project.current_meta {
        project.store.write(current, Layout::Ordered)?;
    }
    if let Some(backend) = &project.current_backend_config {
        project.store.write(backend, Layout::Sorted)?;
    }
    outputs::write(project, files)
}

/// Now as `2026-11-22T05:14:05.897Z` (what Amplify writes).
fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (secs, millis) = (now.as_secs() as i64, now.subsec_millis());
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
