//! `env remove NAME --delete-cloud`: what the env's last push made (its
//! managed auth, the policies storage put on its roles, and the roles authwiz
//! made) deleted as a push that deletes: planned, shown, confirmed, journaled.

use super::confirm::confirm_user_deletion;
use super::{Context, Spinners};
use crate::error::Result;
use crate::project::Project;
use crate::prompt::{Asker, Prompter, Question};
use crate::push::auth;
use crate::push::operation::{Progress, apply_auth, apply_storage};
use crate::push::plan::{Operation, ResourceChange};
use crate::push::storage_push::{StoragePush, plan_storage};
use crate::storage::CATEGORY as STORAGE;

/// Journals of an env removal in progress (never a push's: a push of the
/// current env must not take them for its own).
const AUTH_JOURNAL: &str = "amplify/.config/local-authwiz-env-remove-auth.json";
const STORAGE_JOURNAL: &str = "amplify/.config/local-authwiz-env-remove-storage.json";

/// Deletes `env`'s cloud resources; `false` when the user said no.
pub fn delete_cloud(
    ctx: &Context,
    project: &mut Project,
    env: &str,
    delete_users: bool,
    prompter: &mut dyn Prompter,
) -> Result<bool> {
    project.load_snapshot(env)?;
    let storage: Vec<ResourceChange> = project
        .current_meta
        .as_ref()
        .and_then(|m| m.value.categories.get(STORAGE))
        .into_iter()
        .flatten()
        .map(|(name, r)| ResourceChange {
            category: STORAGE.to_string(),
            name: name.clone(),
            operation: Operation::Delete,
            provider_plugin: r.provider_plugin.clone().unwrap_or_default(),
            imported: false,
        })
        .collect();
    let aws = ctx.connect(project, env)?;
    let progress = Spinners(&ctx.ui);
    let auth = {
        let _s = progress.stage("Reading the auth resources...");
        auth::plan_env_removal(None, &aws, project, env)?
    };
    let refs: Vec<&ResourceChange> = storage.iter().collect();
    let storage = {
        let _s = progress.stage("Reading the roles' policies...");
        plan_storage(&aws, project, env, &refs, None)?
    };
    let auth_lines = auth.as_ref().map(auth::describe).unwrap_or_default();
    let storage_lines = storage
        .as_ref()
        .map(|s| crate::push::storage::describe(&s.plan))
        .unwrap_or_default();
    let nothing = auth.as_ref().is_none_or(|a| a.plan.is_empty())
        && storage
            .as_ref()
            .is_none_or(|s: &StoragePush| s.plan.is_empty());
    for line in auth_lines.iter().chain(&storage_lines) {
        ctx.ui.line(line);
    }
    if nothing {
        ctx.ui.line(format!(
            "Nothing that authwiz made for environment '{env}' is left in the cloud."
        ));
        return Ok(true);
    }
    if let Some(a) = &auth {
        confirm_user_deletion(prompter, &a.pools_with_users, delete_users)?;
    }
    let q = Question::new(
        "delete-cloud",
        format!(
            "This deletes environment '{env}''s cloud resources listed above (it cannot be undone) and its records in this project. Are you sure you want to continue?"
        ),
        "--yes",
    );
    if !Asker::new(prompter, ctx.yes).proceed(&q, false)? {
        return Ok(false);
    }
    // The policies first: a role holding one cannot be deleted.
    if let Some(s) = &storage {
        apply_storage(&aws, project, s, STORAGE_JOURNAL, &progress)?;
    }
    if let Some(a) = &auth {
        let stamp = super::timestamp(ctx.process.now());
        for path in apply_auth(&aws, project, a, (AUTH_JOURNAL, env, &stamp), &progress)? {
            ctx.ui.line(format!(
                "Backed up the deleted user pool's users, groups and memberships to {path}."
            ));
        }
    }
    Ok(true)
}
