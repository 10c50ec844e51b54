//! `authwiz env add | checkout | list | remove`.

use serde_json::{Value, json};

use crate::cli::EnvCommand;
use crate::error::Result;
use crate::outputs;
use crate::project::{Doc, LOCAL_ENV_INFO, LocalEnvInfo, Project};
use crate::prompt::{Asker, Prompter};
use crate::ui::markdown_table;

use super::Context;

mod add;
mod remove;
use crate::auth::AuthError;
use crate::auth::env_init::{Decided, HeadlessIds, Purpose, imported_auth, init_env};
use crate::auth::import::Discovery;
use crate::ui::NoticeRenderer;
use add::add;
use remove::remove;

/// Env init of the project's imported auth for `env` (re-validated in the cloud).
fn init_imported_auth(
    ctx: &Context,
    project: &Project,
    env: &str,
    purpose: &Purpose,
    categories: Option<&str>,
    prompter: &mut dyn Prompter,
) -> Result<Decided> {
    if imported_auth(project).is_empty() {
        return Ok(Decided::default());
    }
    let region = project
        .env_region(env)
        .map(str::to_string)
        .ok_or_else(|| AuthError::NoRegion(env.to_string()))?;
    let aws = ctx.connect(project, env)?;
    let (idp, identity, iam) = (aws.cognito_idp(), aws.cognito_identity(), aws.iam());
    let disc = Discovery::new(&idp, &identity, &iam);
    let mut asker = Asker::new(prompter, ctx.yes);
    let mut notices = NoticeRenderer::new(&ctx.ui);
    let var = |name: &str| ctx.process.var(name);
    // Amplify Hosting's variables answer `env add` only with --yes; checkout
    // always reads them (for an env with no ids of its own).
    let use_variables = match purpose {
        Purpose::Add { .. } => ctx.yes,
        Purpose::Checkout => true,
    };
    let headless = HeadlessIds {
        categories,
        variables: use_variables.then_some(&var as &crate::auth::env_init::VarLookup),
    };
    Ok(aws.block_on(init_env(
        &disc,
        &mut asker,
        &mut notices,
        project,
        env,
        &region,
        purpose,
        &headless,
    ))?)
}

pub fn run(ctx: &Context, cmd: EnvCommand, prompter: &mut dyn Prompter) -> Result<()> {
    match cmd {
        EnvCommand::List { details, json } => list(ctx, details, json),
        EnvCommand::Checkout { name } => checkout(ctx, &name, prompter),
        EnvCommand::Remove {
            name,
            delete_cloud,
            delete_users,
        } => remove(ctx, &name, (delete_cloud, delete_users), prompter),
        EnvCommand::Add(args) => add(ctx, args, prompter),
    }
}

fn list(ctx: &Context, details: bool, as_json: bool) -> Result<()> {
    let project = ctx.open()?;
    let current = project.local_env.as_ref().map(|d| d.value.env_name.clone());
    let ui = &ctx.ui;
    match (details, as_json) {
        (false, true) => ui.json(&json!({ "envs": project.env_names() })),
        (true, true) => ui.json(&serde_json::to_value(&project.tpi.value).unwrap_or(Value::Null)),
        (false, false) => {
            let rows: Vec<Vec<String>> = project
                .env_names()
                .into_iter()
                .map(|e| {
                    vec![if Some(&e) == current.as_ref() {
                        format!("*{e}")
                    } else {
                        e
                    }]
                })
                .collect();
            ui.line(markdown_table(&["Environments"], &rows).trim_end());
        }
        (true, false) => {
            for (name, record) in &project.tpi.value {
                ui.blank();
                ui.line(if Some(name) == current.as_ref() {
                    format!("*{name}*")
                } else {
                    name.clone()
                });
                ui.line("--------------");
                ui.line("Provider: awscloudformation");
                let provider =
                    serde_json::to_value(&record.awscloudformation).unwrap_or(Value::Null);
                for (k, v) in provider.as_object().into_iter().flatten() {
                    ui.line(format!(
                        "{k}: {}",
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    ));
                }
                ui.line("--------------");
            }
        }
    }
    Ok(())
}

/// Makes `env` the checked-out env in memory: its pushed state, its meta (with the
/// imported auth re-validated) and the client files to write. Writes nothing.
fn prepare_switch(
    ctx: &Context,
    project: &mut Project,
    env: &str,
    purpose: &Purpose,
    categories: Option<&str>,
    prompter: &mut dyn Prompter,
) -> Result<(Decided, Vec<outputs::Generated>)> {
    project.load_snapshot(env)?;
    project.meta.value = project.rebuilt_meta(env);
    let decided = init_imported_auth(ctx, project, env, purpose, categories, prompter)?;
    decided.apply(project, env);
    let root = project.store.root().display().to_string();
    match &mut project.local_env {
        Some(doc) => doc.value.env_name = env.to_string(),
        None => {
            project.local_env = Some(Doc::new(
                LOCAL_ENV_INFO,
                LocalEnvInfo {
                    project_path: Some(root),
                    default_editor: Some("none".into()),
                    env_name: env.to_string(),
                    extra: Default::default(),
                },
            ))
        }
    }
    let files = outputs::render(project)?;
    Ok((decided, files))
}

/// Writes a prepared switch as one transaction: resource folders, project files,
/// snapshots, the env pointer and the client files.
fn save_switch(
    project: &Project,
    from: Option<&str>,
    env: &str,
    decided: &Decided,
    files: &[outputs::Generated],
    command: &str,
) -> Result<()> {
    decided.save(project)?;
    project.save_tpi()?;
    project.save_aws_info()?;
    project.save_backend_config()?;
    project.save_meta()?;
    // The pushed state and the env pointer move together, last.
    project.move_snapshots(from, env)?;
    project.save_local_env()?;
    outputs::write(project, files)?;
    Ok(project.commit(command)?)
}

fn checkout(ctx: &Context, name: &str, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    project.known_env(name)?;
    let from = project.local_env.as_ref().map(|d| d.value.env_name.clone());
    let (decided, files) =
        prepare_switch(ctx, &mut project, name, &Purpose::Checkout, None, prompter)?;
    save_switch(
        &project,
        from.as_deref(),
        name,
        &decided,
        &files,
        "env checkout",
    )?;
    ctx.ui.check("Initialized provider successfully.");
    ctx.ui.success("Initialized your environment successfully.");
    ctx.ui
        .line(format!("Environment '{name}' is now checked out."));
    Ok(())
}
