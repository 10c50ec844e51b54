//! `authwiz export gen2 [--out DIR] [--force] [--add-output] [--reference|--define]
//! [--detach]`: the current env's auth as a Gen 2 backend ([`crate::gen2`]),
//! written in one transaction (with the Gen 1 resource detached, when asked);
//! the cloud is read to tell whether a pushed pool holds users, and to detach.

mod detach;

use super::Context;
use crate::cli::ExportGen2Args;
use crate::cloud::deploy::UserPoolApi;
use crate::error::Result;
use crate::gen2::{self, Exported, Form, Options};
use crate::prompt::Prompter;

pub fn run(ctx: &Context, args: ExportGen2Args, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let form = match (args.reference, args.define) {
        (true, _) => Some(Form::Reference),
        (_, true) => Some(Form::Define),
        _ => None,
    };
    let opts = Options {
        out: &args.out,
        add_output: args.add_output,
        force: args.force,
        form,
    };
    let mut users = |pool: &str| {
        let aws = ctx.connect(&project, project.current_env()?)?;
        let _s = ctx.ui.spinner("Counting the pool's users...");
        Ok(aws
            .block_on(aws.deploy().read_user_pool(pool))?
            .map_or(0, |p| p.users))
    };
    let exported = gen2::stage(&project, &opts, &mut users)?;
    report(ctx, &exported);
    let detached = detach::offer(ctx, &mut project, &exported, args.detach, prompter)?;
    project.commit("export gen2")?;
    if detached {
        ctx.ui.success(format!(
            "Auth resource '{}' is now imported in the Gen 1 project (the same ids): `remove auth` there unlinks it and never deletes the pool.",
            exported.resource
        ));
    }
    Ok(())
}

fn report(ctx: &Context, e: &Exported) {
    let out = e.out.display();
    let form = match &e.form {
        Some((Form::Reference, _)) => " (referenceAuth: the same user pool)",
        Some((Form::Define, _)) => " (defineAuth: a new user pool when it deploys)",
        None => "",
    };
    ctx.ui.success(format!(
        "Exported auth resource '{}' of env '{}' as a Gen 2 backend in {out}{form}:",
        e.resource, e.env
    ));
    for (rel, _) in &e.export.files {
        ctx.ui.line(format!("  {}", e.out.join(rel).display()));
    }
    if let Some((_, Some(why))) = &e.form {
        ctx.ui.line(format!("Chosen because {why}."));
    }
    list(
        ctx,
        "Not expressed in Gen 2 (left out):",
        &e.export.not_expressible,
    );
    list(ctx, "The hand-over:", &e.export.handover);
    ctx.ui.blank();
    ctx.ui.line("Next:");
    ctx.ui.line(format!(
        "  cd {out} && npm add --save-dev @aws-amplify/backend@latest aws-cdk-lib constructs typescript"
    ));
    for secret in &e.export.secrets {
        ctx.ui
            .line(format!("  npx ampx sandbox secret set {secret}"));
    }
    ctx.ui.line("  npx ampx sandbox");
}

fn list(ctx: &Context, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    ctx.ui.warn(title);
    for n in items {
        ctx.ui.line(format!("  - {n}"));
    }
}
