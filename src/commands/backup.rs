//! `authwiz backup auth [--out FILE]` and `authwiz restore auth FILE
//! [--users-only] [--check]`: the current env's user pool (managed or
//! imported) saved to one file, and a backup put back ([`crate::auth::backup`]).

use std::path::PathBuf;

use serde_json::Value;

use super::{Context, timestamp};
use crate::auth::CATEGORY;
use crate::auth::backup::{self, Backup, Head, Ids, Part};
use crate::auth::backup_read;
use crate::cli::{BackupAuthArgs, RestoreAuthArgs};
use crate::error::{Error, Result};
use crate::project::Project;
use crate::push::operation::{backup_path, write_backup};

/// The current env's auth resource and the ids its last push (or import) recorded.
pub(super) fn env_ids(project: &Project, env: &str) -> Result<(String, Ids)> {
    let auth = project.meta.value.categories.get(CATEGORY);
    let found = auth.and_then(|c| c.iter().find(|(_, r)| r.is_cognito()));
    let Some((res, r)) = found else {
        return Err(Error::refused(
            "The project has no auth resource.",
            "Add one with `authwiz add auth` or `authwiz import auth`.",
        ));
    };
    let output = r.output.clone().unwrap_or_default();
    let text = |k: &str| output.get(k).and_then(Value::as_str).map(str::to_string);
    let Some(user_pool) = text("UserPoolId") else {
        return Err(Error::refused(
            format!("The auth resource '{res}' has no user pool in env '{env}' yet."),
            "Run `authwiz push`, then back it up.",
        ));
    };
    let ids = Ids {
        user_pool,
        clients: ["AppClientIDWeb", "AppClientID"]
            .iter()
            .filter_map(|k| text(k))
            .collect(),
        identity_pool: text("IdentityPoolId"),
    };
    Ok((res.clone(), ids))
}

pub fn backup(ctx: &Context, args: BackupAuthArgs) -> Result<()> {
    let (project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let (res, ids) = env_ids(&project, &env)?;
    let aws = ctx.connect(&project, &env)?;
    let head = Head {
        created: timestamp(ctx.process.now()),
        env: env.clone(),
        resource: res.clone(),
    };
    let rel = args
        .out
        .unwrap_or_else(|| PathBuf::from(backup_path(&env, &res, &head.created)));
    let counts = {
        let _s = ctx.ui.spinner("Reading the pool, its users and groups...");
        write_backup(&aws, &project, &ids, &head, &rel.to_string_lossy())?
    };
    ctx.ui.success(format!(
        "Backed up user pool {} of env '{env}' to {}: {} users, {} groups, {} memberships.",
        ids.user_pool,
        rel.display(),
        counts.users,
        counts.groups,
        counts.memberships
    ));
    ctx.ui.line("A backup cannot hold:");
    for line in backup::CANNOT_HOLD {
        ctx.ui.line(format!("  - {line}"));
    }
    Ok(())
}

fn read(file: &PathBuf) -> Result<Backup> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Error::refused(
            format!("{} cannot be read: {e}.", file.display()),
            "Pass the file `authwiz backup auth` wrote.",
        )
    })?;
    backup::parse(&text).map_err(|why| {
        Error::refused(
            format!("{} is {why}.", file.display()),
            "Pass the file `authwiz backup auth` wrote.",
        )
    })
}

pub fn restore(ctx: &Context, args: RestoreAuthArgs) -> Result<()> {
    let (project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    if args.check {
        return check(ctx, &project, &env, &args.file);
    }
    // Read as it is restored, a chunk of users at a time; the file is
    // checked (its head) before any AWS call.
    let parts = streamed(&args.file)?;
    let (_, ids) = env_ids(&project, &env)?;
    let pool = ids.user_pool;
    let aws = ctx.connect(&project, &env)?;
    let (deploy, users) = (aws.deploy(), aws.users());
    let done = {
        let _s = ctx.ui.spinner("Restoring groups, users and memberships...");
        aws.block_on(backup::restore_parts(
            &deploy,
            &users,
            &pool,
            parts,
            args.users_only,
        ))?
    };

    ctx.ui.success(format!(
        "Restored into user pool {pool}: {} groups and {} users made, {} memberships.",
        done.groups_created, done.users_created, done.memberships
    ));
    if done.users_created > 0 {
        ctx.ui.line(
            "Restored users set a new password at their next sign-in (a backup holds no password).",
        );
    }
    if !done.users_existing.is_empty() {
        ctx.ui.line(format!(
            "Existed already and left as they are: {} users (`restore auth --check` lists what differs).",
            done.users_existing.len()
        ));
    }
    Ok(())
}

/// `restore auth --check`: every difference between the backup and the pool.
fn check(ctx: &Context, project: &Project, env: &str, file: &PathBuf) -> Result<()> {
    let b = read(file)?;
    let (_, ids) = env_ids(project, env)?;
    let pool = ids.user_pool;
    let aws = ctx.connect(project, env)?;
    let (deploy, users) = (aws.deploy(), aws.users());
    let diffs = {
        let _s = ctx.ui.spinner("Comparing the backup with the pool...");
        aws.block_on(backup::check(&deploy, &users, &pool, &b))?
    };
    if diffs.is_empty() {
        ctx.ui.success(format!(
            "User pool {pool} holds what the backup holds: {} users, {} groups and their memberships.",
            b.users.len(),
            b.groups.len()
        ));
        return Ok(());
    }
    for d in &diffs {
        ctx.ui.line(format!("  - {d}"));
    }
    Err(Error::refused(
        format!(
            "User pool {pool} differs from the backup in {} places (listed above).",
            diffs.len()
        ),
        "Run `authwiz restore auth FILE` to make what is missing; what exists is left as it is.",
    ))
}

/// The backup `file` part by part, its head read (and checked) first.
fn streamed(file: &PathBuf) -> Result<impl Iterator<Item = std::result::Result<Part, String>>> {
    let f = std::fs::File::open(file).map_err(|e| {
        Error::refused(
            format!("{} cannot be read: {e}.", file.display()),
            "Pass the file `authwiz backup auth` wrote.",
        )
    })?;
    let rx = backup_read::parts(f, backup::CHUNK);
    let first = rx.recv().unwrap_or_else(|_| Err("empty".into()));
    let first = first.map_err(|why| {
        Error::refused(
            format!("{} is {why}.", file.display()),
            "Pass the file `authwiz backup auth` wrote.",
        )
    })?;
    Ok(std::iter::once(Ok(first)).chain(rx))
}
