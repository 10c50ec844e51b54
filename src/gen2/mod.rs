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
    Imported(EnvIds),
    /// Managed auth as `defineAuth` (a new pool when the Gen 2 app deploys).
    Managed(Box<ManagedAuth>),
    /// Managed auth as `referenceAuth`: the env's pushed resources, kept.
    Referenced(Box<ManagedAuth>, EnvIds),
}

/// How managed auth is exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `defineAuth`: the settings, for a new pool.
    Define,
    /// `referenceAuth`: the env's pool, clients, identity pool and roles.
    Reference,
}

/// What `export gen2` is asked for.
pub struct Options<'a> {
    pub out: &'a Path,
    pub add_output: bool,
    pub force: bool,
    /// Managed auth's form; `None`: `referenceAuth` when the pool holds users
    /// or cannot be expressed by `defineAuth`, else `defineAuth`.
    pub form: Option<Form>,
}

/// The resource's ids in the env (imported, or what a managed resource's last
/// push made), and its client configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnvIds {
    pub user_pool_id: Option<String>,
    pub web_client_id: Option<String>,
    pub identity_pool_id: Option<String>,
    pub auth_role_arn: Option<String>,
    pub unauth_role_arn: Option<String>,
    /// (group, its role's ARN): the groups a managed resource's push made.
    pub groups: Vec<(String, String)>,
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
    /// What the Gen 2 app keeps of the Gen 1 resources, and what stays with
    /// the Gen 1 project (a `referenceAuth` export).
    pub handover: Vec<String>,
}

/// What `export gen2` staged: which resource of which env, where, and the export.
pub struct Exported {
    pub resource: String,
    pub env: String,
    /// The output folder, relative to the project root.
    pub out: PathBuf,
    pub export: Export,
    /// Managed auth's form, and why it was chosen when it was not asked for.
    pub form: Option<(Form, Option<String>)>,
}

/// The current env's auth as a Gen 2 backend in `out`: a folder inside the
/// project (outside `amplify/`), staged in the command's transaction; or a
/// folder outside it (a new Gen 2 app's), placed there at once, built beside
/// it (see [`crate::project::place_outside`]). Files that exist and differ
/// are replaced only with `force`.
/// `users` tells how many users a user pool holds (a cloud read), asked only
/// when the form depends on it.
pub fn stage(
    project: &Project,
    opts: &Options,
    users: &mut dyn FnMut(&str) -> Result<i64>,
) -> Result<Exported> {
    let (out, add_output, force) = (opts.out, opts.add_output, opts.force);
    let env = project.current_env()?.to_string();
    let out = out_folder(project.store.root(), out)?;
    let outside = out.is_absolute();
    let (resource, from) = source(project, &env)?;
    let (from, form) = match from {
        Source::Managed(m) => {
            let pushed = pushed_ids(project, &resource)?;
            let (form, why) = choose(&m, pushed.as_ref(), opts.form, users)?;
            let from = match (form, pushed) {
                (Form::Reference, Some(ids)) => Source::Referenced(m, ids),
                _ => Source::Managed(m),
            };
            (from, Some((form, why)))
        }
        other => (other, None),
    };
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
        let now = if outside {
            std::fs::read_to_string(&path).ok()
        } else {
            project.store.read_text(&path)?
        };
        if now.is_some_and(|t| t != *text) && !force {
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
    if outside {
        let files: Vec<(PathBuf, Vec<u8>)> = export
            .files
            .iter()
            .map(|(rel, text)| (PathBuf::from(rel), text.as_bytes().to_vec()))
            .collect();
        crate::project::place_outside(&out, &files)?;
    } else {
        for (rel, text) in &export.files {
            project.store.write_bytes(out.join(rel), text.as_bytes())?;
        }
    }
    Ok(Exported {
        resource,
        env,
        out,
        export,
        form,
    })
}

/// The form of a managed export: the one asked for, else `referenceAuth`
/// when `defineAuth` would lose the pool's users or make a pool of another
/// kind, else `defineAuth`. With the reason when it was not asked for.
fn choose(
    m: &ManagedAuth,
    pushed: Option<&EnvIds>,
    asked: Option<Form>,
    users: &mut dyn FnMut(&str) -> Result<i64>,
) -> Result<(Form, Option<String>)> {
    match (asked, pushed) {
        (Some(Form::Define), _) => Ok((Form::Define, None)),
        (Some(Form::Reference), Some(_)) => Ok((Form::Reference, None)),
        (Some(Form::Reference), None) => Err(Error::refused(
            "This env's auth has not been pushed: there is no user pool to reference.",
            "Run `authwiz push` first, or export with --define (a new pool when the Gen 2 app deploys).",
        )),
        (None, None) => Ok((
            Form::Define,
            Some("this env's auth has not been pushed, so there is no pool to keep".into()),
        )),
        (None, Some(ids)) => {
            if m.config()
                .username_attributes
                .as_deref()
                .unwrap_or_default()
                .is_empty()
            {
                return Ok((
                    Form::Reference,
                    Some("its users sign in with user names, which defineAuth cannot express (a deploy would make an email sign-in pool, and users could not move to it)".into()),
                ));
            }
            let n = match &ids.user_pool_id {
                Some(id) => users(id)?,
                None => 0,
            };
            Ok(if n > 0 {
                (
                    Form::Reference,
                    Some(format!(
                        "the pool holds {n} users; defineAuth would make a new, empty pool"
                    )),
                )
            } else {
                (
                    Form::Define,
                    Some(
                        "the pool holds no users; export with --reference to keep it anyway".into(),
                    ),
                )
            })
        }
    }
}

/// The ids the last push recorded for managed resource `res` in the current
/// env (amplify-meta.json's outputs, the env's roles), if it was pushed.
fn pushed_ids(project: &Project, res: &str) -> Result<Option<EnvIds>> {
    let meta = &project.meta.value;
    let Some(output) = meta.resource(CATEGORY, res).and_then(|r| r.output.as_ref()) else {
        return Ok(None);
    };
    if text_of(output, "UserPoolId").is_none() {
        return Ok(None);
    }
    let cfn = meta
        .providers
        .as_ref()
        .and_then(|p| p.get("awscloudformation"));
    let role = |k: &str| {
        cfn.and_then(|c| c.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let groups = meta
        .resource(CATEGORY, crate::auth::managed::load::GROUPS)
        .and_then(|r| r.output.as_ref())
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| {
                    Some((
                        k.strip_suffix("GroupRole")?.to_string(),
                        v.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(EnvIds {
        user_pool_id: text_of(output, "UserPoolId"),
        web_client_id: text_of(output, "AppClientIDWeb"),
        identity_pool_id: text_of(output, "IdentityPoolId"),
        auth_role_arn: role("AuthRoleArn"),
        unauth_role_arn: role("UnauthRoleArn"),
        groups,
        outputs_auth: outputs_auth(project)?,
    }))
}

fn text_of(o: &serde_json::Map<String, Value>, k: &str) -> Option<String> {
    o.get(k).and_then(Value::as_str).map(str::to_string)
}

/// `--out` as a folder inside the project and outside `amplify/` (relative
/// to the project), or a folder outside the project (absolute).
fn out_folder(root: &Path, out: &Path) -> Result<PathBuf> {
    let full = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    // A folder outside the project (`../my-gen2-app`) is taken as written,
    // its `..` resolved by name; one inside is checked below, as given.
    let resolved = lexical(&full);
    let Ok(rel) = full.strip_prefix(root) else {
        return Ok(resolved);
    };
    if !resolved.starts_with(root) {
        return Ok(resolved);
    }
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

/// `path` with `.` and `..` resolved by name (no file system access).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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
        Source::Imported(EnvIds {
            user_pool_id: ids.user_pool_id,
            web_client_id: ids.web_client_id,
            identity_pool_id: ids.identity_pool_id,
            auth_role_arn: ids.auth_role_arn,
            unauth_role_arn: ids.unauth_role_arn,
            groups: Vec::new(),
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
            Source::Imported(ids) | Source::Referenced(_, ids) => {
                (add_output || ids.identity_pool_id.is_none() || ids.unauth_role_arn.is_none())
                    && ids.outputs_auth.is_null()
            }
            Source::Managed(_) => false,
        }
    }
}
