//! `authwiz env add | checkout | list | remove`.

use serde_json::{Value, json};

use crate::cli::{EnvAddArgs, EnvCommand};
use crate::error::{Error, Result};
use crate::outputs;
use crate::project::init::{Credentials, EnvSettings};
use crate::project::{Doc, EnvName, LOCAL_ENV_INFO, LocalEnvInfo, Project, snapshot_dir};
use crate::prompt::{Asker, Prompter, Question};
use crate::ui::markdown_table;

use super::Context;
use crate::auth::AuthError;
use crate::auth::env_init::{Decided, HeadlessIds, Purpose, imported_auth, init_env};
use crate::auth::import::Discovery;
use crate::ui::NoticeRenderer;

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

fn remove(
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
        if !super::push::env_removal::delete_cloud(ctx, &mut project, name, delete_users, prompter)?
        {
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

fn add(ctx: &Context, args: EnvAddArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let source = project.current_env().ok().map(str::to_string);
    let mut asker = Asker::new(prompter, ctx.yes);
    asker
        .give("name", args.name)
        .give("region", ctx.aws.region.clone())
        .give("profile", ctx.aws.profile.clone());
    let q = Question::new(
        "name",
        "Enter a name for the environment",
        "the NAME argument (`authwiz env add NAME`)",
    );
    let name = asker.text(&q, None, Some(|s| EnvName::parse(s).map(|_| ())))?;
    let name = EnvName::parse(&name).map_err(|e| Error::refused(e, "Choose another name."))?;
    if project.tpi.value.contains_key(name.as_str()) {
        return Err(Error::refused(
            format!("Environment '{name}' already exists in this project."),
            format!("Run `authwiz env checkout {name}` to switch to it, or choose another name."),
        ));
    }
    let source_settings = source
        .as_ref()
        .and_then(|s| project.aws_info.value.get(s))
        .cloned();
    let source_region = source
        .as_deref()
        .and_then(|s| project.env_region(s))
        .map(str::to_string);

    let regions: Vec<String> = crate::cloud::REGIONS
        .iter()
        .map(|r| r.to_string())
        .collect();
    let default = source_region
        .as_ref()
        .and_then(|r| regions.iter().position(|x| x == r))
        .unwrap_or(0);
    let region = super::questions::ask_region(&mut asker, &regions, default)?;
    let credentials = match (
        &ctx.aws.profile,
        source_settings.as_ref().and_then(|s| s.profile()),
    ) {
        (Some(p), _) => Credentials::Profile(p.clone()),
        (None, Some(p)) => Credentials::Profile(p.to_string()),
        (None, None) => Credentials::Environment,
    };
    let settings = EnvSettings {
        region,
        credentials,
        endpoint_url: ctx
            .aws
            .endpoint_url
            .clone()
            .or_else(|| source_settings.and_then(|s| s.endpoint_url)),
    };
    project
        .tpi
        .value
        .insert(name.to_string(), settings.env_record());
    project
        .aws_info
        .value
        .insert(name.to_string(), settings.aws_config());
    // Storage comes along with a bucket of the new env's own.
    let storage = crate::storage::storage_resources(&project);
    for res in storage {
        let settings = crate::storage::read_settings(&project, &res)?;
        crate::storage::set_bucket(&mut project, name.as_str(), &settings);
    }
    let purpose = Purpose::Add {
        source: source.as_deref(),
    };
    let (decided, files) = prepare_switch(
        ctx,
        &mut project,
        name.as_str(),
        &purpose,
        args.categories.as_deref(),
        asker.prompter(),
    )?;
    save_switch(
        &project,
        source.as_deref(),
        name.as_str(),
        &decided,
        &files,
        "env add",
    )?;
    ctx.ui.success("Initialized your environment successfully.");
    ctx.ui.line(format!(
        "Environment '{name}' ({}) is now checked out.",
        settings.region
    ));
    if crate::push::plan::has_changes(&crate::push::plan::classify(&project)) {
        let paths: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
        ctx.ui.line(format!(
            "Nothing is pushed to '{name}' yet: the client files ({}) change at the next `authwiz push`.",
            paths.join(", ")
        ));
    }
    Ok(())
}
