//! `authwiz env add [NAME]`: a new env from the current one, its imported auth
//! re-validated (or chosen again) and its settings asked or given.

use super::{Context, Purpose, prepare_switch, save_switch};
use crate::cli::EnvAddArgs;
use crate::error::{Error, Result};
use crate::project::init::{Credentials, EnvSettings};
use crate::project::{EnvName, Project};
use crate::prompt::{Asker, Prompter, Question};

pub(super) fn add(ctx: &Context, args: EnvAddArgs, prompter: &mut dyn Prompter) -> Result<()> {
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
    let settings = ask_settings(ctx, &project, source.as_deref(), &mut asker)?;
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
    // Trigger functions' values come along from the env it starts from.
    if let Some(from) = &source {
        crate::auth::triggers::env::copy_to_env(&mut project, from, name.as_str()).map_err(
            |e| Error::refused(e, "Correct the file it names, then run the command again."),
        )?;
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

/// The new env's region (the source env's by default) and AWS settings (the
/// source env's profile and endpoint unless given).
fn ask_settings(
    ctx: &Context,
    project: &Project,
    source: Option<&str>,
    asker: &mut Asker,
) -> Result<EnvSettings> {
    let source_settings = source.and_then(|s| project.aws_info.value.get(s)).cloned();
    let source_region = source
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
    let region = crate::commands::questions::ask_region(asker, &regions, default)?;
    let credentials = match (
        &ctx.aws.profile,
        source_settings.as_ref().and_then(|s| s.profile()),
    ) {
        (Some(p), _) => Credentials::Profile(p.clone()),
        (None, Some(p)) => Credentials::Profile(p.to_string()),
        (None, None) => Credentials::Environment,
    };
    Ok(EnvSettings {
        region,
        credentials,
        endpoint_url: ctx
            .aws
            .endpoint_url
            .clone()
            .or_else(|| source_settings.and_then(|s| s.endpoint_url)),
    })
}
