//! Env-specific parameters, one bookkeeping for every category: each env's
//! `categories.<category>.<resource>` in team-provider-info.json, and the
//! `AMPLIFY_<category>_<resource>_<param>` entries of backend-config.json's
//! `parameters` map that the Amplify CLI keeps in step with the checked-out env.

use serde_json::{Map, Value, json};

use super::{EnvParams, Project};

/// The categories whose env parameters authwiz writes (and so keeps in step).
const MANAGED: &[&str] = &["auth", "function", "storage"];

impl Project {
    /// Sets (or with `None` removes) a resource's parameters for `env`, dropping
    /// empty maps as Amplify does.
    pub fn set_env_params(
        &mut self,
        env: &str,
        category: &str,
        resource: &str,
        params: Option<EnvParams>,
    ) {
        let record = self.tpi.value.entry(env.to_string()).or_default();
        let categories = record.categories.get_or_insert_with(Default::default);
        match params {
            Some(p) => {
                categories
                    .entry(category.into())
                    .or_default()
                    .insert(resource.into(), p);
            }
            None => {
                if let Some(c) = categories.get_mut(category) {
                    c.shift_remove(resource);
                    if c.is_empty() {
                        categories.shift_remove(category);
                    }
                }
            }
        }
        if categories.is_empty() {
            record.categories = None;
        }
        self.sync_parameter_map(env);
    }

    /// Removes a resource's parameters from every env.
    pub fn remove_env_params_everywhere(&mut self, category: &str, resource: &str, current: &str) {
        let envs: Vec<String> = self.tpi.value.keys().cloned().collect();
        for env in envs {
            self.set_env_params(&env, category, resource, None);
        }
        self.sync_parameter_map(current);
    }

    /// backend-config.json `parameters`: one entry per env parameter of `env`
    /// (what the Amplify CLI uses to fetch them from SSM).
    fn sync_parameter_map(&mut self, env: &str) {
        let mut map = match self.backend_config.value.parameters.take() {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        map.retain(|k, _| {
            !MANAGED
                .iter()
                .any(|c| k.starts_with(&format!("AMPLIFY_{c}_")))
        });
        let categories = self.tpi.value.get(env).and_then(|r| r.categories.as_ref());
        for category in MANAGED {
            let Some(resources) = categories.and_then(|c| c.get(*category)) else {
                continue;
            };
            for (res, params) in resources {
                for key in params.keys() {
                    map.insert(
                        format!("AMPLIFY_{category}_{res}_{key}"),
                        json!({"usedBy": [{"category": category, "resourceName": res}]}),
                    );
                }
            }
        }
        self.backend_config.value.parameters = (!map.is_empty()).then_some(Value::Object(map));
    }
}
