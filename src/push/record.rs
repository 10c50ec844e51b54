//! What a push records in the project: the stamps and outputs in
//! amplify-meta.json, the pushed copies in `#current-cloud-backend/`, the client
//! files, all in the command's one transaction; and the checks before it (what
//! authwiz does not push, which imports to verify).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::engine::Plan;
use super::plan::{Operation, ResourceChange};
use crate::auth::CATEGORY;
use crate::error::{Error, Result};
use crate::outputs;
use crate::project::{
    BACKEND_DIR, CURRENT_BACKEND_CONFIG, CURRENT_CLOUD_BACKEND, CURRENT_META, Doc, Project,
};
use crate::storage::CATEGORY as STORAGE;

/// authwiz deploys auth (imported and managed) and storage; anything else is the Amplify CLI's.
pub fn refuse_others(project: &Project, changes: &[ResourceChange]) -> Result<()> {
    let others: Vec<String> = changes
        .iter()
        .filter(|c| {
            !c.imported
                && c.category != STORAGE
                && !super::auth::deploys(project, c)
                && c.operation != Operation::NoChange
        })
        .map(|c| format!("{} {} ({})", c.category, c.name, c.operation.label()))
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    Err(Error::refused(
        format!(
            "authwiz pushes auth and storage only; these resources are deployed by the Amplify CLI: {}. Nothing was pushed.",
            others.join(", ")
        ),
        "Run `amplify push` for them (or remove them from the project), then `authwiz push`.",
    ))
}

/// The imported auth resources this push records, whose ids must still exist.
pub fn imports_to_verify(changes: &[ResourceChange]) -> Vec<&ResourceChange> {
    changes
        .iter()
        .filter(|c| c.operation == Operation::Import && c.category == CATEGORY)
        .collect()
}

/// A push whose cloud changes were applied but whose record could not be
/// written: say what is already in the cloud and how the next push completes it.
pub fn not_recorded(plans: &[&Plan], e: Error) -> Error {
    let applied: Vec<String> = plans
        .iter()
        .flat_map(|p| p.steps.iter())
        .map(|s| format!("{}: {}", s.label, s.action.label()))
        .collect();
    if applied.is_empty() {
        return e;
    }
    Error::refused(
        format!(
            "Already applied in the cloud: {}. Recording the push in the project failed:\n{e}",
            applied.join("; ")
        ),
        "Run `authwiz push` again (after fixing the cause): it finds these changes in place and records them.",
    )
}

/// Records the pushed state in memory and renders the client files; writes nothing.
pub fn prepare_record(
    stamp: &str,
    project: &mut Project,
    changes: &[ResourceChange],
    outputs: &HashMap<(String, String), Map<String, Value>>,
) -> Result<Vec<outputs::Generated>> {
    for c in changes {
        if !matches!(
            c.operation,
            Operation::Import | Operation::Create | Operation::Update
        ) && !outputs.contains_key(&(c.category.clone(), c.name.clone()))
        {
            continue;
        }
        if let Some(r) = project
            .meta
            .value
            .categories
            .get_mut(&c.category)
            .and_then(|cat| cat.get_mut(&c.name))
        {
            if c.operation != Operation::NoChange {
                r.last_push_time_stamp = Some(stamp.to_string());
            }
            if let Some(output) = outputs.get(&(c.category.clone(), c.name.clone())) {
                r.output = Some(output.clone());
            }
        }
    }
    project.current_meta = Some(Doc::new(CURRENT_META, project.meta.value.clone()));
    project.current_backend_config = Some(Doc::new(
        CURRENT_BACKEND_CONFIG,
        project.backend_config.value.clone(),
    ));
    outputs::render_from(project, outputs::Files::Pushing)
}

/// Writes what `prepare_record` decided as one transaction: meta,
/// `#current-cloud-backend/`, client files.
pub fn write_record(
    project: &Project,
    changes: &[ResourceChange],
    files: &[outputs::Generated],
) -> Result<()> {
    // Resource folders first: a path the Store refuses stops before any file changes.
    for c in changes {
        let local = format!("{BACKEND_DIR}/{}/{}", c.category, c.name);
        let pushed = format!("{CURRENT_CLOUD_BACKEND}/{}/{}", c.category, c.name);
        match c.operation {
            Operation::Import | Operation::Create | Operation::Update => {
                project.store.copy_dir(&local, &pushed)?
            }
            Operation::Unlink | Operation::Delete => project.store.remove_dir(&pushed)?,
            Operation::NoChange => {}
        }
    }
    project.save_meta()?;
    // The env's roles, when this push made them.
    project.save_tpi()?;
    project.save_current()?;
    outputs::write(project, files)?;
    Ok(project.commit("push")?)
}
