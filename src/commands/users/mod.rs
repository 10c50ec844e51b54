//! `authwiz users …` and `authwiz groups …` (`groups.rs`): the current env's
//! user pool (managed or imported) from the terminal.

mod groups;

pub use groups::groups;

use std::collections::BTreeMap;

use serde_json::json;

use super::Context;
use super::backup::env_ids;
use crate::cli::{UsersAddArgs, UsersCommand, UsersListArgs};
use crate::cloud::users::{NewUser, User, Users};
use crate::cloud::{Aws, CloudError};
use crate::error::{Error, Result};
use crate::project::Project;
use crate::prompt::{Asker, Prompter, Question};

/// The env's connection and user pool id.
pub(super) fn pool(ctx: &Context) -> Result<(Project, Aws, String)> {
    let project = ctx.open()?;
    let env = project.current_env()?.to_string();
    let (_, ids) = env_ids(&project, &env)?;
    let aws = ctx.connect(&project, &env)?;
    Ok((project, aws, ids.user_pool))
}

/// A user that is not there, named with the way to find one.
fn found<T>(r: std::result::Result<T, CloudError>, username: &str, pool: &str) -> Result<T> {
    r.map_err(|e| {
        if e.is_not_found() {
            Error::refused(
                format!("User {username} does not exist in user pool {pool}."),
                "`authwiz users list` shows the pool's users (`--filter 'email = \"…\"'` finds one by email).",
            )
        } else {
            e.into()
        }
    })
}

fn row(u: &User) -> Vec<String> {
    let attr = |k: &str| u.attributes.get(k).cloned().unwrap_or_default();
    vec![
        u.username.clone(),
        attr("email"),
        attr("phone_number"),
        u.status.clone().unwrap_or_default(),
        if u.enabled { "yes" } else { "no" }.into(),
    ]
}

pub fn users(ctx: &Context, cmd: UsersCommand, prompter: &mut dyn Prompter) -> Result<()> {
    let (_project, aws, pool) = pool(ctx)?;
    let users = aws.users();
    let done = |what: String| {
        ctx.ui.success(what);
        Ok(())
    };
    match cmd {
        UsersCommand::List(args) => list(ctx, &aws, &pool, args),
        UsersCommand::Add(args) => add(ctx, &aws, &pool, args),
        UsersCommand::Remove { username } => {
            let q = Question::new(
                "confirm",
                format!("Delete user {username} from user pool {pool}? It cannot be undone."),
                "--yes",
            );
            if !Asker::new(prompter, ctx.yes).proceed(&q, false)? {
                ctx.ui.line("Nothing was changed.");
                return Ok(());
            }
            found(
                aws.block_on(users.delete_user(&pool, &username)),
                &username,
                &pool,
            )?;
            done(format!("Deleted user {username}."))
        }
        UsersCommand::Enable { username } => {
            found(
                aws.block_on(users.set_enabled(&pool, &username, true)),
                &username,
                &pool,
            )?;
            done(format!("User {username} can sign in again."))
        }
        UsersCommand::Disable { username } => {
            found(
                aws.block_on(users.set_enabled(&pool, &username, false)),
                &username,
                &pool,
            )?;
            done(format!(
                "User {username} can no longer sign in (the user stays)."
            ))
        }
        UsersCommand::ResetPassword { username } => {
            found(
                aws.block_on(users.reset_password(&pool, &username)),
                &username,
                &pool,
            )?;
            done(format!(
                "User {username} must set a new password: Cognito sent a code to the user's verified email or phone."
            ))
        }
        UsersCommand::Groups(args) => {
            let u = &args.username;
            for g in &args.add {
                aws.block_on(users.add_to_group(&pool, u, g))?;
            }
            for g in &args.remove {
                aws.block_on(users.remove_from_group(&pool, u, g))?;
            }
            let groups = found(aws.block_on(users.groups_of(&pool, u)), u, &pool)?;
            ctx.ui.line(format!(
                "{u}: {}",
                if groups.is_empty() {
                    "in no group".to_string()
                } else {
                    groups.join(", ")
                }
            ));
            Ok(())
        }
    }
}

/// Every page, shown as it comes: memory does not grow with the pool (with
/// --json, one JSON array written element by element).
fn list(ctx: &Context, aws: &Aws, pool: &str, args: UsersListArgs) -> Result<()> {
    let users = aws.users();
    let mut token = None;
    let mut shown = 0;
    if args.json {
        ctx.ui.machine_text("[");
    }
    loop {
        let (page, next) = aws.block_on(async {
            match (&args.group, &args.filter) {
                (Some(g), _) => users.group_users_page(pool, g, token.clone()).await,
                (None, Some(f)) => users.filtered_page(pool, f, token.clone()).await,
                (None, None) => users.users_page(pool, token.clone()).await,
            }
        })?;
        if args.json {
            for u in &page {
                let sep = if shown == 0 { "" } else { "," };
                ctx.ui.machine_text(&format!("{sep}\n{}", json!(u)));
                shown += 1;
            }
        } else {
            let rows: Vec<Vec<String>> = page.iter().map(row).collect();
            if !rows.is_empty() {
                ctx.ui
                    .table(&["Username", "Email", "Phone", "Status", "Enabled"], &rows);
            }
            shown += rows.len();
        }
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    if args.json {
        ctx.ui.machine_text("\n]\n");
    } else {
        ctx.ui.line(format!("{shown} users"));
    }
    Ok(())
}

fn add(ctx: &Context, aws: &Aws, pool: &str, args: UsersAddArgs) -> Result<()> {
    let mut attributes = BTreeMap::new();
    for a in &args.attributes {
        let Some((k, v)) = a.split_once('=') else {
            return Err(Error::refused(
                format!("--attribute {a} has no '='."),
                "Write it as NAME=VALUE, e.g. --attribute name=Ada.",
            ));
        };
        attributes.insert(k.to_string(), v.to_string());
    }
    if let Some(e) = &args.email {
        attributes.insert("email".into(), e.clone());
    }
    if let Some(p) = &args.phone {
        attributes.insert("phone_number".into(), p.clone());
    }
    let new = NewUser {
        attributes,
        temporary_password: args.temporary_password.clone(),
        invite: !args.no_invite,
    };
    let users = aws.users();
    let made = aws.block_on(users.add_user(pool, &args.username, &new))?;
    // In a pool that signs in with email, Cognito names the user itself.
    let name = if made.username.is_empty() {
        args.username.clone()
    } else {
        made.username
    };
    for g in &args.groups {
        aws.block_on(users.add_to_group(pool, &name, g))?;
    }
    ctx.ui.success(format!(
        "Created user {name}{}.",
        if args.no_invite {
            " (no invitation sent)"
        } else {
            ""
        }
    ));
    Ok(())
}
