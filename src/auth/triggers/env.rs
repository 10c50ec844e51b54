//! An auth resource's triggers as one env deploys them: each function's
//! modules (cli-inputs.json), its values for the env (team-provider-info.json,
//! secrets from the deployment secrets), its package (a zip of its `src/`),
//! and the existing functions attached for the env (`authwiz-triggers.json`
//! beside cli-inputs.json: Amplify has no such setting).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::package::{MAX_ZIP, code_sha256, zip};
use super::{
    FUNCTION, SECRET_PARAMS, Trigger, TriggerFacts, TriggerSource, check_param, function_name,
};
use crate::auth::CATEGORY;
use crate::project::{Doc, Layout, Project, secrets};

/// The file of attached functions: `{ "<env>": { "<Trigger>": "<ARN>" } }`.
pub const ATTACHED: &str = "authwiz-triggers.json";

/// What an env deploys for the triggers, and each function's package by its
/// name in the cloud.
#[derive(Debug, Default)]
pub struct EnvTriggers {
    pub facts: Vec<TriggerFacts>,
    pub code: BTreeMap<String, Vec<u8>>,
}

/// The attached functions of `res` for `env`, from the backend folder `dir`.
pub fn attached(
    project: &Project,
    dir: &str,
    (env, res): (&str, &str),
) -> Result<BTreeMap<Trigger, String>, String> {
    let rel = format!("{dir}/{CATEGORY}/{res}/{ATTACHED}");
    let doc = project
        .store
        .read::<BTreeMap<String, BTreeMap<Trigger, String>>>(&rel)
        .map_err(|e| e.to_string())?;
    Ok(doc
        .and_then(|d| d.value.get(env).cloned())
        .unwrap_or_default())
}

/// Stages the attached functions of `res` for `env` (the file goes when none is left).
pub fn save_attached(
    project: &Project,
    (env, res): (&str, &str),
    functions: &BTreeMap<Trigger, String>,
) -> Result<(), crate::project::StoreError> {
    let rel = format!(
        "{}/{CATEGORY}/{res}/{ATTACHED}",
        crate::project::BACKEND_DIR
    );
    let mut all: BTreeMap<String, BTreeMap<Trigger, String>> = project
        .store
        .read(&rel)?
        .map(|d| d.value)
        .unwrap_or_default();
    if functions.is_empty() {
        all.remove(env);
    } else {
        all.insert(env.to_string(), functions.clone());
    }
    if all.is_empty() {
        project.store.remove_file(&rel)
    } else {
        project.store.write(&Doc::new(rel, all), Layout::Ordered)
    }
}

/// The triggers of `res` (`modules`, from its cli-inputs.json under the
/// backend folder `dir`) for `env`. `strict`: a deployment to make, whose
/// values and code must all be there (else only the names matter).
pub fn for_env(
    project: &Project,
    home: Option<&Path>,
    dir: &str,
    (env, res): (&str, &str),
    (modules, strict): (&BTreeMap<Trigger, Vec<String>>, bool),
) -> Result<EnvTriggers, String> {
    let mut out = EnvTriggers::default();
    for (t, mods) in modules {
        let name = function_name(res, *t);
        let mut params: BTreeMap<String, String> = project
            .env_params(env, FUNCTION, &name)
            .map(strings)
            .unwrap_or_default();
        let used: Vec<&str> = mods
            .iter()
            .filter_map(|m| super::catalog::module(m))
            .flat_map(|m| m.params.iter().map(|p| p.key))
            .collect();
        for key in used.iter().filter(|k| SECRET_PARAMS.contains(k)) {
            let secret = match home {
                Some(home) => secrets::read_value(home, project, (env, FUNCTION, &name), key)
                    .map_err(|e| e.to_string())?,
                None => None,
            };
            if let Some(v) = secret {
                params.insert(key.to_string(), v);
            }
        }
        params.retain(|k, _| used.contains(&k.as_str()));
        let src = format!("{dir}/{FUNCTION}/{name}/src");
        let files = project.store.files_under(&src).map_err(|e| e.to_string())?;
        let mut code_sha = String::new();
        if strict {
            for key in &used {
                let v = params.get(*key).map(String::as_str).unwrap_or("");
                check_param(key, v).map_err(|e| {
                    format!(
                        "the {} trigger's {key} for env '{env}' ({}): {e}. Set it with `authwiz update auth`, or in team-provider-info.json under categories.function.{name}.",
                        t.label(),
                        if SECRET_PARAMS.contains(key) { "~/.aws/amplify/deployment-secrets.json" } else { "team-provider-info.json" }
                    )
                })?;
            }
            if !files.iter().any(|(f, _)| f == "index.js") {
                return Err(format!(
                    "{src}/index.js is missing: the {} trigger's function has no handler. Restore it from version control, or run `authwiz update auth` to write the function again.",
                    t.label()
                ));
            }
            let package = zip(&files);
            if package.len() > MAX_ZIP {
                return Err(format!(
                    "{src} makes a package of {} MB; Lambda takes at most 50 MB directly.",
                    package.len() / (1024 * 1024)
                ));
            }
            code_sha = code_sha256(&package);
            out.code.insert(format!("{name}-{env}"), package);
        }
        out.facts.push(TriggerFacts {
            trigger: *t,
            source: TriggerSource::Function {
                name,
                modules: mods.clone(),
                params,
                code_sha256: code_sha,
            },
        });
    }
    for (t, arn) in attached(project, dir, (env, res))? {
        out.facts.push(TriggerFacts {
            trigger: t,
            source: TriggerSource::Attached { arn },
        });
    }
    Ok(out)
}

fn strings(m: &Map<String, Value>) -> BTreeMap<String, String> {
    m.iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// The resource's triggers as the project records them for `env` (what an
/// update starts from): modules from cli-inputs.json, the values of the env
/// (secrets from the deployment secrets), the attached functions.
pub fn current(
    project: &Project,
    home: Option<&Path>,
    (env, res): (&str, &str),
    modules: &BTreeMap<Trigger, Vec<String>>,
) -> Result<super::Selection, String> {
    let dir = crate::project::BACKEND_DIR;
    let deployed = for_env(project, home, dir, (env, res), (modules, false))?;
    let mut s = super::Selection {
        modules: modules.clone(),
        ..Default::default()
    };
    for f in deployed.facts {
        match f.source {
            TriggerSource::Function { params, .. } => s.params.extend(params),
            TriggerSource::Attached { arn } => {
                s.functions.insert(f.trigger, arn);
            }
        }
    }
    Ok(s)
}

/// A new env starts with the source env's values of the functions and its
/// attached functions (`env add`; each can be changed with `update auth`).
pub fn copy_to_env(project: &mut Project, from: &str, to: &str) -> Result<(), String> {
    let functions: Vec<(String, Map<String, Value>)> = project
        .tpi
        .value
        .get(from)
        .and_then(|r| r.categories.as_ref())
        .and_then(|c| c.get(FUNCTION))
        .map(|f| f.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    for (name, params) in functions {
        project.set_env_params(to, FUNCTION, &name, Some(params));
    }
    let dir = crate::project::BACKEND_DIR;
    let auth: Vec<String> = project
        .backend_config
        .value
        .categories
        .get(CATEGORY)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default();
    for res in auth {
        let functions = attached(project, dir, (from, &res))?;
        if !functions.is_empty() {
            save_attached(project, (to, &res), &functions).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
