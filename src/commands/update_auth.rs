//! `authwiz update auth`: Amplify's "What do you want to do?" menu and
//! walkthrough (the question table of `auth::managed::questions`, answered by
//! prompts, flags or `--yes`) or, with `--headless`, Amplify's UpdateAuthRequest
//! (version 2); either becomes an UpdateAuthRequest applied onto the
//! Amplify-managed auth resource's files, as the Amplify CLI writes them
//! (cli-inputs.json, frontendAuthConfig, the `userPoolGroups` resource, the env's
//! federation ids).

use crate::auth::error::AuthError;
use crate::auth::managed::{self, headless, questions, update, walkthrough};
use crate::auth::model::{CATEGORY, CliInputs, CognitoConfig};
use crate::auth::state::{frontend_auth_config, resource_dir};
use crate::auth::triggers::{self, Selection};
use crate::cli::UpdateAuthArgs;
use crate::error::{Error, Result};
use crate::project::{Doc, Layout, Project, secrets};
use crate::prompt::{Asker, Prompter};
use crate::ui::NoticeRenderer;

use super::Context;

/// The name Amplify gives the groups resource.
const GROUPS: &str = "userPoolGroups";

pub fn run(ctx: &Context, args: UpdateAuthArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let res = cognito_resource(&project)?;
    let rel = format!("{}/cli-inputs.json", resource_dir(&res));
    let Some(mut doc) = project.store.read::<CliInputs>(&rel)? else {
        return Err(Error::refused(
            format!("{rel} is missing for the managed auth resource '{res}'."),
            "Restore it from version control, then run the command again.",
        ));
    };
    let home = super::home(ctx).ok();
    let modules = doc
        .value
        .cognito_config
        .triggers
        .clone()
        .unwrap_or_default();
    let was = triggers::env::current(&project, home.as_deref(), (&env, &res), &modules)
        .map_err(|e| Error::refused(e, "Correct the file it names, then run the command again."))?;
    let (request, wanted) = if args.headless {
        let text = super::read_stdin(ctx, "authwiz update auth --headless")?;
        let request = update::parse(&text).map_err(AuthError::UpdateRequest)?;
        let wanted = request.triggers.clone();
        (request, wanted)
    } else {
        let config = &doc.value.cognito_config;
        let (request, wanted) = menu(ctx, &project, (&env, &res), (config, &was), &args, prompter)?;
        (request, Some(wanted))
    };
    let mut config = doc.value.cognito_config.clone();
    let identity_pool = config.identity_pool_name.clone();
    let updated = update::apply(&request, &mut config).map_err(|e| {
        if args.headless {
            AuthError::UpdateRefused {
                res: res.clone(),
                reason: e.0,
            }
            .into()
        } else {
            Error::refused(
                format!(
                    "The answers cannot be applied to auth resource '{res}': {}",
                    e.0
                ),
                "Answer differently and run the command again; nothing was written.",
            )
        }
    })?;
    if let (Some(name), None) = (&identity_pool, &config.identity_pool_name) {
        ctx.ui.warn(format!(
            "Warning! Your existing IdentityPool: {name} will be deleted upon the next \"authwiz push\"!"
        ));
    }
    if let Some(wanted) = wanted.filter(|w| *w != was) {
        let problems = wanted.problems();
        if !problems.is_empty() {
            return Err(Error::refused(
                format!(
                    "The Lambda triggers of auth resource '{res}' are incomplete:\n  - {}",
                    problems.join("\n  - ")
                ),
                "Answer differently and run the command again; nothing was written.",
            ));
        }
        config.triggers = (!wanted.modules.is_empty()).then(|| wanted.modules.clone());
        super::record_triggers(ctx, &mut project, (&env, &res), (&wanted, &was))?;
    }
    doc.value.cognito_config = config;
    write(ctx, &mut project, (&env, &res), &doc, &updated)?;
    project.commit("update auth")?;
    ctx.ui.blank();
    ctx.ui
        .success(format!("Successfully updated auth resource {res} locally"));
    ctx.ui.blank();
    ctx.ui.line("Some next steps:");
    ctx.ui.line("\"authwiz push\" updates the resources in the cloud; `authwiz status` shows the resource as Update once it was pushed.");
    Ok(())
}

/// Writes an updated resource as the Amplify CLI does: cli-inputs.json, its
/// frontendAuthConfig, the moved stamp, the groups and the env's ids (the
/// command commits).
pub(super) fn write(
    ctx: &Context,
    project: &mut Project,
    (env, res): (&str, &str),
    doc: &Doc<CliInputs>,
    updated: &update::Updated,
) -> Result<()> {
    record(project, env, res, &doc.value, updated);
    // As Amplify's `updateamplifyMetaAfterResourceUpdate`: a pushed resource's
    // stamp moves to now (a resource never pushed gets none).
    if let Some(entry) = project
        .meta
        .value
        .categories
        .get_mut(CATEGORY)
        .and_then(|c| c.get_mut(res))
        .filter(|e| e.last_push_time_stamp.is_some())
    {
        entry.last_push_time_stamp = Some(super::timestamp(ctx.process.now()));
    }
    if let Some(groups) = &updated.groups {
        let dir = resource_dir(GROUPS);
        if groups.is_empty() {
            if project.store.exists(&dir) {
                project.store.remove_dir(&dir)?;
            }
        } else {
            project.store.write(
                &Doc::new(
                    format!("{dir}/user-pool-group-precedence.json"),
                    managed::group_precedence(groups),
                ),
                Layout::Ordered,
            )?;
        }
    }
    project.store.write(doc, Layout::Ordered)?;
    project.save_backend_config()?;
    project.save_meta()?;
    project.save_tpi()?;
    if let Some(creds) = &updated.provider_creds {
        let home = super::home(ctx)?;
        secrets::save(&home, project, env, res, creds)?;
    }
    Ok(())
}

/// Amplify's "What do you want to do?" menu and the questions of the chosen
/// action, answered by prompts, flags or `--yes`, as the UpdateAuthRequest they
/// stand for.
fn menu(
    ctx: &Context,
    project: &Project,
    (env, res): (&str, &str),
    (config, was): (&CognitoConfig, &Selection),
    args: &UpdateAuthArgs,
    prompter: &mut dyn Prompter,
) -> Result<(update::UpdateAuthRequest, Selection)> {
    if !ctx.yes {
        ctx.ui.line(
            "Please note that certain attributes may not be overwritten if you choose to use defaults settings.",
        );
        let dependents = ["analytics", "api", "storage", "function"].iter().any(|c| {
            project
                .meta
                .value
                .categories
                .get(*c)
                .is_some_and(|r| !r.is_empty())
        });
        if dependents {
            ctx.ui.blank();
            ctx.ui.line("You have configured resources that might depend on this Cognito resource.  Updating this Cognito resource could have unintended side effects.");
            ctx.ui.blank();
        }
        ctx.ui
            .line("Using service: Cognito, provided by: awscloudformation");
    }
    // The providers' secrets are the defaults of their questions; without HOME
    // those questions have none.
    let creds = match super::home(ctx) {
        Ok(home) => secrets::read(&home, project, env, res)?,
        Err(_) => None,
    };
    let env_params = project
        .env_params(env, CATEGORY, res)
        .cloned()
        .unwrap_or_default();
    let mut current = walkthrough::current_answers(config, &env_params, creds.as_deref());
    questions::current_trigger_answers(&mut current, was);
    let setting = questions::Setting {
        project_name: project.config.value.project_name.clone(),
        shared_id: config.shared_id.clone().unwrap_or_default(),
        frontend: project.config.value.frontend.clone(),
        current: Some(current.clone()),
    };
    let mut asker = Asker::new(prompter, ctx.yes);
    super::questions::give_walk_flags(&mut asker, &args.answers);
    let answers = {
        let mut notices = NoticeRenderer::new(&ctx.ui);
        questions::walk(questions::UPDATE_AUTH, &setting, &mut asker, &mut notices)?
    };
    let request = walkthrough::update_request(&answers, &current);
    let request = headless::deserialize(&request).map_err(|e| {
        Error::refused(
            format!("The answers do not make a valid update: {e}"),
            "Answer differently and run the command again; nothing was written.",
        )
    })?;
    Ok((request, questions::trigger_selection(&answers, was)))
}

/// The project's Amplify-managed Cognito resource, or why there is none to update.
pub(super) fn cognito_resource(project: &Project) -> Result<String> {
    let auth = project.meta.value.categories.get(CATEGORY);
    let Some((name, res)) = auth.and_then(|c| c.iter().find(|(_, r)| r.is_cognito())) else {
        return Err(AuthError::NoAuthToUpdate.into());
    };
    if res.is_imported() {
        return Err(AuthError::UpdateImported(name.clone()).into());
    }
    Ok(name.clone())
}

/// The resource entries, the groups resource and the env's federation ids, in memory.
fn record(
    project: &mut Project,
    env: &str,
    res: &str,
    inputs: &CliInputs,
    updated: &update::Updated,
) {
    let fac = frontend_auth_config(&inputs.cognito_config.facts());
    for categories in [
        &mut project.backend_config.value.categories,
        &mut project.meta.value.categories,
    ] {
        let auth = categories.entry(CATEGORY.into()).or_default();
        if let Some(entry) = auth.get_mut(res) {
            entry.frontend_auth_config = Some(fac.clone());
        }
        match &updated.groups {
            Some(groups) if groups.is_empty() => {
                auth.shift_remove(GROUPS);
            }
            Some(_) if !auth.contains_key(GROUPS) => {
                auth.insert(GROUPS.into(), managed::groups_resource(res));
            }
            _ => {}
        }
    }
    if let Some(ids) = &updated.federation {
        let mut params = project
            .env_params(env, CATEGORY, res)
            .cloned()
            .unwrap_or_default();
        for key in update::FEDERATION_KEYS {
            params.shift_remove(*key);
        }
        params.extend(ids.clone());
        project.set_env_params(env, CATEGORY, res, Some(params));
    }
}
