//! `authwiz env remove NAME [--delete-cloud]`: the env's records, and on
//! request what its pushes made in the cloud.

use super::Context;
use crate::error::{Error, Result};
use crate::project::{Doc, Project, snapshot_dir};
use crate::prompt::{Asker, Prompter, Question};

pub(super) fn remove(
    ctx: &Context,
    name: &str,
    (delete_cloud, delete_users): (bool, bool),
    prompter: &mut dyn Prompter,
) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    if !project.tpi.value.contains_key(name) && !project.aws_info.value.contains_key(name) {
        project.known_env(name)?;
    }
    if project
        .local_env
        .as_ref()
        .is_some_and(|d| d.value.env_name == name)
    {
        return Err(Error::refused(
            "You cannot delete your current environment.",
            "Switch to another environment before deleting the current environment (`authwiz env checkout <name>`).",
        ));
    }
    let deployed = deployed_managed_auth(&project, name);
    // In a terminal the cloud's part is offered (no by default); without one
    // only --delete-cloud deletes it.
    let delete_cloud = delete_cloud
        || (!deployed.is_empty() && !ctx.yes && {
            let q = Question::new(
                "delete-cloud",
                format!(
                    "Environment '{name}' has resources in the cloud ({}). Delete them too?",
                    deployed.join(", ")
                ),
                "--delete-cloud",
            );
            Asker::new(prompter, false)
                .proceed(&q, false)
                .unwrap_or(false)
        });
    if delete_cloud {
        if !crate::commands::push::env_removal::delete_cloud(
            ctx,
            &mut project,
            name,
            delete_users,
            prompter,
        )? {
            ctx.ui.line("Nothing was changed.");
            return Ok(());
        }
    } else if !deployed.is_empty() {
        ctx.ui.warn(format!(
            "Environment '{name}' has Amplify-managed auth in the cloud, which stays there: {}. To delete it too: `authwiz env remove {name} --delete-cloud`.",
            deployed.join(", ")
        ));
    }
    let q = Question::new(
        "confirm",
        format!(
            "Are you sure you want to continue? This removes the '{name}' environment's records from this project (team-provider-info.json and local settings). No cloud resource is deleted."
        ),
        "--yes",
    );
    // Deleting the cloud's part was confirmed already, records included.
    if !delete_cloud && !Asker::new(prompter, ctx.yes).proceed(&q, false)? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    // The parked state first: a path the Store refuses stops the command before any file changes.
    project.store.remove_dir(snapshot_dir(name))?;
    project.tpi.value.shift_remove(name);
    project.aws_info.value.shift_remove(name);
    project.save_tpi()?;
    project.save_aws_info()?;
    project.commit("env remove")?;
    ctx.ui
        .success("Successfully removed environment from your project locally");
    Ok(())
}

/// The managed auth resources the env's pushed snapshot says are deployed.
fn deployed_managed_auth(project: &Project, env: &str) -> Vec<String> {
    let meta: Option<Doc<crate::project::AmplifyMeta>> = project
        .store
        .read(format!("{}/amplify-meta.json", snapshot_dir(env)))
        .ok()
        .flatten();
    let Some(meta) = meta else {
        return Vec::new();
    };
    let Some(auth) = meta.value.categories.get(crate::auth::CATEGORY) else {
        return Vec::new();
    };
    auth.iter()
        .filter(|(_, r)| r.is_managed_cognito())
        .filter_map(|(name, r)| {
            let o = r.output.as_ref()?;
            let get = |k: &str| o.get(k).and_then(serde_json::Value::as_str);
            let mut what = format!("auth {name}: user pool {}", get("UserPoolId")?);
            if let Some(ip) = get("IdentityPoolId") {
                what.push_str(&format!(", identity pool {ip}"));
            }
            Some(what)
        })
        .collect()
}
