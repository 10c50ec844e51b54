//! `authwiz push`: checks that imported resources still exist, records imports and
//! unlinks in `#current-cloud-backend/`, and regenerates the client configuration.
//! Imported auth needs no mutating AWS call.

use super::storage::read_settings;
use crate::auth::import::{EnvIds, missing_resources};
use crate::auth::state::CATEGORY;
use crate::cli::PushArgs;
use crate::cloud::Aws;
use crate::error::{Error, Result};
use crate::outputs;
use crate::project::{
    BACKEND_DIR, CURRENT_BACKEND_CONFIG, CURRENT_CLOUD_BACKEND, CURRENT_META, Doc, Layout, Project,
};
use crate::prompt::{Asker, Prompter, Question};
use crate::push::plan::{Operation, ResourceChange, classify, has_changes};
use crate::push::storage as push_storage;
use crate::storage::{CATEGORY as STORAGE, auth_facts, check_auth};

use super::Context;
use super::status::print_table;

pub fn run(ctx: &Context, args: PushArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let changes = classify(&project);
    print_table(&ctx.ui, &env, &changes);
    if !has_changes(&changes) {
        ctx.ui.line("No changes detected");
        return Ok(());
    }
    refuse_managed(&changes)?;
    if project.store.exists(JOURNAL) {
        ctx.ui.warn(format!(
            "A previous push did not finish ({JOURNAL}); this push reads the roles again and completes it."
        ));
    }
    verify_imports(ctx, &project, &env, &changes)?;
    let storage = plan_storage(ctx, &project, &env, &changes)?;
    if let Some((_, plan)) = &storage {
        for line in push_storage::describe(plan) {
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
    let broadens = storage.as_ref().is_some_and(|(_, p)| p.broadens());
    let message = if broadens {
        "This push grants IAM roles permissions they do not have now (listed above). Are you sure you want to continue?"
    } else {
        "Are you sure you want to continue?"
    };
    if !Asker::new(prompter, ctx.yes).proceed(&Question::new("confirm", message, "--yes"), true)? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    if let Some((aws, plan)) = &storage {
        apply_storage(ctx, &project, aws, plan)?;
    }
    record(&mut project, &env, &changes)?;
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

/// The storage resources to apply and what that changes on the roles.
fn plan_storage(
    ctx: &Context,
    project: &Project,
    env: &str,
    changes: &[ResourceChange],
) -> Result<Option<(Aws, push_storage::Plan)>> {
    let mut targets = Vec::new();
    for c in changes
        .iter()
        .filter(|c| c.category == STORAGE && c.operation != Operation::NoChange)
    {
        let bucket = project
            .env_params(env, STORAGE, &c.name)
            .and_then(|p| p.get("bucketName"))
            .and_then(|b| b.as_str())
            .map(str::to_string);
        let pushed_bucket = || {
            project
                .current_meta
                .as_ref()
                .and_then(|m| m.value.resource(STORAGE, &c.name))
                .and_then(|r| r.output.as_ref())
                .and_then(|o| o.get("BucketName"))
                .and_then(|b| b.as_str())
                .map(str::to_string)
        };
        let target = if c.operation == Operation::Delete {
            push_storage::Target {
                resource: c.name.clone(),
                settings: None,
                bucket: pushed_bucket().or(bucket).unwrap_or_default(),
            }
        } else {
            let settings = read_settings(project, &c.name)?;
            let bucket = bucket.unwrap_or_else(|| settings.env_bucket(env));
            push_storage::Target {
                resource: c.name.clone(),
                settings: Some(settings),
                bucket,
            }
        };
        targets.push(target);
    }
    if targets.is_empty() {
        return Ok(None);
    }
    let facts = auth_facts(project, env)?;
    let guests = targets
        .iter()
        .any(|t| t.settings.as_ref().is_some_and(|s| s.guests()));
    check_auth(guests, facts.as_ref())?;
    let facts = facts.expect("checked");
    let aws = ctx.connect(project, env)?;
    let plan = {
        let _s = ctx.ui.spinner("Reading the roles' policies...");
        aws.block_on(push_storage::plan(
            &aws.iam(),
            &aws.s3(),
            &facts,
            env,
            &targets,
        ))?
    };
    Ok(Some((aws, plan)))
}

/// Journal of an IAM change in progress (git-ignored with Amplify's local files).
const JOURNAL: &str = "amplify/.config/local-authwiz-push.json";

fn apply_storage(
    ctx: &Context,
    project: &Project,
    aws: &Aws,
    plan: &push_storage::Plan,
) -> Result<()> {
    if plan.is_empty() {
        return Ok(());
    }
    let steps: Vec<serde_json::Value> = plan
        .policies
        .iter()
        .map(|p| serde_json::json!({"role": p.role, "policy": p.policy, "before": p.before, "after": p.after}))
        .collect();
    project.store.write_value(
        JOURNAL,
        &serde_json::json!({"buckets": plan.buckets, "policies": steps}),
    )?;
    let _s = ctx.ui.spinner("Updating the roles' policies...");
    match aws.block_on(push_storage::apply(
        &aws.iam(),
        &aws.s3(),
        aws.region(),
        plan,
    )) {
        Ok(()) => {
            project.store.remove_file(JOURNAL)?;
            Ok(())
        }
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
        let params = project.env_params(env, CATEGORY, &c.name);
        let ids = EnvIds::from_params(params);
        if ids.user_pool_id.is_none()
            || ids.web_client_id.is_none()
            || ids.native_client_id.is_none()
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

/// Records the pushed state. Everything is computed first (so a client file that
/// cannot be regenerated stops the push before anything is written), then meta,
/// `#current-cloud-backend/` and the client files are written.
fn record(project: &mut Project, env: &str, changes: &[ResourceChange]) -> Result<()> {
    let stamp = timestamp();
    let region = project.env_region(env).unwrap_or_default().to_string();
    for c in changes {
        if !matches!(
            c.operation,
            Operation::Import | Operation::Create | Operation::Update
        ) {
            continue;
        }
        let bucket = project
            .env_params(env, STORAGE, &c.name)
            .and_then(|p| p.get("bucketName"))
            .and_then(|b| b.as_str())
            .map(str::to_string);
        if let Some(r) = project
            .meta
            .value
            .categories
            .get_mut(&c.category)
            .and_then(|cat| cat.get_mut(&c.name))
        {
            r.last_push_time_stamp = Some(stamp.clone());
            if c.category == STORAGE
                && let Some(bucket) = bucket
            {
                let mut output = serde_json::Map::new();
                output.insert("BucketName".into(), bucket.into());
                output.insert("Region".into(), region.clone().into());
                r.output = Some(output);
            }
        }
    }
    let current = Doc::new(CURRENT_META, project.meta.value.clone());
    let backend = Doc::new(CURRENT_BACKEND_CONFIG, project.backend_config.value.clone());
    project.current_meta = Some(current);
    project.current_backend_config = Some(backend);
    let files = outputs::render(project)?;
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
    outputs::write(project, &files)
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
