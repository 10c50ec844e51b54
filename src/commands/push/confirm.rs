//! What `push` asks or shows before it changes anything: the dry run, a
//! pool with users deleted, a gone pool made again, and the push itself.

use super::Context;
use crate::cli::PushArgs;
use crate::error::{Error, Result};
use crate::prompt::{Asker, Prompter, Question};
use crate::push::auth::AuthPush;
use crate::push::plan::{Operation, ResourceChange};
use crate::push::storage_push::StoragePush;

pub(super) fn dry_run(ctx: &Context, changes: &[ResourceChange]) {
    for c in changes
        .iter()
        .filter(|c| c.operation != Operation::NoChange)
    {
        let op = c.operation.label().to_lowercase();
        ctx.ui
            .line(format!("Would {op}: {} {}", c.category, c.name));
    }
    ctx.ui.line("Dry run: nothing was changed.");
}

/// The push's confirmations: a pool with users deleted, a gone pool made
/// again, and the push itself (No by default when it lets more in).
pub(super) fn confirm(
    ctx: &Context,
    prompter: &mut dyn Prompter,
    args: &PushArgs,
    (auth, storage): (Option<&AuthPush>, Option<&StoragePush>),
) -> Result<bool> {
    if let Some(a) = auth {
        confirm_replacement(ctx, prompter, a)?;
        confirm_user_deletion(prompter, &a.pools_with_users, args.delete_users)?;
        confirm_recreation(prompter, &a.gone_pools(), args.recreate)?;
    }
    let grants = storage.is_some_and(|s| s.plan.broadens());
    let opens = auth.is_some_and(|a| a.plan.broadens());
    let message = if grants {
        "This push grants IAM roles permissions they do not have now (listed above). Are you sure you want to continue?"
    } else if opens {
        "This push lets more in than now (listed above: a role's trust, guest access or the classic flow). Are you sure you want to continue?"
    } else {
        "Are you sure you want to continue?"
    };
    // Broadening access is never the default answer in a terminal; --yes still proceeds.
    let q = Question::new("confirm", message, "--yes");
    Ok(Asker::new(prompter, ctx.yes).proceed(&q, !(grants || opens))?)
}

/// A user pool is replaced only when the user says so for that pool: its
/// name typed in a terminal (`--yes` with `--replace-user-pool` in scripts).
fn confirm_replacement(ctx: &Context, prompter: &mut dyn Prompter, a: &AuthPush) -> Result<()> {
    if ctx.yes {
        return Ok(());
    }
    for r in &a.replaced {
        let name = &r.key.name;
        let q = Question::new(
            "replace-user-pool",
            format!(
                "This push makes a new user pool {name} with the new settings and restores the {} user(s) of the current one ({}) into it; they set a new password at their next sign-in. The current pool is kept, retired. Type the pool's name to replace it",
                r.users, r.old_id
            ),
            "--yes",
        );
        typed_name(
            prompter,
            (&q, name),
            (
                format!("This push would replace user pool {name}. Nothing was changed."),
                "Run `authwiz push --replace-user-pool` in a terminal and type the pool's name, or add --yes.",
                "Run the push again and type the name exactly.",
            ),
        )?;
    }
    Ok(())
}

/// A user pool that holds users is deleted only when the user says so for
/// that pool: its name typed in a terminal, or `--delete-users` without one.
pub(super) fn confirm_user_deletion(
    prompter: &mut dyn Prompter,
    pools: &[(String, i64)],
    flag: bool,
) -> Result<()> {
    if flag {
        return Ok(());
    }
    for (name, users) in pools {
        let q = Question::new(
            "delete-user-pool",
            format!(
                "This push deletes user pool {name} and its {users} user(s); they cannot be recovered. Type the pool's name to delete it"
            ),
            "--delete-users",
        );
        typed_name(
            prompter,
            (&q, name),
            (
                format!(
                    "This push would delete user pool {name}, which holds {users} user(s). Nothing was changed."
                ),
                "Run `authwiz push` in a terminal and type the pool's name, or pass --delete-users to delete user pools with their users.",
                "Run `authwiz push` again and type the name exactly, or keep the resource (`git checkout amplify/`).",
            ),
        )?;
    }
    Ok(())
}

/// Asks `q` in a terminal and requires `name` typed exactly. Without a
/// terminal: refused with (`what`, `fix`); another name: refused with `retry`.
fn typed_name(
    prompter: &mut dyn Prompter,
    (q, name): (&Question, &str),
    (what, fix, retry): (String, &str, &str),
) -> Result<()> {
    let typed = Asker::new(prompter, false)
        .text(q, None, None)
        .map_err(|_| Error::refused(what, fix))?;
    if typed.trim() != name {
        return Err(Error::refused(
            format!(
                "'{}' is not the pool's name ({name}). Nothing was changed.",
                typed.trim()
            ),
            retry,
        ));
    }
    Ok(())
}

/// A recorded user pool that is gone is made again (new, empty, under a new
/// id) only when the user says so: yes in a terminal (no by default), or
/// `--recreate`; never under `--yes` alone.
fn confirm_recreation(
    prompter: &mut dyn Prompter,
    gone: &[(String, String)],
    flag: bool,
) -> Result<()> {
    if flag {
        return Ok(());
    }
    for (name, id) in gone {
        let q = Question::new(
            "recreate-user-pool",
            format!(
                "User pool {name} ({id}) is gone from the cloud, with its users. Make a new, empty pool of the same name (a new id for every app)?"
            ),
            "--recreate",
        );
        let refused = || {
            Error::refused(
                format!(
                    "User pool {name} ({id}), recorded by the last push, is gone from the cloud (deleted outside authwiz). Nothing was changed."
                ),
                "To make a new, empty pool in its place, run `authwiz push --recreate` (its users are not restored); or, to let it go, `authwiz remove auth` and `authwiz push`.",
            )
        };
        let yes = Asker::new(prompter, false)
            .proceed(&q, false)
            .map_err(|_| refused())?;
        if !yes {
            return Err(refused());
        }
    }
    Ok(())
}
