//! `authwiz push`: prints what changed, has `push::operation` read the cloud
//! and plan, shows the plan, asks, and has the operation apply and record it.

use crate::cli::PushArgs;
use crate::error::Result;
use crate::prompt::Prompter;
use crate::push::operation::{Progress, Push};
use crate::ui::Ui;

mod confirm;
pub mod env_removal;

use super::{Context, timestamp};
use confirm::{confirm, dry_run};

/// The operation's stages as spinners.
pub(super) struct Spinners<'a>(pub &'a Ui);

impl Progress for Spinners<'_> {
    fn stage(&self, what: &str) -> Box<dyn std::any::Any> {
        Box::new(self.0.spinner(what))
    }
}

pub fn run(ctx: &Context, args: PushArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let push = Push::new(&project)?;
    ctx.ui.status_table(&push.env, &push.changes);
    if push.resuming() {
        ctx.ui.warn("A previous push did not finish; this push reads the resources it touched again and completes it.");
    }
    if push.offline(args.check_cloud) {
        ctx.ui.line("No changes detected");
        return super::client_files::refresh(&ctx.ui, &project, args.dry_run);
    }
    let home = super::home(ctx).ok();
    let connect = || ctx.connect(&project, &push.env);
    let progress = Spinners(&ctx.ui);
    let planned = push.plan(
        &project,
        (args.check_cloud, args.replace_user_pool),
        &connect,
        home.as_deref(),
        &progress,
    )?;
    for line in planned.lines() {
        ctx.ui.line(line);
    }
    if !push.has_changes() && !push.resuming() && planned.is_empty() {
        ctx.ui
            .check("The cloud holds what the last push made; nothing to set back.");
        return super::client_files::refresh(&ctx.ui, &project, args.dry_run);
    }
    if args.dry_run {
        dry_run(ctx, &push.changes);
        return Ok(());
    }
    if !confirm(
        ctx,
        prompter,
        &args,
        (planned.auth.as_ref(), planned.storage.as_ref()),
    )? {
        ctx.ui.line("Nothing was changed.");
        return Ok(());
    }
    let now = timestamp(ctx.process.now());
    for line in planned.apply(&mut project, &push, &now, &progress)? {
        ctx.ui.line(line);
    }
    ctx.ui.check("All resources are updated in the cloud");
    Ok(())
}
