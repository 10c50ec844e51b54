//! `authwiz push`: checks that imported resources still exist, records imports and
//! unlinks in `#current-cloud-backend/`, and regenerates the client configuration.
//! Imported auth needs no mutating AWS call.

use crate::auth::import::{EnvIds, missing_resources};
use crate::auth::state::CATEGORY;
use crate::cli::PushArgs;
use crate::error::{Error, Result};
use crate::outputs;
use crate::project::{
    AmplifyMeta, BACKEND_DIR, CURRENT_BACKEND_CONFIG, CURRENT_CLOUD_BACKEND, CURRENT_META, Doc,
    Layout, Project,
};
use crate::prompt::{Asker, Prompter, Question};
use crate::push::plan::{Operation, ResourceChange, classify, has_changes};

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
    verify_imports(ctx, &project, &env, &changes)?;
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
    let q = Question::new("confirm", "Are you sure you want to continue?", "--yes");
    if !Asker::new(prompter, ctx.yes).proceed(&q, true)? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    apply(&mut project, &changes)?;
    ctx.ui.check("All resources are updated in the cloud");
    Ok(())
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

/// Records the pushed state: meta timestamps first, then `#current-cloud-backend/`,
/// then the client files. A re-run after an interruption converges.
fn apply(project: &mut Project, changes: &[ResourceChange]) -> Result<()> {
    let stamp = timestamp();
    for c in changes {
        match c.operation {
            Operation::Import | Operation::Create | Operation::Update => {
                if let Some(r) = project
                    .meta
                    .value
                    .categories
                    .get_mut(&c.category)
                    .and_then(|cat| cat.get_mut(&c.name))
                {
                    r.last_push_time_stamp = Some(stamp.clone());
                }
            }
            _ => {}
        }
    }
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
    let current = Doc::new(
        CURRENT_META,
        AmplifyMeta {
            ..project.meta.value.clone()
        },
    );
    project.store.write(&current, Layout::Ordered)?;
    let backend = Doc::new(CURRENT_BACKEND_CONFIG, project.backend_config.value.clone());
    project.store.write(&backend, Layout::Sorted)?;
    project.current_meta = Some(current);
    project.current_backend_config = Some(backend);
    let files = outputs::render(project)?;
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
