//! `~/.aws/amplify/deployment-secrets.json` (0600), where the Amplify CLI keeps
//! social providers' secrets out of the project:
//! `appSecrets[rootStackId].environments.<env>.auth.<res>.hostedUIProviderCreds`.

use std::path::Path;

use serde_json::{Value, json};

use super::{Doc, Project, Store, StoreError};

const FILE: &str = "deployment-secrets.json";

fn store(home: &Path) -> Store {
    Store::new(home.join(".aws/amplify"))
}

/// The env's root stack id (Amplify's key for the project's secrets), or a
/// stand-in named after the project when the env was made by authwiz.
fn root_stack_id(project: &Project, env: &str) -> String {
    project
        .tpi
        .value
        .get(env)
        .and_then(|r| r.awscloudformation.extra.get("StackId"))
        .and_then(Value::as_str)
        .and_then(|id| id.rsplit('/').next())
        .map(str::to_string)
        .unwrap_or_else(|| format!("authwiz-{}", project.config.value.project_name))
}

/// Stages the resource's `hostedUIProviderCreds` for the env in the project's
/// transaction (the file is replaced when the command commits).
pub fn save(
    home: &Path,
    project: &Project,
    env: &str,
    res: &str,
    creds: &str,
) -> Result<(), StoreError> {
    save_values(
        home,
        project,
        (env, "auth", res),
        [("hostedUIProviderCreds".to_string(), json!(creds))]
            .into_iter()
            .collect(),
    )
}

/// Stages a resource's secret values for the env (`category`'s `res`),
/// replacing the ones it had.
pub fn save_values(
    home: &Path,
    project: &Project,
    (env, category, res): (&str, &str, &str),
    values: serde_json::Map<String, Value>,
) -> Result<(), StoreError> {
    let store = store(home);
    let mut doc: Doc<Value> = store
        .read(FILE)?
        .unwrap_or_else(|| Doc::new(FILE, json!({"appSecrets": []})));
    let stack = root_stack_id(project, env);
    let secrets = &mut doc.value;
    if !secrets.get("appSecrets").is_some_and(Value::is_array) {
        secrets["appSecrets"] = json!([]);
    }
    let Some(list) = secrets["appSecrets"].as_array_mut() else {
        return Ok(());
    };
    let i = match list.iter().position(|a| a["rootStackId"] == stack.as_str()) {
        Some(i) => i,
        None => {
            list.push(json!({"rootStackId": stack, "environments": {}}));
            list.len() - 1
        }
    };
    list[i]["environments"][env][category][res] = Value::Object(values);
    project.store.write_secrets(&doc)
}

/// A resource's secret value for the env, if recorded.
pub fn read_value(
    home: &Path,
    project: &Project,
    (env, category, res): (&str, &str, &str),
    key: &str,
) -> Result<Option<String>, StoreError> {
    let Some(doc) = store(home).read::<Value>(FILE)? else {
        return Ok(None);
    };
    let stack = root_stack_id(project, env);
    Ok(doc.value["appSecrets"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["rootStackId"] == stack.as_str())
        .and_then(|a| a["environments"][env][category][res][key].as_str())
        .map(str::to_string))
}

/// The resource's `hostedUIProviderCreds` for the env, if recorded.
pub fn read(
    home: &Path,
    project: &Project,
    env: &str,
    res: &str,
) -> Result<Option<String>, StoreError> {
    read_value(home, project, (env, "auth", res), "hostedUIProviderCreds")
}
