//! The storage walkthrough's answers: given up front (flags or headless JSON)
//! or asked, for each access level.

use super::super::{Context, read_stdin};
use crate::cli::StorageArgs;
use crate::error::{Error, Result};
use crate::prompt::{Asker, Choice, Question};
use crate::storage::{Access, AuthFacts, StorageSettings, check_auth};
/// Answers given up front: flags or the headless JSON.
pub(super) fn given(
    ctx: &Context,
    args: &StorageArgs,
) -> Result<Vec<(&'static str, Option<String>)>> {
    if !args.headless {
        return Ok(vec![
            ("name", args.name.clone()),
            ("bucket-name", args.bucket_name.clone()),
            ("auth-access", args.auth_access.clone()),
            // An empty --guest-access means "no guests".
            (
                "who",
                args.guest_access.as_ref().map(|g| {
                    if g.trim().is_empty() {
                        "auth"
                    } else {
                        "authAndGuest"
                    }
                    .to_string()
                }),
            ),
            (
                "guest-access",
                args.guest_access.clone().filter(|g| !g.trim().is_empty()),
            ),
        ]);
    }
    let text = read_stdin(ctx, "authwiz add storage --headless")?;
    crate::storage::headless::answers(&text)
        .map_err(|what| Error::refused(what, crate::storage::headless::EXAMPLE))
}

fn access_choices() -> Vec<Choice> {
    Access::ALL
        .iter()
        .map(|a| Choice::new(a.label(), a.flag_name()))
        .collect()
}

/// Asks which operations a kind of user gets; `preselected` is exactly what is
/// ticked when the question opens (never more than the user has, or read).
fn ask_access(
    asker: &mut Asker,
    id: &'static str,
    message: &str,
    supply: &str,
    preselected: &[Access],
) -> Result<Vec<Access>> {
    let choices = access_choices();
    let defaults: Vec<usize> = Access::ALL
        .iter()
        .enumerate()
        .filter(|(_, a)| preselected.contains(a))
        .map(|(i, _)| i)
        .collect();
    let q = Question::new(id, message, supply).help("(space to select, enter to confirm)");
    // Granting access is never a default: --yes and headless must say what.
    if !asker.can_ask() && !asker.is_given(id) {
        return Err(Error::refused(
            format!("No answer for \"{message}\"."),
            format!(
                "Supply it with {supply} (headless: \"{}\").",
                if id == "auth-access" {
                    "authAccess"
                } else {
                    "guestAccess"
                }
            ),
        ));
    }
    let picked = asker.multi_select(&q, &choices, &defaults)?;
    if picked.is_empty() {
        return Err(Error::refused(
            format!("No access was chosen for \"{message}\"."),
            format!("Choose at least one of create/update, read, delete ({supply})."),
        ));
    }
    Ok(picked.into_iter().map(|i| Access::ALL[i]).collect())
}

/// The walkthrough shared by add and update: who may do what.
pub(super) fn ask_access_settings(
    asker: &mut Asker,
    current: Option<&StorageSettings>,
    facts: &AuthFacts,
) -> Result<(Vec<Access>, Vec<Access>)> {
    let choices = [
        Choice::new("Auth users only", "auth"),
        Choice::new("Auth and guest users", "authAndGuest"),
    ];
    let default = usize::from(current.is_some_and(|c| c.guests()));
    let q = Question::new(
        "who",
        "Who should have access:",
        "--guest-access LIST (guests) or --auth-access LIST only",
    );
    let guests = asker.select(&q, &choices, default)? == 1;
    check_auth(guests, Some(facts))?;
    // Defaults never grant more than the resource gives now; a level offered for
    // the first time starts with read only.
    let auth = ask_access(
        asker,
        "auth-access",
        "What kind of access do you want for Authenticated users?",
        "--auth-access create,read,delete",
        current.map_or(&[Access::Read], |c| c.auth_access.as_slice()),
    )?;
    let guest = if guests {
        ask_access(
            asker,
            "guest-access",
            "What kind of access do you want for Guest users?",
            "--guest-access read",
            current
                .filter(|c| c.guests())
                .map_or(&[Access::Read], |c| c.guest_access.as_slice()),
        )?
    } else {
        Vec::new()
    };
    Ok((auth, guest))
}
