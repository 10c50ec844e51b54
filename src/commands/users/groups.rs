//! `authwiz groups list|add|remove`: the current env's user pool groups. A
//! group that the project's files define (managed auth) is changed through them
//! and `push`, never here, so the files and the pool do not drift apart.

use serde_json::json;

use super::pool;
use crate::auth::CATEGORY;
use crate::auth::managed::load::ManagedAuth;
use crate::cli::{GroupAddArgs, GroupsCommand};
use crate::cloud::deploy::{GroupApi, GroupOthers, GroupSpec};
use crate::cloud::users::Users;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::project::{BACKEND_DIR, Project};

/// The group names the project's managed auth defines (none for imported auth).
fn file_groups(project: &Project) -> Result<Vec<String>> {
    let auth = project.meta.value.categories.get(CATEGORY);
    let managed = auth.and_then(|c| {
        c.iter()
            .find(|(_, r)| r.is_managed_cognito())
            .map(|(n, _)| n.clone())
    });
    let Some(res) = managed else {
        return Ok(Vec::new());
    };
    let m = ManagedAuth::load(&project.store, BACKEND_DIR, &res)
        .map_err(crate::auth::AuthError::from)?;
    Ok(m.map(|m| m.group_names()).unwrap_or_default())
}

pub fn groups(ctx: &Context, cmd: GroupsCommand) -> Result<()> {
    let (project, aws, pool) = pool(ctx)?;
    let users = aws.users();
    let defined = |name: &str| -> Result<()> {
        if file_groups(&project)?.iter().any(|g| g == name) {
            return Err(Error::refused(
                format!(
                    "Group '{name}' is defined by the project's files (amplify/backend/auth/userPoolGroups/); a change here would drift from them."
                ),
                "Change the groups with `authwiz update auth` (user pool groups), then `authwiz push`.",
            ));
        }
        Ok(())
    };
    match cmd {
        GroupsCommand::List { json } => {
            let mut all = Vec::new();
            let mut token = None;
            loop {
                let (page, next) = aws.block_on(users.groups_page(&pool, token))?;
                all.extend(page);
                match next {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
            if json {
                ctx.ui.json(&json!(all));
                return Ok(());
            }
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|g| {
                    vec![
                        g.name.clone(),
                        g.precedence.map(|p| p.to_string()).unwrap_or_default(),
                        g.role_arn.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            ctx.ui.table(&["Group", "Precedence", "Role"], &rows);
            Ok(())
        }
        GroupsCommand::Add(GroupAddArgs {
            name,
            precedence,
            role_arn,
            description,
        }) => {
            defined(&name)?;
            let spec = GroupSpec {
                name: name.clone(),
                precedence,
                role_arn,
                others: GroupOthers { description },
            };
            aws.block_on(aws.deploy().create_group(&pool, &spec))?;
            ctx.ui.success(format!("Created group {name}."));
            Ok(())
        }
        GroupsCommand::Remove { name } => {
            defined(&name)?;
            aws.block_on(aws.deploy().delete_group(&pool, &name))?;
            ctx.ui.success(format!(
                "Deleted group {name} (its users stay in the pool)."
            ));
            Ok(())
        }
    }
}
