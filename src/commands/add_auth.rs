//! `authwiz add auth`: the walkthrough (the question table of
//! `auth::managed::questions`, answered by prompts, flags or `--yes`) or, with
//! `--headless`, Amplify's AddAuthRequest (version 2) becomes the managed auth
//! resource's files, exactly as the Amplify CLI writes them. The social and
//! manual walkthroughs write what their equivalent AddAuthRequest writes.

use crate::auth::error::AuthError;
use crate::auth::managed::{self, Added, headless, questions};
use crate::auth::model::{CATEGORY, CliInputs};
use crate::auth::state::{frontend_auth_config, resource_dir};
use crate::auth::triggers;
use crate::cli::AddAuthArgs;
use crate::error::{Error, Result};
use crate::project::{Doc, Layout, Project, secrets};
use crate::prompt::{Asker, Prompter};
use crate::ui::NoticeRenderer;

use super::Context;

pub fn run(ctx: &Context, args: AddAuthArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    if project
        .meta
        .value
        .categories
        .get(CATEGORY)
        .is_some_and(|c| !c.is_empty())
    {
        return Err(AuthError::AlreadyManaged.into());
    }
    let shared_id = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let added = if args.headless {
        from_stdin(ctx, &project, &shared_id)?
    } else {
        walkthrough(ctx, &project, &args, prompter, &shared_id)?
    };
    record(&mut project, &env, &added);
    super::record_triggers(
        ctx,
        &mut project,
        (&env, &added.resource_name),
        (&added.triggers, &Default::default()),
    )?;
    save(ctx, &project, &env, &added)?;
    ctx.ui.blank();
    ctx.ui.success(format!(
        "Successfully added auth resource {} locally",
        added.resource_name
    ));
    for t in added.triggers.modules.keys() {
        let name = triggers::function_name(&added.resource_name, *t);
        ctx.ui.line(format!(
            "Trigger function {name} ({}): its code is in amplify/backend/function/{name}/src",
            t.label()
        ));
    }
    ctx.ui.blank();
    ctx.ui.line("Some next steps:");
    ctx.ui.line("\"authwiz push\" creates the resources in the cloud; `authwiz status` shows the resource as Create.");
    Ok(())
}

fn from_stdin(ctx: &Context, project: &Project, shared_id: &str) -> Result<Added> {
    let text = super::read_stdin(ctx, "authwiz add auth --headless")?;
    let request = headless::parse(&text).map_err(|what| {
        Error::refused(
            what,
            "Send Amplify's AddAuthRequest, e.g. {\"version\":2,\"resourceName\":\"myauth\",\"serviceConfiguration\":{\"serviceName\":\"Cognito\",\"userPoolConfiguration\":{\"signinMethod\":\"USERNAME\",\"requiredSignupAttributes\":[\"EMAIL\"]},\"includeIdentityPool\":true}} (docs/commands.md lists every key).",
        )
    })?;
    managed::from_request(&request, &project.config.value.project_name, shared_id).map_err(|e| {
        Error::refused(
            format!("The request cannot be added: {}", e.0),
            "Change the request and run the command again; nothing was written.",
        )
    })
}

/// The questions of the table, answered by flags, `--yes` defaults or prompts.
fn walkthrough(
    ctx: &Context,
    project: &Project,
    args: &AddAuthArgs,
    prompter: &mut dyn Prompter,
    shared_id: &str,
) -> Result<Added> {
    if !ctx.yes {
        ctx.ui
            .line("Using service: Cognito, provided by: awscloudformation");
    }
    let mut asker = Asker::new(prompter, ctx.yes);
    super::questions::give_walk_flags(&mut asker, &args.answers);
    let setting = questions::Setting {
        project_name: project.config.value.project_name.clone(),
        shared_id: shared_id.to_string(),
        frontend: project.config.value.frontend.clone(),
        current: None,
    };
    let answers = {
        let mut notices = NoticeRenderer::new(&ctx.ui);
        questions::walk(questions::ADD_AUTH, &setting, &mut asker, &mut notices)?
    };
    managed::from_answers(&answers, &setting).map_err(|e| {
        Error::refused(
            format!("The answers cannot be added: {}", e.0),
            "Answer differently, or describe the configuration with `authwiz add auth --headless`; nothing was written.",
        )
    })
}

/// The resource entries and env parameters, in memory.
fn record(project: &mut Project, env: &str, added: &Added) {
    let fac = frontend_auth_config(&added.config.facts());
    let res = &added.resource_name;
    for categories in [
        &mut project.backend_config.value.categories,
        &mut project.meta.value.categories,
    ] {
        let auth = categories.entry(CATEGORY.into()).or_default();
        auth.insert(res.clone(), managed::resource(fac.clone()));
        if !added.groups.is_empty() {
            auth.insert("userPoolGroups".into(), managed::groups_resource(res));
        }
    }
    project.set_env_params(env, CATEGORY, res, Some(added.env_params.clone()));
}

fn save(ctx: &Context, project: &Project, env: &str, added: &Added) -> Result<()> {
    let dir = resource_dir(&added.resource_name);
    let inputs = CliInputs {
        version: "1".into(),
        cognito_config: added.config.clone(),
        extra: Default::default(),
    };
    // In the same transaction: a project that names a provider has its secret,
    // and a secret is never left for a resource that was not added.
    if let Some(creds) = &added.provider_creds {
        let home = super::home(ctx)?;
        secrets::save(&home, project, env, &added.resource_name, creds)?;
    }
    project.store.write(
        &Doc::new(
            format!("{dir}/cli-inputs.json"),
            managed::cli_inputs_json(&inputs, added.order),
        ),
        Layout::Ordered,
    )?;
    if !added.groups.is_empty() {
        project.store.write(
            &Doc::new(
                format!(
                    "{}/user-pool-group-precedence.json",
                    resource_dir("userPoolGroups")
                ),
                managed::group_precedence(&added.groups),
            ),
            Layout::Ordered,
        )?;
    }
    project.save_backend_config()?;
    project.save_meta()?;
    project.save_tpi()?;
    Ok(project.commit("add auth")?)
}
