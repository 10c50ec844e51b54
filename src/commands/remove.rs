//! `authwiz remove auth [NAME]`: unlink (imported) or remove (managed) the auth
//! resource locally. Offline: works even when the Cognito resources are gone.

use crate::auth::remove::{auth_resources, check, resource_dir, unlink};
use crate::error::{Error, Result};
use crate::prompt::{Asker, Choice, Prompter, Question};

use super::Context;

pub fn run(ctx: &Context, name: Option<String>, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let resources = auth_resources(&project);
    if resources.is_empty() {
        return Err(Error::refused(
            "No resources added for this category",
            "This project has no auth resource, so there is nothing to remove (`authwiz status` lists the resources).",
        ));
    }
    let mut asker = Asker::new(prompter, ctx.yes);
    let name = match name {
        Some(n) => n,
        None if resources.len() == 1 && ctx.yes => resources[0].clone(),
        None => {
            let choices: Vec<Choice> = resources.iter().map(|r| Choice::new(r, r)).collect();
            let q = Question::new(
                "name",
                "Choose the resource you would want to remove",
                "the NAME argument (`authwiz remove auth NAME`)",
            );
            resources[asker.select(&q, &choices, 0)?].clone()
        }
    };
    for warning in check(&project, &name)? {
        ctx.ui.blank();
        ctx.ui.warn(warning);
    }
    let imported = project
        .meta
        .value
        .resource("auth", &name)
        .is_some_and(|r| r.is_imported());
    let message = if imported {
        "Are you sure you want to unlink this imported resource from this Amplify backend environment? The imported resource itself will not be deleted."
    } else {
        "Are you sure you want to delete the resource? This action deletes all files related to this resource from the backend directory."
    };
    if !asker.proceed(&Question::new("confirm", message, "--yes"), true)? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    // The folder first: a path the Store refuses stops the command before any file changes.
    project.store.remove_dir(resource_dir(&name))?;
    // Its trigger functions go with it (their cloud side at the next push).
    let inputs = project
        .store
        .read::<crate::auth::model::CliInputs>(&format!(
            "{}/cli-inputs.json",
            resource_dir(&name)
        ))?;
    let was = crate::auth::triggers::Selection {
        modules: inputs
            .and_then(|d| d.value.cognito_config.triggers)
            .unwrap_or_default(),
        // Attached functions are recorded in the folder that goes.
        ..Default::default()
    };
    if !was.is_empty() {
        crate::auth::triggers::files::record(&mut project, &env, &name, &Default::default(), &was)?;
    }
    unlink(&mut project, &env, &name);
    project.save_meta()?;
    project.save_backend_config()?;
    project.save_tpi()?;
    project.commit("remove auth")?;
    ctx.ui.check("Successfully removed resource");
    if imported {
        ctx.ui.line(format!(
            "Run `authwiz push` to record the unlink for environment '{env}' and update the client configuration; the Cognito resources were not changed."
        ));
    }
    Ok(())
}
