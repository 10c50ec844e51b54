//! `authwiz schema [NAME]`: one of the embedded JSON Schemas on stdout, or
//! without NAME the names, one a line with what each covers. No project needed.

use super::Context;
use crate::error::{Error, Result};
use crate::schemas;

pub fn run(ctx: &Context, name: Option<&str>) -> Result<()> {
    let Some(name) = name else {
        let width = schemas::NAMES.iter().map(|n| n.len()).max().unwrap_or(0);
        let lines: String = schemas::ALL
            .iter()
            .map(|s| format!("{:width$}  {}\n", s.name, s.covers))
            .collect();
        ctx.ui.machine_text(&lines);
        return Ok(());
    };
    // clap refuses other names first (a usage error); this covers in-process callers.
    let schema = schemas::get(name).ok_or_else(|| {
        Error::refused(
            format!("There is no schema called '{name}'."),
            format!("Use one of: {}.", schemas::NAMES.join(", ")),
        )
    })?;
    ctx.ui.machine_text(schema.text);
    Ok(())
}
