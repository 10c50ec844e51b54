//! The env's auth as the client files see it: the pushed Cognito resource, its
//! `frontendAuthConfig` (derived from parameters.json for imported auth, with a
//! managed resource's overrides applied), and what only amplify_outputs.json says
//! (guests, groups, the overrides). Read here once for every client file and the
//! Gen 2 export.

use crate::vocab::PasswordRule;
use serde_json::{Value, json};

use super::AuthError;
use super::managed::load::{GROUPS, ManagedAuth};
use super::managed::overrides::{self, Overrides};
use super::model::ImportedParameters;
use super::state::parameters_path;
use crate::project::{AmplifyMeta, Project, Resource};

/// The strings of an array member (`[]` when absent).
pub fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The Cognito resource the client uses: the first pushed one with outputs.
pub fn pushed_cognito(meta: &AmplifyMeta) -> Option<&Resource> {
    meta.categories
        .get(super::CATEGORY)?
        .values()
        .find(|r| is_pushed_cognito(r))
}

/// A Cognito resource that has outputs and was pushed (what the client may use).
fn is_pushed_cognito(r: &Resource) -> bool {
    r.is_cognito() && r.output.is_some() && r.last_push_time_stamp.is_some()
}

/// What amplify_outputs.json says beyond the meta: whether guests may sign in,
/// the user pool groups, and the managed resource's overrides.
#[derive(Debug, Default)]
pub struct AuthExtras {
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

/// The meta the client files are made from, and what amplify_outputs.json says
/// beyond it.
pub fn client_meta(project: &Project, from: Files) -> Result<(AmplifyMeta, AuthExtras), AuthError> {
    let extras = auth_extras(project, from)?;
    let mut meta = with_frontend_auth_config(project)?;
    with_overrides(&mut meta, &extras.overrides);
    Ok((meta, extras))
}

fn auth_extras(project: &Project, from: Files) -> Result<AuthExtras, AuthError> {
    let Some((name, res)) = project
        .meta
        .value
        .categories
        .get(super::CATEGORY)
        .and_then(|c| c.iter().find(|(_, r)| is_pushed_cognito(r)))
    else {
        return Ok(AuthExtras::default());
    };
    let env = project.local_env.as_ref().map(|d| d.value.env_name.clone());
    let from_env = env
        .and_then(|e| project.env_params(&e, super::CATEGORY, name))
        .and_then(|p| p.get("allowUnauthenticatedIdentities"))
        .and_then(Value::as_bool);
    // Managed auth: its files, read as push reads them.
    let store = &project.store;
    let managed = match (res.is_imported(), from) {
        (true, _) => None,
        (false, Files::Pushing) => ManagedAuth::load(store, crate::project::BACKEND_DIR, name)?,
        (false, Files::Pushed) => ManagedAuth::load_pushed(store, &project.pushed_dir, name)?,
    };
    let groups_pushed = project
        .meta
        .value
        .categories
        .get(super::CATEGORY)
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

/// The meta with each imported Cognito resource's `frontendAuthConfig`, derived
/// from its parameters.json where the meta lacks it (as the Amplify CLI does).
fn with_frontend_auth_config(project: &Project) -> Result<AmplifyMeta, AuthError> {
    let mut meta = project.meta.value.clone();
    if let Some(auth) = meta.categories.get_mut(super::CATEGORY) {
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
                    Some(super::state::frontend_auth_config(&doc.value.facts()));
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
    if o.is_empty() {
        return;
    }
    let Some(fac) = meta
        .categories
        .get_mut(super::CATEGORY)
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
    for (path, name) in PasswordRule::ALL.map(|r| (r.path(), r.client())) {
        match o.get(up, path).and_then(Value::as_bool) {
            Some(true) if !chars.iter().any(|c| c == name) => chars.push(name.to_string()),
            Some(false) => chars.retain(|c| c != name),
            _ => {}
        }
    }
    pw["passwordPolicyCharacters"] = json!(chars);
}
