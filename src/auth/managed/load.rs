//! A managed auth resource as its files say, read in one place with one error
//! policy: cli-inputs.json (typed: a value outside the vocabulary is refused
//! where it is read), override.json (checked into its paths), and the user
//! pool groups' precedence file. Push, the client files and export use it.

use serde_json::Value;

use super::overrides::{self, Overrides};
use crate::auth::CATEGORY;
use crate::auth::model::{CliInputs, CognitoConfig};
use crate::project::{Store, StoreError};

/// The name Amplify gives the groups resource.
pub const GROUPS: &str = "userPoolGroups";
/// Its file: groups in precedence order.
pub const PRECEDENCE_FILE: &str = "user-pool-group-precedence.json";

/// A user pool group as the precedence file records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub precedence: Option<i32>,
}

/// One managed auth resource, from the files under one backend folder
/// (`amplify/backend`, or a pushed copy of it).
#[derive(Clone, Debug)]
pub struct ManagedAuth {
    pub inputs: CliInputs,
    pub overrides: Overrides,
    pub groups: Vec<Group>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{rel} cannot be applied:\n  - {}\nCorrect the file (docs/overrides.md lists every property and rule), check it with `authwiz override auth --check`, then run the command again.",
        problems.join("\n  - ")
    )]
    Overrides { rel: String, problems: Vec<String> },
}

impl ManagedAuth {
    /// The resource `res` under `dir` (a backend folder); `None` when it has no
    /// cli-inputs.json there.
    pub fn load(store: &Store, dir: &str, res: &str) -> Result<Option<ManagedAuth>, LoadError> {
        Self::read(store, dir, res, true)
    }

    /// As the last push left it (`dir`: its copy of the backend folder). An
    /// override.json that no longer checks (a newer rule) is read as empty:
    /// it only names what was made, and the project's own copy is checked.
    pub fn load_pushed(
        store: &Store,
        dir: &str,
        res: &str,
    ) -> Result<Option<ManagedAuth>, LoadError> {
        Self::read(store, dir, res, false)
    }

    fn read(
        store: &Store,
        dir: &str,
        res: &str,
        strict: bool,
    ) -> Result<Option<ManagedAuth>, LoadError> {
        let base = format!("{dir}/{CATEGORY}/{res}");
        let Some(inputs) = store.read::<CliInputs>(&format!("{base}/cli-inputs.json"))? else {
            return Ok(None);
        };
        let overrides = match load_overrides(store, &base, &inputs.value.cognito_config) {
            Err(LoadError::Overrides { .. }) if !strict => Overrides::default(),
            other => other?,
        };
        Ok(Some(ManagedAuth {
            groups: groups(store, dir)?,
            overrides,
            inputs: inputs.value,
        }))
    }

    pub fn config(&self) -> &CognitoConfig {
        &self.inputs.cognito_config
    }

    pub fn group_names(&self) -> Vec<String> {
        self.groups.iter().map(|g| g.name.clone()).collect()
    }
}

/// The resource's override.json (under `base`), checked; empty when there is none.
fn load_overrides(
    store: &Store,
    base: &str,
    config: &CognitoConfig,
) -> Result<Overrides, LoadError> {
    let rel = format!("{base}/{}", overrides::FILE);
    let Some(doc) = store.read::<Value>(&rel)? else {
        return Ok(Overrides::default());
    };
    overrides::check(&doc.value, config).map_err(|problems| LoadError::Overrides { rel, problems })
}

/// The groups' precedence file under `dir` (a backend folder); none when absent.
fn groups(store: &Store, dir: &str) -> Result<Vec<Group>, StoreError> {
    let rel = format!("{dir}/{CATEGORY}/{GROUPS}/{PRECEDENCE_FILE}");
    let Some(doc) = store.read::<Vec<Value>>(&rel)? else {
        return Ok(Vec::new());
    };
    Ok(doc
        .value
        .iter()
        .filter_map(|g| {
            Some(Group {
                name: g["groupName"].as_str()?.to_string(),
                precedence: g["precedence"].as_i64().and_then(|p| i32::try_from(p).ok()),
            })
        })
        .collect())
}
