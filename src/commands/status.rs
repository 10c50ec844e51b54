//! `authwiz status`: what a push would change. Offline: reads local files only.

use serde_json::json;

use crate::auth::CATEGORY;
use crate::auth::import::rules::missing_resources;
use crate::auth::state::env_record;
use crate::cli::StatusArgs;
use crate::error::Result;
use crate::project::Project;
use crate::push::plan::{Operation, ResourceChange, classify};

use super::Context;

pub fn run(ctx: &Context, args: StatusArgs) -> Result<()> {
    let project = ctx.open()?;
    let env = project.current_env()?;
    let changes = classify(&project);
    let client_files = crate::outputs::out_of_date(&project)?;
    let cloud = if args.check_cloud {
        Some(check_cloud(ctx, &project, env, &changes)?)
    } else {
        None
    };
    if args.json {
        let resources: Vec<_> = changes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut r = json!({
                    "category": c.category,
                    "resourceName": c.name,
                    "operation": c.operation.label(),
                    "providerPlugin": c.provider_plugin,
                });
                if let Some(Some(missing)) = cloud.as_ref().map(|v| &v[i]) {
                    r["cloud"] = json!({"ok": missing.is_empty(), "missing": missing});
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
    if let Some(cloud) = cloud {
        for (c, missing) in changes.iter().zip(cloud) {
            match missing {
                Some(m) if m.is_empty() => ctx.ui.check(format!("{} {}: every imported id exists in the cloud.", c.category, c.name)),
                Some(m) => ctx.ui.warn(format!(
                    "{} {}: missing in the cloud: {}. Unlink it (`authwiz remove auth {}`) or import other resources.",
                    c.category,
                    c.name,
                    m.join(", "),
                    c.name
                )),
                None => {}
            }
        }
    }
    Ok(())
}

/// For each row: the imported ids of the current env that no longer exist
/// (`None` for rows that are not imported auth). Read-only calls.
fn check_cloud(
    ctx: &Context,
    project: &Project,
    env: &str,
    changes: &[ResourceChange],
) -> Result<Vec<Option<Vec<String>>>> {
    let imported: Vec<bool> = changes
        .iter()
        .map(|c| c.imported && c.category == CATEGORY && c.operation != Operation::Unlink)
        .collect();
    if !imported.contains(&true) {
        return Ok(vec![None; changes.len()]);
    }
    let aws = ctx.connect(project, env)?;
    let (idp, identity, iam) = (aws.cognito_idp(), aws.cognito_identity(), aws.iam());
    let _s = ctx.ui.spinner("Checking the imported resources...");
    changes
        .iter()
        .zip(imported)
        .map(|(c, is_imported)| {
            if !is_imported {
                return Ok(None);
            }
            let ids = env_record(project, env, &c.name)?.unwrap_or_default();
            if ids.user_pool().is_none() {
                return Ok(Some(vec![format!(
                    "ids (none recorded for environment '{env}')"
                )]));
            }
            Ok(Some(aws.block_on(missing_resources(
                &idp, &identity, &iam, &ids,
            ))?))
        })
        .collect()
}
