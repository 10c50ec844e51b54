//! `authwiz pull auth`: the live values of the fields changed outside authwiz
//! since the last push, taken into the project's files, so that a console
//! change is kept instead of set back by the next push.

use serde_json::Value;

use super::Context;
use super::update_auth::{cognito_resource, write};
use crate::auth::managed::overrides;
use crate::auth::model::CliInputs;
use crate::auth::state::resource_dir;
use crate::error::{Error, Result};
use crate::project::{Doc, Layout};
use crate::push::auth as managed;
use crate::push::pull::{overrides_doc, take};

pub fn auth(ctx: &Context) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let res = cognito_resource(&project)?;
    let pushed = project
        .current_meta
        .as_ref()
        .is_some_and(|m| m.value.resource(crate::auth::CATEGORY, &res).is_some());
    if !pushed {
        return Err(Error::refused(
            format!(
                "Auth resource '{res}' was never pushed in environment '{env}': there is nothing in the cloud to pull."
            ),
            "Push it first (`authwiz push`).",
        ));
    }
    let rel = format!("{}/cli-inputs.json", resource_dir(&res));
    let Some(mut doc) = project.store.read::<CliInputs>(&rel)? else {
        return Err(Error::refused(
            format!("{rel} is missing for the managed auth resource '{res}'."),
            "Restore it from version control, then run the command again.",
        ));
    };
    let override_rel = format!("{}/{}", resource_dir(&res), overrides::FILE);
    let mut ov = overrides_doc(project.store.read::<Value>(&override_rel)?.map(|d| d.value));
    let aws = ctx.connect(&project, &env)?;
    let drift = {
        let _s = ctx.ui.spinner("Reading the auth resources...");
        managed::drift(&aws, &project, &env, &res)?
    };
    let pulled = take(&drift, &mut doc.value.cognito_config, &mut ov);
    if !pulled.left.is_empty() {
        ctx.ui.warn(format!(
            "Not taken into the files (the next `authwiz push --check-cloud` sets these back):\n  {}",
            pulled.left.join("\n  ")
        ));
    }
    if pulled.taken.is_empty() {
        ctx.ui
            .line("Nothing to pull: the files already say what the cloud holds.");
        return Ok(());
    }
    write(ctx, &mut project, (&env, &res), &doc, &Default::default())?;
    if pulled.overrides_changed {
        project
            .store
            .write(&Doc::new(override_rel, ov), Layout::Ordered)?;
    }
    project.commit("pull auth")?;
    ctx.ui.success(format!(
        "Took the live values into auth resource {res}'s files (pushed → live):\n  {}",
        pulled.taken.join("\n  ")
    ));
    ctx.ui
        .line("\"authwiz push\" records them as pushed (the cloud already holds them).");
    Ok(())
}
