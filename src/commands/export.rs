//! `authwiz export gen2 [--out DIR] [--force] [--add-output]`: the current env's
//! auth as a Gen 2 backend, written in one transaction; no AWS call.

use std::path::{Component, Path, PathBuf};

use super::Context;
use crate::cli::ExportGen2Args;
use crate::error::{Error, Result};
use crate::export::{export, source};

pub fn run(ctx: &Context, args: ExportGen2Args) -> Result<()> {
    let (project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let out = out_folder(project.store.root(), &args.out)?;
    let (res, from) = source(&project, &env)?;
    if from.lacks_client_configuration(args.add_output) {
        return Err(Error::refused(
            format!("The auth resource '{res}' has no client configuration for env '{env}' yet."),
            "Run `authwiz push`, then export.",
        ));
    }
    let exported = export(&from, args.add_output);
    let mut conflicts = Vec::new();
    for (rel, text) in &exported.files {
        let path = out.join(rel);
        if project.store.read_text(&path)?.is_some_and(|t| t != *text) && !args.force {
            conflicts.push(path.display().to_string());
        }
    }
    if !conflicts.is_empty() {
        return Err(Error::refused(
            format!(
                "These files exist and differ from the export: {}. Nothing was written.",
                conflicts.join(", ")
            ),
            "Pass --force to replace them, or --out with another folder.",
        ));
    }
    for (rel, text) in &exported.files {
        project.store.write_bytes(out.join(rel), text.as_bytes())?;
    }
    project.commit("export gen2")?;
    report(ctx, (&res, &env), &out, &exported);
    Ok(())
}

/// `--out` as a folder inside the project and outside `amplify/`.
fn out_folder(root: &Path, out: &Path) -> Result<PathBuf> {
    let full = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    let Ok(rel) = full.strip_prefix(root) else {
        return Err(Error::refused(
            format!(
                "{} is outside the project; authwiz writes the Gen 2 backend inside it, in one transaction.",
                full.display()
            ),
            "Pass --out with a folder inside the project (e.g. --out gen2), then move the folder where you want it.",
        ));
    };
    // `..` could lead back into amplify/ or out of the project.
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(Error::refused(
            format!("--out {} goes through '..' or '.'.", out.display()),
            "Pass --out with a plain folder inside the project (e.g. --out gen2).",
        ));
    }
    if rel.as_os_str().is_empty() || rel.starts_with("amplify") {
        return Err(Error::refused(
            "The Gen 2 backend would go into the Gen 1 project's amplify/ folder.",
            "Pass --out with a folder of its own (the default is gen2).",
        ));
    }
    Ok(rel.to_path_buf())
}

fn report(ctx: &Context, (res, env): (&str, &str), out: &Path, exported: &crate::export::Export) {
    ctx.ui.success(format!(
        "Exported auth resource '{res}' of env '{env}' as a Gen 2 backend in {}:",
        out.display()
    ));
    for (rel, _) in &exported.files {
        ctx.ui.line(format!("  {}", out.join(rel).display()));
    }
    if !exported.not_expressible.is_empty() {
        ctx.ui.warn("Not expressed in Gen 2 (left out):");
        for n in &exported.not_expressible {
            ctx.ui.line(format!("  - {n}"));
        }
    }
    ctx.ui.blank();
    ctx.ui.line("Next:");
    ctx.ui.line(format!(
        "  cd {} && npm add --save-dev @aws-amplify/backend@latest aws-cdk-lib constructs typescript",
        out.display()
    ));
    for secret in &exported.secrets {
        ctx.ui
            .line(format!("  npx ampx sandbox secret set {secret}"));
    }
    ctx.ui.line("  npx ampx sandbox");
}
