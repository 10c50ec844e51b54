//! `authwiz override auth [--check]`: the managed auth resource's override.json
//! (created from a template when missing) and its check.

use serde_json::Value;

use super::Context;
use crate::auth::CATEGORY;
use crate::auth::managed::overrides::{self, PATHS};
use crate::auth::model::CliInputs;
use crate::auth::state::resource_dir;
use crate::cli::OverrideAuthArgs;
use crate::error::{Error, Result};
use crate::project::{Doc, Layout, Project};

pub fn run(ctx: &Context, args: OverrideAuthArgs) -> Result<()> {
    let (project, _lock) = ctx.open_locked()?;
    let res = managed_resource(&project)?;
    let dir = resource_dir(&res);
    let rel = format!("{dir}/{}", overrides::FILE);
    let Some(inputs) = project
        .store
        .read::<CliInputs>(&format!("{dir}/cli-inputs.json"))?
    else {
        return Err(Error::refused(
            format!("{dir}/cli-inputs.json is missing for the managed auth resource '{res}'."),
            "Restore it from version control, then run the command again.",
        ));
    };
    let existing: Option<Doc<Value>> = project.store.read(&rel)?;
    if existing.is_none() && !args.check {
        project
            .store
            .write(&Doc::new(&rel, overrides::template()), Layout::Ordered)?;
        project.commit("override auth")?;
        ctx.ui.success(format!("Created {rel}"));
        ctx.ui.line("Set CloudFormation property paths under userPool, userPoolClientWeb, userPoolClient and identityPool (docs/overrides.md lists them), then `authwiz override auth --check` and `authwiz push`.");
        return Ok(());
    }
    let Some(doc) = existing else {
        ctx.ui.line(format!(
            "{rel} does not exist: the resource has no overrides (`authwiz override auth` creates the file)."
        ));
        return Ok(());
    };
    match overrides::check(&doc.value, &inputs.value.cognito_config) {
        Ok(o) => {
            let set = o.names();
            if !args.check {
                ctx.ui.line(rel.clone());
            }
            ctx.ui.check(format!(
                "{rel}: {} setting(s), all valid{}",
                set.len(),
                if set.is_empty() {
                    String::new()
                } else {
                    format!(": {}", set.join(", "))
                }
            ));
            Ok(())
        }
        Err(problems) => Err(Error::refused(
            format!("{rel} cannot be applied:\n  - {}", problems.join("\n  - ")),
            format!(
                "Correct the file ({} properties are listed in docs/overrides.md) and run `authwiz override auth --check` again.",
                PATHS.len()
            ),
        )),
    }
}

/// The project's Amplify-managed Cognito resource; imported auth is refused.
fn managed_resource(project: &Project) -> Result<String> {
    let auth = project.meta.value.categories.get(CATEGORY);
    let cognito = auth.and_then(|c| c.iter().find(|(_, r)| r.is_cognito()));
    match cognito {
        None => Err(Error::refused(
            "The project has no auth resource to override.",
            "Add one with `authwiz add auth`.",
        )),
        Some((name, r)) if r.is_imported() => Err(Error::refused(
            format!(
                "'{name}' is imported auth: overrides apply to Amplify-managed auth only, and authwiz never changes an imported user pool."
            ),
            "Change the imported pool where it is managed (its own project, the console or your infrastructure code).",
        )),
        Some((name, _)) => Ok(name.clone()),
    }
}
