//! `authwiz status`: what a push would change. Offline: reads local files only,
//! unless `--check-cloud` asks how the cloud holds what the last push made.

use serde_json::{Value, json};

use crate::auth::CATEGORY;
use crate::auth::import::rules::missing_resources;
use crate::auth::state::env_record;
use crate::cli::StatusArgs;
use crate::error::Result;
use crate::project::Project;
use crate::push::drift::{ResourceDrift, State};
use crate::push::plan::{Operation, ResourceChange, classify};

use super::Context;
use crate::push::auth as managed;

/// What `--check-cloud` found for one row.
enum Check {
    /// Imported auth: the recorded ids that no longer exist.
    Missing(Vec<String>),
    /// Managed auth: each resource the last push made, as it is live.
    Drift(Vec<ResourceDrift>),
}

impl Check {
    fn json(&self) -> Value {
        match self {
            Check::Missing(m) => json!({"ok": m.is_empty(), "missing": m}),
            Check::Drift(d) => json!({
                "ok": d.iter().all(|r| r.state == State::Same),
                "drift": d,
            }),
        }
    }
}

pub fn run(ctx: &Context, args: StatusArgs) -> Result<()> {
    let project = ctx.open()?;
    let env = project.current_env()?;
    let changes = classify(&project);
    let client_files = crate::outputs::out_of_date(&project)?;
    let cloud = if args.check_cloud {
        check_cloud(ctx, &project, env, &changes)?
    } else {
        changes.iter().map(|_| None).collect()
    };
    if args.json {
        let resources: Vec<_> = changes
            .iter()
            .zip(&cloud)
            .map(|(c, check)| {
                let mut r = json!({
                    "category": c.category,
                    "resourceName": c.name,
                    "operation": c.operation.label(),
                    "providerPlugin": c.provider_plugin,
                });
                if let Some(check) = check {
                    r["cloud"] = check.json();
                }
                r
            })
            .collect();
        let mut doc = json!({ "env": env, "resources": resources });
        if !client_files.is_empty() {
            doc["clientFiles"] = super::client_files::json_rows(&client_files);
        }
        ctx.ui.json(&doc);
        return Ok(());
    }
    ctx.ui.status_table(env, &changes);
    super::client_files::report(&ctx.ui, &client_files);
    for (c, check) in changes.iter().zip(&cloud) {
        match check {
            Some(Check::Missing(m)) if m.is_empty() => ctx.ui.check(format!(
                "{} {}: every imported id exists in the cloud.",
                c.category, c.name
            )),
            Some(Check::Missing(m)) => ctx.ui.warn(format!(
                "{} {}: missing in the cloud: {}. Unlink it (`authwiz remove auth {}`) or import other resources.",
                c.category,
                c.name,
                m.join(", "),
                c.name
            )),
            Some(Check::Drift(d)) => report_drift(ctx, c, d),
            None => {}
        }
    }
    Ok(())
}

/// Drift of a managed resource: what changed outside authwiz (pushed → live),
/// what is gone, and the settings present that the files do not manage.
fn report_drift(ctx: &Context, c: &ResourceChange, drift: &[ResourceDrift]) {
    let name = format!("{} {}", c.category, c.name);
    if drift.iter().all(|r| r.state == State::Same) {
        ctx.ui
            .check(format!("{name}: the cloud holds what the last push made."));
    } else {
        let mut lines = vec![format!(
            "{name}: changed outside authwiz since the last push (pushed → live):"
        )];
        for r in drift {
            match r.state {
                State::Same => {}
                State::Gone => lines.push(format!("  {}: gone from the cloud", r.label)),
                State::Changed => {
                    lines.push(format!("  {}:", r.label));
                    lines.extend(r.fields.iter().map(|f| format!("    {}", f.line())));
                }
            }
        }
        lines.push("  `authwiz push` sets the changed fields back and makes again what is gone (a user pool only when you confirm); `authwiz pull auth` takes the live values into the project's files instead.".into());
        ctx.ui.warn(lines.join("\n"));
    }
    let unmanaged: Vec<String> = drift
        .iter()
        .filter(|r| !r.unmanaged.is_empty())
        .map(|r| format!("  {}: {}", r.label, r.unmanaged.join(", ")))
        .collect();
    if !unmanaged.is_empty() {
        ctx.ui.line(format!(
            "{name}: settings made outside the project's files (every push keeps them as they are):\n{}",
            unmanaged.join("\n")
        ));
    }
}

/// For each row, what the cloud holds (`None` for rows not checked). Read-only calls.
fn check_cloud(
    ctx: &Context,
    project: &Project,
    env: &str,
    changes: &[ResourceChange],
) -> Result<Vec<Option<Check>>> {
    let imported = |c: &ResourceChange| {
        c.imported && c.category == CATEGORY && c.operation != Operation::Unlink
    };
    let checked = |c: &ResourceChange| imported(c) || managed::pushed_pool(project, c);
    if !changes.iter().any(checked) {
        return Ok(changes.iter().map(|_| None).collect());
    }
    let aws = ctx.connect(project, env)?;
    let (idp, identity, iam) = (aws.cognito_idp(), aws.cognito_identity(), aws.iam());
    let _s = ctx.ui.spinner("Checking the cloud...");
    changes
        .iter()
        .map(|c| {
            if managed::pushed_pool(project, c) {
                return Ok(Some(Check::Drift(managed::drift(
                    &aws, project, env, &c.name,
                )?)));
            }
            if !imported(c) {
                return Ok(None);
            }
            let ids = env_record(project, env, &c.name)?.unwrap_or_default();
            if ids.user_pool().is_none() {
                return Ok(Some(Check::Missing(vec![format!(
                    "ids (none recorded for environment '{env}')"
                )])));
            }
            Ok(Some(Check::Missing(aws.block_on(missing_resources(
                &idp, &identity, &iam, &ids,
            ))?)))
        })
        .collect()
}
