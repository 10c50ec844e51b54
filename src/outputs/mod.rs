//! Client configuration generated from amplify-meta.json: aws-exports.js and
//! amplifyconfiguration.json (JavaScript), the mobile configuration files
//! (iOS, Android, Flutter), and amplify_outputs.json (Gen 2, versions "1",
//! "1.3" and "1.4").

mod gen2;
mod javascript;
mod mobile;

pub use javascript::{aws_exports_js, javascript_config, merge_custom_keys, parse_aws_exports};

use std::path::PathBuf;

use crate::auth::AuthError;
use crate::auth::managed::load::{GROUPS, ManagedAuth};
use crate::auth::managed::overrides::{self, Overrides};
use crate::auth::model::ImportedParameters;
use crate::auth::state::parameters_path;
use crate::error::{Error, Result};
use crate::project::{AmplifyMeta, Frontend, Project, Resource};

/// The strings of an array member (`[]` when absent).
pub(crate) fn strings(v: &serde_json::Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The Cognito resource the client uses: the first pushed one with outputs.
pub(crate) fn pushed_cognito(meta: &AmplifyMeta) -> Option<&Resource> {
    meta.categories
        .get("auth")?
        .values()
        .find(|r| is_pushed_cognito(r))
}

/// The pushed storage bucket and its region.
pub(crate) fn pushed_storage(meta: &AmplifyMeta) -> Option<(String, String)> {
    meta.categories
        .get(crate::storage::CATEGORY)?
        .values()
        .find_map(|r| {
            r.last_push_time_stamp.as_ref()?;
            let o = r.output.as_ref()?;
            let bucket = o.get("BucketName")?.as_str()?.to_string();
            let region = o
                .get("Region")
                .and_then(|v| v.as_str())
                .or(meta.region())?
                .to_string();
            Some((bucket, region))
        })
}

/// A Cognito resource that has outputs and was pushed (what the client may use).
fn is_pushed_cognito(r: &Resource) -> bool {
    r.is_cognito() && r.output.is_some() && r.last_push_time_stamp.is_some()
}

/// What amplify_outputs.json says beyond the meta: whether guests may sign in,
/// the user pool groups, and the managed resource's overrides.
#[derive(Debug, Default)]
pub(crate) struct AuthExtras {
    pub allow_unauthenticated: Option<bool>,
    pub groups: Vec<(String, Option<i64>)>,
    pub overrides: Overrides,
}

/// Where the auth resource's files are read from: the working copy while it is
/// being pushed, else what was pushed for the env (an edit not pushed yet is
/// not in the env's client files).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Files {
    Pushing,
    Pushed,
}

fn auth_extras(project: &Project, from: Files) -> Result<AuthExtras> {
    let Some((name, res)) = project
        .meta
        .value
        .categories
        .get("auth")
        .and_then(|c| c.iter().find(|(_, r)| is_pushed_cognito(r)))
    else {
        return Ok(AuthExtras::default());
    };
    let env = project.local_env.as_ref().map(|d| d.value.env_name.clone());
    let from_env = env
        .and_then(|e| project.env_params(&e, "auth", name))
        .and_then(|p| p.get("allowUnauthenticatedIdentities"))
        .and_then(serde_json::Value::as_bool);
    // Managed auth: its files, read as push reads them.
    let store = &project.store;
    let managed =
        match (res.is_imported(), from) {
            (true, _) => None,
            (false, Files::Pushing) => ManagedAuth::load(store, crate::project::BACKEND_DIR, name)
                .map_err(AuthError::from)?,
            (false, Files::Pushed) => ManagedAuth::load_pushed(store, &project.pushed_dir, name)
                .map_err(AuthError::from)?,
        };
    let groups_pushed = project
        .meta
        .value
        .categories
        .get("auth")
        .and_then(|c| c.get(GROUPS))
        .is_some_and(|g| g.output.is_some());
    let groups = match &managed {
        Some(m) if groups_pushed => m
            .groups
            .iter()
            .map(|g| (g.name.clone(), g.precedence.map(i64::from)))
            .collect(),
        _ => Vec::new(),
    };
    Ok(AuthExtras {
        allow_unauthenticated: from_env
            .or_else(|| managed.as_ref()?.config().allow_unauthenticated_identities),
        groups,
        overrides: managed.map(|m| m.overrides).unwrap_or_default(),
    })
}

/// One generated file: where it goes (relative to the project root) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Renders every client file for the project's frontend from the in-memory meta,
/// without writing; commands write them after the project files.
pub fn render(project: &Project) -> Result<Vec<Generated>> {
    render_from(project, Files::Pushed)
}

/// [`render`], with the auth resource's files read from `from`.
pub fn render_from(project: &Project, from: Files) -> Result<Vec<Generated>> {
    let (meta, outputs) = gen2_outputs(project, from)?;
    let dir = project.source_dir();
    let mut files = vec![Generated {
        path: PathBuf::from("amplify_outputs.json"),
        bytes: serde_json::to_string_pretty(&serde_json::Value::Object(outputs))
            .expect("a JSON object serializes")
            .into_bytes(),
    }];
    files.extend(frontend_files(project, &meta, &dir)?);
    Ok(files)
}

/// The meta the client files are made from, and amplify_outputs.json's content.
fn gen2_outputs(
    project: &Project,
    from: Files,
) -> Result<(AmplifyMeta, serde_json::Map<String, serde_json::Value>)> {
    let extras = auth_extras(project, from)?;
    let mut meta = with_frontend_auth_config(project)?;
    with_overrides(&mut meta, &extras.overrides);
    let outputs = gen2::amplify_outputs(&meta, &extras);
    Ok((meta, outputs))
}

/// amplify_outputs.json's `auth` block for the env's pushed auth (`null`
/// when it has none yet).
pub fn outputs_auth(project: &Project) -> Result<serde_json::Value> {
    let (_, mut outputs) = gen2_outputs(project, Files::Pushed)?;
    Ok(outputs.remove("auth").unwrap_or_default())
}

/// The meta with each imported Cognito resource's `frontendAuthConfig`, derived
/// from its parameters.json where the meta lacks it (as the Amplify CLI does).
fn with_frontend_auth_config(project: &Project) -> Result<AmplifyMeta> {
    let mut meta = project.meta.value.clone();
    if let Some(auth) = meta.categories.get_mut("auth") {
        // A resource the env init just re-imported carries its fresh config; the
        // others (an Amplify-made meta without it) get it from parameters.json.
        for (name, resource) in auth
            .iter_mut()
            .filter(|(_, r)| r.is_imported() && r.frontend_auth_config.is_none())
        {
            let params: Option<crate::project::Doc<ImportedParameters>> =
                project.store.read(parameters_path(name))?;
            if let Some(doc) = params {
                resource.frontend_auth_config =
                    Some(crate::auth::state::frontend_auth_config(&doc.value.facts()));
            }
        }
    }
    Ok(meta)
}

/// The pushed managed resource's `frontendAuthConfig` as its overrides make it
/// (MFA mode and methods, password rules), so that every file says the same;
/// what the Gen 1 formats cannot hold (email MFA, passwordless) only reaches
/// amplify_outputs.json.
fn with_overrides(meta: &mut AmplifyMeta, o: &Overrides) {
    use serde_json::{Value, json};
    if o.is_empty() {
        return;
    }
    let Some(fac) = meta
        .categories
        .get_mut("auth")
        .and_then(|c| c.values_mut().find(|r| is_pushed_cognito(r)))
        .and_then(|r| r.frontend_auth_config.as_mut())
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let up = overrides::USER_POOL;
    if let Some(mode) = o.get(up, "MfaConfiguration") {
        fac.insert("mfaConfiguration".into(), mode.clone());
    }
    if let Some(mfas) = o.enabled_mfas() {
        let types: Vec<&str> = mfas
            .iter()
            .filter_map(|m| match m.as_str() {
                "SMS_MFA" => Some("SMS"),
                "SOFTWARE_TOKEN_MFA" => Some("TOTP"),
                _ => None,
            })
            .collect();
        fac.insert("mfaTypes".into(), json!(types));
    }
    let pw = fac
        .entry("passwordProtectionSettings")
        .or_insert_with(|| json!({"passwordPolicyMinLength": 8, "passwordPolicyCharacters": []}));
    if let Some(min) = o.get(up, "Policies.PasswordPolicy.MinimumLength") {
        pw["passwordPolicyMinLength"] = min.clone();
    }
    let mut chars = strings(pw, "passwordPolicyCharacters");
    for (path, name) in [
        (
            "Policies.PasswordPolicy.RequireLowercase",
            "REQUIRES_LOWERCASE",
        ),
        (
            "Policies.PasswordPolicy.RequireUppercase",
            "REQUIRES_UPPERCASE",
        ),
        ("Policies.PasswordPolicy.RequireNumbers", "REQUIRES_NUMBERS"),
        ("Policies.PasswordPolicy.RequireSymbols", "REQUIRES_SYMBOLS"),
    ] {
        match o.get(up, path).and_then(Value::as_bool) {
            Some(true) if !chars.iter().any(|c| c == name) => chars.push(name.to_string()),
            Some(false) => chars.retain(|c| c != name),
            _ => {}
        }
    }
    pw["passwordPolicyCharacters"] = json!(chars);
}

fn frontend_files(
    project: &Project,
    meta: &AmplifyMeta,
    dir: &std::path::Path,
) -> Result<Vec<Generated>> {
    let mobile = |dir: PathBuf, platform: mobile::Platform| {
        vec![
            Generated {
                path: dir.join("awsconfiguration.json"),
                bytes: mobile::json4(&mobile::aws_configuration(meta, platform)).into_bytes(),
            },
            Generated {
                path: dir.join("amplifyconfiguration.json"),
                bytes: mobile::json4(&mobile::amplify_configuration(meta, platform)).into_bytes(),
            },
        ]
    };
    match project.frontend() {
        Frontend::Javascript => {
            let exports_path = dir.join("aws-exports.js");
            let mut config = javascript_config(meta);
            if let Some(existing) = project.store.read_text(&exports_path)? {
                let current = parse_aws_exports(&existing).ok_or_else(|| {
                    Error::refused(
                        format!("Unable to parse {}. Has this file been modified?", exports_path.display()),
                        "Keep the generated `const awsmobile = {...};` shape (move custom code to another file), or delete the file and run `authwiz push`, which generates it anew.",
                    )
                })?;
                merge_custom_keys(&mut config, &current);
            }
            let json = serde_json::to_string_pretty(&serde_json::Value::Object(config.clone()))
                .expect("a JSON object serializes");
            Ok(vec![
                Generated {
                    path: exports_path,
                    bytes: aws_exports_js(&config).into_bytes(),
                },
                Generated {
                    path: dir.join("amplifyconfiguration.json"),
                    bytes: json.into_bytes(),
                },
            ])
        }
        Frontend::Ios => Ok(mobile(PathBuf::from("."), mobile::Platform::Ios)),
        Frontend::Android => Ok(mobile(dir.join("raw"), mobile::Platform::Android)),
        Frontend::Flutter => Ok(vec![Generated {
            path: dir.join("amplifyconfiguration.dart"),
            bytes: mobile::dart(&mobile::amplify_configuration(
                meta,
                mobile::Platform::Flutter,
            ))
            .into_bytes(),
        }]),
    }
}

/// How a client file on disk compares with what the project renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileState {
    Missing,
    OutOfDate,
    /// aws-exports.js that is not in the generated shape (nothing can be rendered).
    Unparsable,
}

impl FileState {
    pub fn label(self) -> &'static str {
        match self {
            FileState::Missing => "missing",
            FileState::OutOfDate => "out of date",
            FileState::Unparsable => "unparsable",
        }
    }
}

/// The rendered client files whose bytes on disk differ (or that are missing): what
/// a `push` with nothing else to do writes. An unparsable aws-exports.js is an error
/// naming the fix.
pub fn differing(project: &Project) -> Result<Vec<(Generated, FileState)>> {
    let mut out = Vec::new();
    for file in render(project)? {
        match std::fs::read(project.store.path(&file.path)) {
            Ok(bytes) if bytes == file.bytes => {}
            Ok(_) => out.push((file, FileState::OutOfDate)),
            Err(_) => out.push((file, FileState::Missing)),
        }
    }
    Ok(out)
}

/// The client files that are missing, out of date or unparsable, compared with
/// what `push` would write now. Local reads only.
pub fn out_of_date(project: &Project) -> Result<Vec<(PathBuf, FileState)>> {
    if project.frontend() == Frontend::Javascript {
        let exports = project.source_dir().join("aws-exports.js");
        if let Some(text) = project.store.read_text(&exports)?
            && parse_aws_exports(&text).is_none()
        {
            return Ok(vec![(exports, FileState::Unparsable)]);
        }
    }
    Ok(differing(project)?
        .into_iter()
        .map(|(f, state)| (f.path, state))
        .collect())
}

/// Stages rendered files in the command's transaction.
pub fn write(project: &Project, files: &[Generated]) -> Result<()> {
    for f in files {
        project.store.write_bytes(&f.path, &f.bytes)?;
    }
    Ok(())
}
