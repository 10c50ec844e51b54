//! After a `referenceAuth` export of managed auth: the Gen 1 resource made an
//! imported one with the same ids ([`crate::auth::detach`]), offered in a
//! terminal (No by default), done in scripts only with `--detach`.

use crate::auth::detach;
use crate::auth::import::{Discovery, Request, resolve};
use crate::error::{Error, Result};
use crate::gen2::{Exported, Form};
use crate::project::Project;
use crate::prompt::{Asker, Prompter, Question};
use crate::ui::NoticeRenderer;

use super::Context;

/// Stages the detach when asked for or accepted; whether it did.
pub(super) fn offer(
    ctx: &Context,
    project: &mut Project,
    exported: &Exported,
    flag: bool,
    prompter: &mut dyn Prompter,
) -> Result<bool> {
    let res = &exported.resource;
    if !matches!(exported.form, Some((Form::Reference, _))) {
        if flag {
            return Err(Error::refused(
                "--detach follows a referenceAuth export of managed auth; this export is not one. Nothing was written.",
                "Export with --reference (the pushed pool is kept), or leave --detach out.",
            ));
        }
        return Ok(false);
    }
    let q = Question::new(
        "detach",
        format!(
            "Make the Gen 1 auth resource '{res}' an imported one (the same ids), so that the Gen 1 project can no longer change or delete the pool the Gen 2 app uses?"
        ),
        "--detach",
    );
    let wanted = flag
        || (!ctx.yes
            && Asker::new(prompter, false)
                .proceed(&q, false)
                .unwrap_or(false));
    if !wanted {
        return Ok(false);
    }
    let env = exported.env.clone();
    let Some(ids) = detach::pushed_ids(project, res)? else {
        return Err(Error::refused(
            format!("The auth resource '{res}' has no recorded ids for env '{env}'."),
            "Run `authwiz push`, then export with --detach.",
        ));
    };
    // The same resolution as `import auth` with these ids: what it checks holds.
    let aws = ctx.connect(project, &env)?;
    let (idp, identity, iam) = (aws.cognito_idp(), aws.cognito_identity(), aws.iam());
    let disc = Discovery::new(&idp, &identity, &iam);
    let mut asker = Asker::new(prompter, true);
    for (q, v) in ids.all_answers() {
        asker.give(q, Some(v));
    }
    let request = Request {
        resource_name: res.clone(),
        region: aws.region().to_string(),
        env: env.clone(),
        fixed: None,
    };
    let mut notices = NoticeRenderer::quiet(&ctx.ui);
    let imported = aws.block_on(resolve(&disc, &mut asker, &mut notices, &request))?;
    drop(notices);
    detach::stage(project, &env, &imported)?;
    Ok(true)
}
