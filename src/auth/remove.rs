//! Removing (unlinking) an auth resource from the project. Local only: the
//! Cognito resources themselves are never touched.

use serde_json::Value;

use super::error::AuthError;
use crate::project::Project;

use super::model::CATEGORY;
pub use super::state::resource_dir;

/// The auth resources of the project, in meta order.
pub fn auth_resources(project: &Project) -> Vec<String> {
    project
        .meta
        .value
        .categories
        .get(CATEGORY)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

/// Checks that `name` can be removed: it exists, analytics does not need auth, and
/// no resource depends on it. Returns warnings that do not block.
pub fn check(project: &Project, name: &str) -> Result<Vec<String>, AuthError> {
    let meta = &project.meta.value;
    if meta.resource(CATEGORY, name).is_none() {
        return Err(AuthError::NotAdded {
            name: name.to_string(),
            resources: list_or_none(&auth_resources(project)),
        });
    }
    if meta
        .categories
        .get("analytics")
        .is_some_and(|c| !c.is_empty())
    {
        return Err(AuthError::AnalyticsDepends);
    }
    for (cat, res_name, res) in project
        .backend_config
        .value
        .categories
        .iter()
        .flat_map(|(c, rs)| rs.iter().map(move |(n, r)| (c, n, r)))
    {
        let depends = res.depends_on.iter().flatten().any(|d| {
            d.get("category").and_then(Value::as_str) == Some(CATEGORY)
                && d.get("resourceName").and_then(Value::as_str) == Some(name)
        });
        if depends && !(cat == CATEGORY && res_name == name) {
            return Err(AuthError::Dependency {
                service: res.service.clone().unwrap_or_else(|| cat.clone()),
                category: cat.clone(),
                resource: res_name.clone(),
                name: name.to_string(),
            });
        }
    }
    let mut warnings = Vec::new();
    if ["api", "storage", "function"]
        .iter()
        .any(|c| meta.categories.get(*c).is_some_and(|r| !r.is_empty()))
    {
        warnings.push(
            "You have configured resources that might depend on this Cognito resource.  Updating this Cognito resource could have unintended side effects.".to_string(),
        );
    }
    Ok(warnings)
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// Removes the resource from meta and backend-config (leaving `"auth": {}`, as
/// Amplify does), drops the current env's parameters; the caller deletes the folder.
pub fn unlink(project: &mut Project, env: &str, name: &str) {
    if let Some(c) = project.meta.value.categories.get_mut(CATEGORY) {
        c.shift_remove(name);
    }
    if let Some(c) = project.backend_config.value.categories.get_mut(CATEGORY) {
        c.shift_remove(name);
    }
    project.set_env_params(env, CATEGORY, name, None);
}
