//! `authwiz export gen2 [--out DIR] [--force] [--add-output]`: the current env's
//! auth as a Gen 2 backend ([`crate::gen2`]), written in one transaction; no AWS call.

use super::Context;
use crate::cli::ExportGen2Args;
use crate::error::Result;
use crate::gen2::{self, Exported};

pub fn run(ctx: &Context, args: ExportGen2Args) -> Result<()> {
    let (project, _lock) = ctx.open_locked()?;
    let exported = gen2::stage(&project, &args.out, args.add_output, args.force)?;
    project.commit("export gen2")?;
    report(ctx, &exported);
    Ok(())
}

fn report(ctx: &Context, e: &Exported) {
    let out = e.out.display();
    ctx.ui.success(format!(
        "Exported auth resource '{}' of env '{}' as a Gen 2 backend in {out}:",
        e.resource, e.env
    ));
    for (rel, _) in &e.export.files {
        ctx.ui.line(format!("  {}", e.out.join(rel).display()));
    }
    if !e.export.not_expressible.is_empty() {
        ctx.ui.warn("Not expressed in Gen 2 (left out):");
        for n in &e.export.not_expressible {
            ctx.ui.line(format!("  - {n}"));
        }
    }
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
