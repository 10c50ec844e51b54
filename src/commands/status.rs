//! `authwiz status`: what a push would change. Offline: reads local files only.

use serde_json::json;

use crate::cli::StatusArgs;
use crate::error::Result;
use crate::push::plan::{ResourceChange, classify};
use crate::ui::{Ui, boxed_table};

use super::Context;

pub fn run(ctx: &Context, args: StatusArgs) -> Result<()> {
    let project = ctx.open()?;
    let env = project.current_env()?;
    let changes = classify(&project);
    if args.json {
        let resources: Vec<_> = changes
            .iter()
            .map(|c| {
                json!({
                    "category": c.category,
                    "resourceName": c.name,
                    "operation": c.operation.label(),
                    "providerPlugin": c.provider_plugin,
                })
            })
            .collect();
        ctx.ui.json(&json!({ "env": env, "resources": resources }));
        return Ok(());
    }
    print_table(&ctx.ui, env, &changes);
    Ok(())
}

/// The status table, as `amplify status` (and `amplify push`) print it.
pub fn print_table(ui: &Ui, env: &str, changes: &[ResourceChange]) {
    ui.blank();
    ui.line(format!("    {} {env}", ui.green("Current Environment:")));
    ui.line("    ");
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|c| {
            vec![
                capitalize(&c.category),
                c.name.clone(),
                c.operation.label().to_string(),
                c.provider_plugin.clone(),
            ]
        })
        .collect();
    let header = ["Category", "Resource name", "Operation", "Provider plugin"];
    ui.line(boxed_table(&header, &rows).trim_end());
    ui.blank();
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
