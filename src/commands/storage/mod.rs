//! `authwiz add storage`, `update storage`, `remove storage [NAME]`: an S3
//! "Content" resource whose access is granted on the identity pool's roles
//! (applied by `push`).

use serde_json::json;

use crate::cli::StorageArgs;
use crate::error::{Error, Result};
use crate::project::{Doc, Layout, Project, Resource};
use crate::prompt::{Asker, Choice, Prompter, Question};
use crate::storage::{
    AuthFacts, CATEGORY, StorageSettings, check_bucket_name, check_resource_name, cli_inputs_path,
    read_settings, resource_dir, set_bucket, storage_auth, storage_bucket, storage_resources,
};

use super::Context;

mod questions;
use questions::{ask_access_settings, given};

fn facts(project: &Project, env: &str) -> Result<AuthFacts> {
    Ok(storage_auth(project, env, false)?)
}

fn short_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

pub fn add(ctx: &Context, args: StorageArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    if let Some(existing) = storage_resources(&project).first() {
        return Err(Error::refused(
            format!("Amazon S3 storage was already added to your project ('{existing}')."),
            "Change it with `authwiz update storage`, or remove it with `authwiz remove storage` first.",
        ));
    }
    let facts = facts(&project, &env)?;
    let headless = args.headless;
    let mut asker = Asker::new(prompter, ctx.yes || headless);
    for (id, value) in given(ctx, &args)? {
        asker.give(id, value);
    }
    ctx.ui
        .line("Using service: S3, provided by: awscloudformation");
    let id = short_id();
    let q = Question::new(
        "name",
        "Provide a friendly name for your resource that will be used to label this category in the project:",
        "--name NAME",
    );
    let name = asker.text(&q, Some(&format!("s3{id}")), Some(check_resource_name))?;
    let base: String = project
        .config
        .value
        .project_name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(40)
        .collect();
    let q = Question::new("bucket-name", "Provide bucket name:", "--bucket-name NAME");
    let bucket = asker.text(&q, Some(&format!("{base}{id}")), Some(check_bucket_name))?;
    let (auth_access, guest_access) = ask_access_settings(&mut asker, None, &facts)?;
    let settings = StorageSettings {
        resource_name: name.clone(),
        bucket_name: bucket,
        auth_access,
        guest_access,
    };
    let entry = Resource {
        service: Some("S3".into()),
        provider_plugin: Some("awscloudformation".into()),
        depends_on: Some(vec![json!({
            "category": "auth",
            "resourceName": facts.resource_name,
            "attributes": ["UserPoolId", "IdentityPoolId"],
        })]),
        ..Default::default()
    };
    for categories in [
        &mut project.backend_config.value.categories,
        &mut project.meta.value.categories,
    ] {
        categories
            .entry(CATEGORY.into())
            .or_default()
            .insert(name.clone(), entry.clone());
    }
    // Each env gets its own bucket.
    let envs: Vec<String> = project.tpi.value.keys().cloned().collect();
    for e in envs {
        set_bucket(&mut project, &e, &settings);
    }
    save(&project, &settings, "add storage")?;
    ctx.ui
        .success(format!("Successfully added resource {name} locally"));
    ctx.ui.blank();
    ctx.ui.line(format!(
        "\"authwiz push\" will create bucket {} and grant the chosen access on the identity pool's roles (shown before anything changes).",
        settings.env_bucket(&env)
    ));
    Ok(())
}

fn save(project: &Project, settings: &StorageSettings, command: &str) -> Result<()> {
    project.store.write(
        &Doc::new(
            cli_inputs_path(&settings.resource_name),
            settings.cli_inputs(),
        ),
        Layout::Ordered,
    )?;
    project.save_backend_config()?;
    project.save_meta()?;
    project.save_tpi()?;
    Ok(project.commit(command)?)
}

fn pick(project: &Project, name: Option<String>, asker: &mut Asker) -> Result<String> {
    let resources = storage_resources(project);
    if resources.is_empty() {
        return Err(Error::refused(
            "No resources added for this category",
            "This project has no storage resource (`authwiz add storage` adds one).",
        ));
    }
    match name {
        Some(n) if resources.contains(&n) => Ok(n),
        Some(n) => Err(Error::refused(
            format!("Resource {n} has not been added to storage"),
            format!(
                "Storage resources in this project: {}.",
                resources.join(", ")
            ),
        )),
        None if resources.len() == 1 => Ok(resources[0].clone()),
        None => {
            let choices: Vec<Choice> = resources.iter().map(|r| Choice::new(r, r)).collect();
            let q = Question::new(
                "name",
                "Choose the resource you would want to remove",
                "the NAME argument",
            );
            Ok(resources[asker.select(&q, &choices, 0)?].clone())
        }
    }
}

pub fn update(ctx: &Context, args: StorageArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let facts = facts(&project, &env)?;
    let mut asker = Asker::new(prompter, ctx.yes || args.headless);
    let given = given(ctx, &args)?;
    let name = given
        .iter()
        .find(|(id, _)| *id == "name")
        .and_then(|(_, v)| v.clone());
    let name = pick(&project, name, &mut asker)?;
    let current = read_settings(&project, &name)?;
    for (id, value) in given {
        match (id, value) {
            ("name", _) => {}
            ("bucket-name", Some(bucket)) if bucket != current.bucket_name => {
                return Err(bucket_is_fixed(&project, &current));
            }
            ("bucket-name", _) => {}
            (id, value) => {
                asker.give(id, value);
            }
        }
    }
    let (auth_access, guest_access) = ask_access_settings(&mut asker, Some(&current), &facts)?;
    let settings = StorageSettings {
        auth_access,
        guest_access,
        ..current.clone()
    };
    if settings == current {
        ctx.ui.line(format!(
            "Storage resource '{name}' already has this access; nothing to change."
        ));
        return Ok(());
    }
    save(&project, &settings, "update storage")?;
    ctx.ui
        .success(format!("Successfully updated resource {name} locally"));
    ctx.ui
        .line("\"authwiz push\" shows the role policy changes and applies them.");
    Ok(())
}

/// `update storage --bucket-name` (or a headless bucketName) that differs: each env
/// already has its bucket, and the policies name it.
fn bucket_is_fixed(project: &Project, current: &StorageSettings) -> Error {
    let buckets: Vec<String> = project
        .tpi
        .value
        .keys()
        .map(|env| storage_bucket(project, env, current))
        .collect();
    Error::refused(
        format!(
            "The bucket of storage resource '{}' cannot be changed: each environment has its own ({}), and its policies name it.",
            current.resource_name,
            buckets.join(", ")
        ),
        "Leave out --bucket-name to change the access only. To use another bucket, remove the storage (`authwiz remove storage`, then `authwiz push`) and add it again with --bucket-name NAME; the old buckets and their objects are kept.",
    )
}

pub fn remove(ctx: &Context, name: Option<String>, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    project.current_env()?;
    let mut asker = Asker::new(prompter, ctx.yes);
    let name = pick(&project, name, &mut asker)?;
    let q = Question::new(
        "confirm",
        "Are you sure you want to delete the resource? This action deletes all files related to this resource from the backend directory.",
        "--yes",
    );
    if !asker.proceed(&q, true)? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    for categories in [
        &mut project.backend_config.value.categories,
        &mut project.meta.value.categories,
    ] {
        if let Some(c) = categories.get_mut(CATEGORY) {
            c.shift_remove(&name);
        }
    }
    // Every env's bucket entry goes; envs that pushed it keep the bucket name in
    // their pushed state, which their next push uses to remove the policies.
    let env = project.current_env()?.to_string();
    project.remove_env_params_everywhere(CATEGORY, &name, &env);
    // The folder first: a path the Store refuses stops the command before any file changes.
    project.store.remove_dir(resource_dir(&name))?;
    project.save_backend_config()?;
    project.save_meta()?;
    project.save_tpi()?;
    project.commit("remove storage")?;
    ctx.ui.check("Successfully removed resource");
    ctx.ui.line("\"authwiz push\" removes its policies from the roles; the bucket and its objects are kept.");
    Ok(())
}
