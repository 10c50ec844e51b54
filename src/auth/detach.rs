//! Detaching a managed auth resource, once another app uses its pool (a Gen 2
//! app's `referenceAuth`): the env's pool, clients and identity pool become an
//! imported resource of the same name, in Amplify's imported layout, both in the
//! project and in its record of the last push. The Gen 1 project then links
//! the resources and no longer manages them: a later `remove auth` + `push`
//! unlinks them and can never delete the pool. Nothing in the cloud changes.

use serde_json::Value;

use super::ids::{ClientId, GivenIds, IdentityPoolId, UserPoolId};
use super::managed::load::GROUPS;
use super::managed::overrides;
use super::model::Imported;
use super::state::{parameters_path, resource_dir};
use super::{AuthError, CATEGORY};
use crate::project::{
    BACKEND_DIR, CURRENT_BACKEND_CONFIG, CURRENT_CLOUD_BACKEND, CURRENT_META, Doc, Layout, Project,
    StoreError,
};

/// The ids the last push recorded for managed resource `res`, as an import
/// would be given them; `None` when it was not pushed.
pub fn pushed_ids(project: &Project, res: &str) -> Result<Option<GivenIds>, AuthError> {
    let Some(output) = project
        .meta
        .value
        .resource(CATEGORY, res)
        .and_then(|r| r.output.as_ref())
    else {
        return Ok(None);
    };
    let text = |k: &str| output.get(k).and_then(Value::as_str);
    let (Some(pool), Some(web), Some(native)) = (
        text("UserPoolId"),
        text("AppClientIDWeb"),
        text("AppClientID"),
    ) else {
        return Ok(None);
    };
    let bad = |what: &str, reason: String| AuthError::BadId {
        reason,
        given_by: format!("amplify-meta.json's {what}"),
    };
    Ok(Some(GivenIds {
        user_pool: Some(UserPoolId::parse(pool).map_err(|e| bad("UserPoolId", e))?),
        web_client: Some(ClientId::parse(web).map_err(|e| bad("AppClientIDWeb", e))?),
        native_client: Some(ClientId::parse(native).map_err(|e| bad("AppClientID", e))?),
        identity_pool: text("IdentityPoolId")
            .map(IdentityPoolId::parse)
            .transpose()
            .map_err(|e| bad("IdentityPoolId", e))?,
    }))
}

/// Stages the detach (the command commits): `imported` (the same ids, resolved
/// as `import auth` resolves them) replaces the managed resource in the
/// project files and in `#current-cloud-backend/`; the managed-only files
/// (cli-inputs.json, override.json) and the groups resource go, the groups
/// themselves staying in the pool.
pub fn stage(project: &mut Project, env: &str, imported: &Imported) -> Result<(), StoreError> {
    let res = imported.resource_name.clone();
    let pushed_at = project
        .meta
        .value
        .resource(CATEGORY, &res)
        .and_then(|r| r.last_push_time_stamp.clone());
    imported.apply(project, env);
    for categories in [
        &mut project.meta.value.categories,
        &mut project.backend_config.value.categories,
    ] {
        if let Some(auth) = categories.get_mut(CATEGORY) {
            auth.shift_remove(GROUPS);
        }
    }
    if let Some(r) = project
        .meta
        .value
        .categories
        .get_mut(CATEGORY)
        .and_then(|c| c.get_mut(&res))
    {
        r.last_push_time_stamp = pushed_at;
    }
    let params = imported.parameters_doc(&project.store);
    let pushed_params = parameters_path(&res).replacen(BACKEND_DIR, CURRENT_CLOUD_BACKEND, 1);
    for base in [BACKEND_DIR, CURRENT_CLOUD_BACKEND] {
        let dir = resource_dir(&res).replacen(BACKEND_DIR, base, 1);
        project
            .store
            .remove_file(format!("{dir}/cli-inputs.json"))?;
        project
            .store
            .remove_file(format!("{dir}/{}", overrides::FILE))?;
        project
            .store
            .remove_dir(format!("{base}/{CATEGORY}/{GROUPS}"))?;
    }
    project.store.write(&params, Layout::Ordered)?;
    project.store.write(
        &Doc::new(pushed_params, params.value.clone()),
        Layout::Ordered,
    )?;
    project.current_meta = Some(Doc::new(CURRENT_META, project.meta.value.clone()));
    project.current_backend_config = Some(Doc::new(
        CURRENT_BACKEND_CONFIG,
        project.backend_config.value.clone(),
    ));
    project.save_meta()?;
    project.save_backend_config()?;
    project.save_tpi()?;
    project.save_current()
}
