//! `authwiz retired list|delete`: the user pools a `push --replace-user-pool`
//! kept (amplify/authwiz-retired-user-pools.json). Deleting one is its own
//! step, after a backup of its users, groups and memberships.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Context, timestamp};
use crate::auth::backup::{Head, Ids};
use crate::cli::RetiredCommand;
use crate::cloud::deploy::UserPoolApi;
use crate::error::{Error, Result};
use crate::project::{Doc, Layout, Project};
use crate::prompt::{Asker, Prompter, Question};
use crate::push::auth::RETIRED;
use crate::push::operation::{backup_path, write_backup};

fn rel() -> String {
    format!("amplify/{RETIRED}")
}

fn read(project: &Project) -> Result<BTreeMap<String, Vec<Value>>> {
    Ok(project
        .store
        .read::<BTreeMap<String, Vec<Value>>>(&rel())?
        .map(|d| d.value)
        .unwrap_or_default())
}

pub fn run(ctx: &Context, cmd: RetiredCommand, prompter: &mut dyn Prompter) -> Result<()> {
    match cmd {
        RetiredCommand::List { json } => list(ctx, json),
        RetiredCommand::Delete { id } => delete(ctx, &id, prompter),
    }
}

fn list(ctx: &Context, json: bool) -> Result<()> {
    let project = ctx.open()?;
    let env = project.current_env()?.to_string();
    let pools = read(&project)?.remove(&env).unwrap_or_default();
    if json {
        let text = serde_json::to_string_pretty(&Value::Array(pools)).unwrap_or_default();
        ctx.ui.machine_text(&format!("{text}\n"));
        return Ok(());
    }
    if pools.is_empty() {
        ctx.ui
            .line(format!("Env '{env}' has no retired user pool."));
    }
    for p in &pools {
        let text = |k: &str| p[k].as_str().unwrap_or("").to_string();
        ctx.ui.line(format!(
            "{} ({}): retired {}, replaced by {}; backup {}",
            text("userPoolId"),
            text("userPoolName"),
            text("retired"),
            text("replacedBy"),
            text("backup")
        ));
    }
    Ok(())
}

fn delete(ctx: &Context, id: &str, prompter: &mut dyn Prompter) -> Result<()> {
    let (project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let mut all = read(&project)?;
    let pools = all.entry(env.clone()).or_default();
    let Some(at) = pools.iter().position(|p| p["userPoolId"] == id) else {
        return Err(Error::refused(
            format!("'{id}' is not a retired user pool of env '{env}'."),
            "`authwiz retired list` shows them; authwiz deletes only the pools it retired.",
        ));
    };
    let name = pools[at]["userPoolName"].as_str().unwrap_or(id).to_string();
    let q = Question::new(
        "confirm",
        format!(
            "Delete the retired user pool {id} ({name}) and its users? A backup is taken first."
        ),
        "--yes",
    );
    if !Asker::new(prompter, ctx.yes).proceed(&q, false)? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    let aws = ctx.connect(&project, &env)?;
    let stamp = timestamp(ctx.process.now());
    let path = backup_path(&env, &format!("{name}-retired"), &stamp);
    let ids = Ids {
        user_pool: id.to_string(),
        clients: Vec::new(),
        identity_pool: None,
    };
    let head = Head {
        created: stamp.clone(),
        env: env.clone(),
        resource: name.clone(),
    };
    let counts = {
        let _s = ctx.ui.spinner("Backing up the retired pool...");
        write_backup(&aws, &project, &ids, &head, &path)?
    };
    {
        let _s = ctx.ui.spinner("Deleting the retired pool...");
        aws.block_on(aws.deploy().delete_user_pool(id))?;
    }
    pools.remove(at);
    all.retain(|_, v| !v.is_empty());
    if all.is_empty() {
        project.store.remove_file(rel())?;
    } else {
        project
            .store
            .write(&Doc::new(rel(), all), Layout::Ordered)?;
    }
    project.commit("retired delete")?;
    ctx.ui.success(format!(
        "Deleted the retired user pool {id}; its {} users, {} groups and {} memberships are in {path} (`authwiz restore auth {path}`).",
        counts.users, counts.groups, counts.memberships
    ));
    Ok(())
}
