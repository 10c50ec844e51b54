//! Client files (aws-exports.js, amplifyconfiguration.json, amplify_outputs.json, ...)
//! that are missing or out of date: `status` says so, `push` writes them even when
//! nothing else changed. Both compare with what the project renders (no AWS call).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::error::Result;
use crate::outputs::{self, FileState};
use crate::project::Project;
use crate::ui::Ui;

fn list(files: &[(PathBuf, FileState)]) -> String {
    files
        .iter()
        .map(|(p, s)| format!("{} ({})", p.display(), s.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `status`: a warning with the fix (human), or the rows for `clientFiles` (JSON).
pub(super) fn report(ui: &Ui, files: &[(PathBuf, FileState)]) {
    match files {
        [] => {}
        [(path, FileState::Unparsable)] => ui.warn(format!(
            "{} cannot be parsed (has it been modified?): keep the generated `const awsmobile = {{...}};` shape, or delete it and run `authwiz push`, which generates it anew.",
            path.display()
        )),
        _ => ui.warn(format!(
            "Client files missing or out of date: {}. Run `authwiz push` to write them.",
            list(files)
        )),
    }
}

pub(super) fn json_rows(files: &[(PathBuf, FileState)]) -> Value {
    files
        .iter()
        .map(|(p, s)| json!({"path": p.display().to_string(), "state": s.label()}))
        .collect()
}

/// `push` with nothing else to do: writes the missing or out-of-date client files
/// (`--dry-run`: names them).
pub(super) fn refresh(ui: &Ui, project: &Project, dry_run: bool) -> Result<()> {
    let (files, states): (Vec<_>, Vec<_>) = outputs::differing(project)?.into_iter().unzip();
    if files.is_empty() {
        return Ok(());
    }
    if dry_run {
        let listed: Vec<_> = files.iter().map(|f| f.path.clone()).zip(states).collect();
        ui.line(format!("Would write the client files: {}", list(&listed)));
        return Ok(());
    }
    outputs::write(project, &files)?;
    project.commit("push")?;
    let names: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    ui.check(format!(
        "Wrote the client files that were missing or out of date: {}",
        names.join(", ")
    ));
    Ok(())
}
