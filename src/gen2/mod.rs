//! Gen 2 (Amplify's current generation) in one place: amplify_outputs.json, the
//! client configuration the Gen 2 libraries read (`outputs.rs`, written with the
//! Gen 1 client files), and `export gen2`: the current env's auth as a Gen 2
//! backend (`backend.rs`), from the managed resource's typed files
//! ([`ManagedAuth`]) or the imported ids. No AWS call, no prompt, no printing.

mod backend;
mod outputs;

pub use outputs::amplify_outputs;

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::auth::client::{self, Files};
use crate::auth::managed::load::ManagedAuth;
use crate::auth::model::ImportedEnvParams;
use crate::auth::state::resource_dir;
use crate::auth::{AuthError, CATEGORY};
use crate::error::{Error, Result};
use crate::project::{BACKEND_DIR, Project};

/// What the export starts from.
pub enum Source {
    Imported(ImportedIds),
    Managed(Box<ManagedAuth>),
}

/// An imported resource's ids in the env, and its client configuration.
pub struct ImportedIds {
    pub user_pool_id: Option<String>,
    pub web_client_id: Option<String>,
    pub identity_pool_id: Option<String>,
    pub auth_role_arn: Option<String>,
    pub unauth_role_arn: Option<String>,
    /// The `auth` block of the env's amplify_outputs.json (for addOutput),
    /// computed from the project's files as push writes it (`null` before a push).
    pub outputs_auth: Value,
}

#[derive(Debug, Default, PartialEq)]
pub struct Export {
    /// (path under the output folder, text)
    pub files: Vec<(String, String)>,
    /// Secret names to set before deploying (`npx ampx sandbox secret set NAME`).
    pub secrets: Vec<String>,
    /// Settings that have no Gen 2 form, each with what to do.
    pub not_expressible: Vec<String>,
}

/// What `export gen2` staged: which resource of which env, where, and the export.
pub struct Exported {
    pub resource: String,
    pub env: String,
    /// The output folder, relative to the project root.
    pub out: PathBuf,
    pub export: Export,
}

/// The current env's auth as a Gen 2 backend in `out` (a folder inside the
/// project, outside `amplify/`), staged in the command's transaction. Files that
/// exist and differ are replaced only with `force`.
pub fn stage(project: &Project, out: &Path, add_output: bool, force: bool) -> Result<Exported> {
    let env = project.current_env()?.to_string();
    let out = out_folder(project.store.root(), out)?;
    let (resource, from) = source(project, &env)?;
    if from.lacks_client_configuration(add_output) {
        return Err(Error::refused(
            format!(
                "The auth resource '{resource}' has no client configuration for env '{env}' yet."
            ),
            "Run `authwiz push`, then export.",
        ));
    }
    let export = backend::files(&from, add_output);
    let mut conflicts = Vec::new();
    for (rel, text) in &export.files {
        let path = out.join(rel);
        // An earlier export's file (or the user's): compared, never an input.
        if project.store.read_text(&path)?.is_some_and(|t| t != *text) && !force {
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
    for (rel, text) in &export.files {
        project.store.write_bytes(out.join(rel), text.as_bytes())?;
    }
    Ok(Exported {
        resource,
        env,
        out,
        export,
    })
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

/// The current env's auth resource as the export starts from it: its name
/// and its source (imported ids with the env's client configuration, or the
/// managed resource's files).
fn source(project: &Project, env: &str) -> Result<(String, Source)> {
    let auth = project.meta.value.categories.get(CATEGORY);
    let Some((res, resource)) = auth.and_then(|c| c.iter().find(|(_, r)| r.is_cognito())) else {
        return Err(Error::refused(
            "The project has no auth resource to export.",
            "Add one with `authwiz add auth` or `authwiz import auth`.",
        ));
    };
    if !resource.is_imported() {
        let dir = resource_dir(res);
        let Some(m) =
            ManagedAuth::load(&project.store, BACKEND_DIR, res).map_err(AuthError::from)?
        else {
            return Err(Error::refused(
                format!("{dir}/cli-inputs.json is missing for the managed auth resource '{res}'."),
                "Restore it from version control, then export.",
            ));
        };
        return Ok((res.clone(), Source::Managed(Box::new(m))));
    }
    let ids: ImportedEnvParams = project
        .env_params(env, CATEGORY, res)
        .and_then(|p| serde_json::to_value(p).ok())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    if ids.user_pool_id.is_none() {
        return Err(Error::refused(
            format!("Environment '{env}' has no ids for the imported auth resource '{res}'."),
            "Import them for this env (`authwiz env checkout` or `authwiz import auth`), then export.",
        ));
    }
    Ok((
        res.clone(),
        Source::Imported(ImportedIds {
            user_pool_id: ids.user_pool_id,
            web_client_id: ids.web_client_id,
            identity_pool_id: ids.identity_pool_id,
            auth_role_arn: ids.auth_role_arn,
            unauth_role_arn: ids.unauth_role_arn,
            outputs_auth: outputs_auth(project)?,
        }),
    ))
}

/// amplify_outputs.json's `auth` block for the env's pushed auth (`null` when
/// it has none yet), computed from the project's files as push computes it:
/// never read back from a generated amplify_outputs.json.
fn outputs_auth(project: &Project) -> Result<Value> {
    let (meta, extras) = client::client_meta(project, Files::Pushed)?;
    Ok(amplify_outputs(&meta, &extras)
        .remove("auth")
        .unwrap_or_default())
}

impl Source {
    /// Whether the export needs the env's client configuration (addOutput)
    /// and the env has none yet.
    fn lacks_client_configuration(&self, add_output: bool) -> bool {
        match self {
            Source::Imported(ids) => {
                (add_output || ids.identity_pool_id.is_none() || ids.unauth_role_arn.is_none())
                    && ids.outputs_auth.is_null()
            }
            Source::Managed(_) => false,
        }
    }
}
