//! The local backend directory (`amplify/`): paths, the typed files, and the
//! operations on them that every command shares (open, save, switch env).

pub mod init;
mod model;
pub mod names;
mod params;
pub mod secrets;
mod store;
mod txn;

pub use model::*;
pub use names::NameError;
pub use store::{
    Doc, Layout, ProjectLock, Store, StoreError, merge_ordered, place_outside, sort_keys,
};
pub use txn::{Recovery, TXN_DIR, TXN_LOG, holds_secret};

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use names::Names;

/// What can stop a command at the project level, each with the way out.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Name(#[from] NameError),
    #[error(
        "No Amplify project found in {0} (there is no amplify/ folder).\nRun `authwiz init` to create one, or pass --project-dir with the folder that holds amplify/."
    )]
    NoProject(String),
    #[error(
        "{PROJECT_CONFIG} is missing.\nRestore it from version control, or run `authwiz init` in a new folder."
    )]
    NoProjectConfig,
    #[error(
        "No environment is checked out on this machine ({LOCAL_ENV_INFO} is missing).\nRun `authwiz env checkout <name>` with one of: {envs}."
    )]
    NoEnvCheckedOut { envs: String },
    #[error(
        "Environment name is invalid.\nRun `authwiz env list` to get a list of valid environments."
    )]
    UnknownEnv,
}

type Result<T, E = ProjectError> = std::result::Result<T, E>;

pub const AMPLIFY_DIR: &str = "amplify";
pub const PROJECT_CONFIG: &str = "amplify/.config/project-config.json";
pub const LOCAL_ENV_INFO: &str = "amplify/.config/local-env-info.json";
pub const LOCAL_AWS_INFO: &str = "amplify/.config/local-aws-info.json";
pub const TEAM_PROVIDER_INFO: &str = "amplify/team-provider-info.json";
pub const BACKEND_DIR: &str = "amplify/backend";
pub const BACKEND_CONFIG: &str = "amplify/backend/backend-config.json";
pub const AMPLIFY_META: &str = "amplify/backend/amplify-meta.json";
pub const CURRENT_CLOUD_BACKEND: &str = "amplify/#current-cloud-backend";
pub const CURRENT_META: &str = "amplify/#current-cloud-backend/amplify-meta.json";
pub const CURRENT_BACKEND_CONFIG: &str = "amplify/#current-cloud-backend/backend-config.json";
/// Matches Amplify's `amplify/.config/local-*` ignore rule, so it is never committed.
pub const LOCK_FILE: &str = "amplify/.config/local-authwiz.lock";
/// Each non-current env's `#current-cloud-backend`, kept while another env is checked out.
pub const ENV_SNAPSHOTS: &str = "amplify/.config/local-authwiz-envs";

/// An environment name as Amplify accepts it: 2-10 lowercase letters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnvName(String);

impl EnvName {
    pub const RULE: &'static str =
        "Environment name must be between 2 and 10 characters, and lowercase only.";

    pub fn parse(name: &str) -> std::result::Result<EnvName, String> {
        let ok = (2..=10).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_lowercase());
        if ok {
            Ok(EnvName(name.to_string()))
        } else {
            Err(Self::RULE.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EnvName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything in `amplify/` that commands read, loaded once per command.
pub struct Project {
    pub store: Store,
    pub config: Doc<ProjectConfig>,
    pub local_env: Option<Doc<LocalEnvInfo>>,
    pub aws_info: Doc<LocalAwsInfo>,
    pub tpi: Doc<TeamProviderInfo>,
    pub backend_config: Doc<BackendConfig>,
    pub meta: Doc<AmplifyMeta>,
    pub current_meta: Option<Doc<AmplifyMeta>>,
    pub current_backend_config: Option<Doc<BackendConfig>>,
    /// Where the loaded env's last pushed state is: `#current-cloud-backend/`,
    /// or where another env's is parked (see [`Project::load_snapshot`]).
    pub pushed_dir: String,
}

impl Project {
    /// Reads every project file; any malformed file stops the command before it writes.
    pub fn open(store: Store) -> Result<Project> {
        if !store.exists(AMPLIFY_DIR) {
            return Err(ProjectError::NoProject(store.root().display().to_string()));
        }
        let config = read_checked(&store, PROJECT_CONFIG)?.ok_or(ProjectError::NoProjectConfig)?;
        Ok(Project {
            config,
            local_env: read_checked(&store, LOCAL_ENV_INFO)?,
            aws_info: read_checked(&store, LOCAL_AWS_INFO)?
                .unwrap_or_else(|| Doc::new(LOCAL_AWS_INFO, LocalAwsInfo::default())),
            tpi: read_checked(&store, TEAM_PROVIDER_INFO)?
                .unwrap_or_else(|| Doc::new(TEAM_PROVIDER_INFO, TeamProviderInfo::default())),
            backend_config: read_checked(&store, BACKEND_CONFIG)?
                .unwrap_or_else(|| Doc::new(BACKEND_CONFIG, BackendConfig::default())),
            meta: read_checked(&store, AMPLIFY_META)?
                .unwrap_or_else(|| Doc::new(AMPLIFY_META, AmplifyMeta::default())),
            current_meta: read_checked(&store, CURRENT_META)?,
            pushed_dir: CURRENT_CLOUD_BACKEND.to_string(),
            current_backend_config: read_checked(&store, CURRENT_BACKEND_CONFIG)?,
            store,
        })
    }

    /// Envs of the project: those in team-provider-info.json, then any known only
    /// to this machine's local-aws-info.json.
    pub fn env_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.tpi.value.keys().cloned().collect();
        for name in self.aws_info.value.keys() {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        names
    }

    pub fn current_env(&self) -> Result<&str> {
        match &self.local_env {
            Some(doc) => Ok(&doc.value.env_name),
            None => Err(ProjectError::NoEnvCheckedOut {
                envs: self.env_names().join(", "),
            }),
        }
    }

    /// An env that exists in this project, or Amplify's "Environment name is invalid.".
    pub fn known_env(&self, name: &str) -> Result<()> {
        if self.tpi.value.contains_key(name) {
            Ok(())
        } else {
            Err(ProjectError::UnknownEnv)
        }
    }

    /// The env-specific parameters of a resource (team-provider-info.json).
    pub fn env_params(&self, env: &str, category: &str, resource: &str) -> Option<&EnvParams> {
        self.tpi
            .value
            .get(env)?
            .categories
            .as_ref()?
            .get(category)?
            .get(resource)
    }

    pub fn env_region(&self, env: &str) -> Option<&str> {
        self.tpi.value.get(env)?.awscloudformation.region.as_deref()
    }

    pub fn source_dir(&self) -> PathBuf {
        PathBuf::from(self.config.value.source_dir())
    }

    pub fn frontend(&self) -> Frontend {
        Frontend::parse(&self.config.value.frontend)
    }

    /// Writes everything the command staged (the `save_*` calls, folder copies,
    /// moves and removals) as one transaction.
    pub fn commit(&self, command: &str) -> Result<(), StoreError> {
        self.store.commit(command)
    }

    pub fn save_tpi(&self) -> Result<(), StoreError> {
        self.store.write(&self.tpi, Layout::Ordered)
    }

    pub fn save_aws_info(&self) -> Result<(), StoreError> {
        self.store.write(&self.aws_info, Layout::Ordered)
    }

    pub fn save_meta(&self) -> Result<(), StoreError> {
        self.store.write(&self.meta, Layout::Ordered)
    }

    pub fn save_backend_config(&self) -> Result<(), StoreError> {
        self.store.write(&self.backend_config, Layout::Sorted)
    }

    /// `#current-cloud-backend/`'s amplify-meta.json and backend-config.json, as held.
    pub fn save_current(&self) -> Result<(), StoreError> {
        if let Some(current) = &self.current_meta {
            self.store.write(current, Layout::Ordered)?;
        }
        if let Some(backend) = &self.current_backend_config {
            self.store.write(backend, Layout::Sorted)?;
        }
        Ok(())
    }

    pub fn save_local_env(&self) -> Result<(), StoreError> {
        match &self.local_env {
            Some(doc) => self.store.write(doc, Layout::Ordered),
            None => Ok(()),
        }
    }

    /// amplify-meta.json for `env` as Amplify rebuilds it on env init: the env's
    /// provider record plus every resource of backend-config.json. Outputs of the
    /// env's resources come back from the category env-init (see `auth::env`).
    pub fn rebuilt_meta(&self, env: &str) -> AmplifyMeta {
        let mut providers = serde_json::Map::new();
        if let Some(record) = self.tpi.value.get(env) {
            let value = serde_json::to_value(&record.awscloudformation).unwrap_or_default();
            providers.insert("awscloudformation".into(), value);
        }
        let mut categories = self.backend_config.value.categories.clone();
        // Keep the last push time of what this env's snapshot says was pushed.
        for (cat, resources) in categories.iter_mut() {
            for (name, resource) in resources.iter_mut() {
                let pushed = self
                    .current_meta
                    .as_ref()
                    .and_then(|m| m.value.resource(cat, name));
                resource.last_push_time_stamp = pushed.and_then(|r| r.last_push_time_stamp.clone());
                // Managed outputs come from what was pushed; imported ones are
                // rebuilt by the env init (re-validated against the cloud).
                if !resource.is_imported() {
                    resource.output = pushed.and_then(|r| r.output.clone());
                }
            }
        }
        AmplifyMeta {
            providers: Some(providers),
            categories,
        }
    }

    /// Loads `env`'s last pushed state (from `#current-cloud-backend/` when it is
    /// the checked-out env, else from where it is parked). Reads only.
    pub fn load_snapshot(&mut self, env: &str) -> Result<()> {
        // With no env checked out, the folder in place is the target's unless one
        // is parked for it (see `move_snapshots`).
        let checked_out = match &self.local_env {
            Some(d) => d.value.env_name == env,
            None => !self.store.exists(snapshot_dir(env)),
        };
        let dir = if checked_out {
            CURRENT_CLOUD_BACKEND.to_string()
        } else {
            snapshot_dir(env)
        };
        self.current_meta = read_checked(&self.store, &format!("{dir}/amplify-meta.json"))?;
        self.pushed_dir = dir.clone();
        self.current_backend_config =
            read_checked(&self.store, &format!("{dir}/backend-config.json"))?;
        if let Some(doc) = self.current_meta.as_mut() {
            doc.rel = CURRENT_META.into();
        }
        if let Some(doc) = self.current_backend_config.as_mut() {
            doc.rel = CURRENT_BACKEND_CONFIG.into();
        }
        Ok(())
    }

    /// Parks `from`'s `#current-cloud-backend/` and brings back `to`'s.
    pub fn move_snapshots(&self, from: Option<&str>, to: &str) -> Result<()> {
        if from == Some(to) {
            return Ok(());
        }
        match from {
            Some(from) => self
                .store
                .move_dir(CURRENT_CLOUD_BACKEND, snapshot_dir(from))?,
            // No env was checked out (a fresh clone, a lost pointer): the folder
            // there is the target's own unless one is parked for it.
            None if !self.store.exists(snapshot_dir(to)) => return Ok(()),
            None => self.store.remove_dir(CURRENT_CLOUD_BACKEND)?,
        }
        Ok(self
            .store
            .move_dir(snapshot_dir(to), CURRENT_CLOUD_BACKEND)?)
    }
}

/// Reads a project file and checks every name in it (see [`names`]).
fn read_checked<T: DeserializeOwned + Names>(store: &Store, rel: &str) -> Result<Option<Doc<T>>> {
    let doc: Option<Doc<T>> = store.read(rel)?;
    if let Some(d) = &doc {
        d.value.check_names().map_err(|bad| bad.in_file(rel))?;
    }
    Ok(doc)
}

/// The project that `start` is in: `start` itself or its nearest parent folder that
/// holds `amplify/.config/project-config.json` (as git and cargo find theirs).
/// Without one, `start` (where `init` creates a project and errors point).
pub fn find_root(start: &Path) -> PathBuf {
    if start.join(PROJECT_CONFIG).is_file() {
        return start.to_path_buf();
    }
    std::path::absolute(start)
        .ok()
        .and_then(|abs| {
            abs.ancestors()
                .skip(1)
                .find(|dir| dir.join(PROJECT_CONFIG).is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| start.to_path_buf())
}

pub fn snapshot_dir(env: &str) -> String {
    format!("{ENV_SNAPSHOTS}/{env}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_follow_amplify_rule() {
        assert!(EnvName::parse("dev").is_ok());
        assert!(EnvName::parse("abcdefghij").is_ok());
        for bad in ["d", "abcdefghijk", "Dev", "dev1", "de-v", ""] {
            assert_eq!(EnvName::parse(bad).unwrap_err(), EnvName::RULE, "{bad}");
        }
    }
}
