//! Resource classification, as `amplify status` shows it: local state
//! (amplify-meta.json, backend-config.json, resource folders) against the last
//! pushed state in `#current-cloud-backend/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::project::{BACKEND_DIR, CURRENT_CLOUD_BACKEND, Project, Resource};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Import,
    Unlink,
    NoChange,
}

impl Operation {
    pub fn label(self) -> &'static str {
        match self {
            Operation::Create => "Create",
            Operation::Update => "Update",
            Operation::Delete => "Delete",
            Operation::Import => "Import",
            Operation::Unlink => "Unlink",
            Operation::NoChange => "No Change",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceChange {
    pub category: String,
    pub name: String,
    pub operation: Operation,
    pub provider_plugin: String,
    pub imported: bool,
}

/// Every resource with its operation, in Amplify's row order: Create, Update,
/// imported (Import / Unlink / No Change), Delete, then the other No Change rows.
pub fn classify(project: &Project) -> Vec<ResourceChange> {
    let meta = &project.meta.value;
    let current = project.current_meta.as_ref().map(|d| &d.value);
    let mut rows: Vec<(u8, ResourceChange)> = Vec::new();

    for (cat, name, res) in meta.resources() {
        let pushed = current.and_then(|c| c.resource(cat, name));
        let (rank, operation) = if res.is_imported() {
            (
                2,
                if pushed.is_some() {
                    Operation::NoChange
                } else {
                    Operation::Import
                },
            )
        } else if pushed.is_none() || res.last_push_time_stamp.is_none() {
            (0, Operation::Create)
        } else if changed_since_push(project, cat, name) {
            (1, Operation::Update)
        } else {
            (4, Operation::NoChange)
        };
        rows.push((rank, change(cat, name, res, operation)));
    }
    if let Some(current) = current {
        for (cat, name, res) in current.resources() {
            if meta.resource(cat, name).is_some() {
                continue;
            }
            let (rank, operation) = if res.is_imported() {
                (2, Operation::Unlink)
            } else {
                (3, Operation::Delete)
            };
            rows.push((rank, change(cat, name, res, operation)));
        }
    }
    rows.sort_by_key(|(rank, _)| *rank);
    rows.into_iter().map(|(_, r)| r).collect()
}

fn change(category: &str, name: &str, res: &Resource, operation: Operation) -> ResourceChange {
    ResourceChange {
        category: category.into(),
        name: name.into(),
        operation,
        provider_plugin: res
            .provider_plugin
            .clone()
            .unwrap_or_else(|| "awscloudformation".into()),
        imported: res.is_imported(),
    }
}

/// True when there is anything for a push to do.
pub fn has_changes(changes: &[ResourceChange]) -> bool {
    changes.iter().any(|c| c.operation != Operation::NoChange)
}

fn changed_since_push(project: &Project, cat: &str, name: &str) -> bool {
    let local = project
        .backend_config
        .value
        .categories
        .get(cat)
        .and_then(|c| c.get(name));
    let pushed = project
        .current_backend_config
        .as_ref()
        .and_then(|d| d.value.categories.get(cat))
        .and_then(|c| c.get(name));
    if local != pushed {
        return true;
    }
    let root = project.store.root();
    let here = root.join(BACKEND_DIR).join(cat).join(name);
    let there = root.join(CURRENT_CLOUD_BACKEND).join(cat).join(name);
    files(&here) != files(&there)
}

/// The files of a resource folder that count for change detection (as Amplify's
/// folder hash: dot-files, node_modules, build, dist and test_coverage ignored).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.')
                || ["node_modules", "build", "dist", "test_coverage"].contains(&name.as_str())
            {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if let (Ok(rel), Ok(bytes)) = (path.strip_prefix(base), fs::read(&path)) {
                out.insert(rel.to_string_lossy().to_string(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}
