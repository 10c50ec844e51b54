//! Creating a project (`authwiz init`): the files `amplify init` lays down, from
//! `project-template/`, staged with the .gitignore block and committed as one
//! transaction that makes `amplify/` appear whole (see `Store::commit_new_project`).

use serde_json::json;

use super::{
    AmplifyMeta, AwsEnvConfig, BackendConfig, Doc, EnvName, EnvRecord, Frontend, Layout,
    LocalAwsInfo, LocalEnvInfo, Project, ProjectConfig, ProviderRecord, Store, StoreError,
    TeamProviderInfo,
};

const TEMPLATE_PROJECT_CONFIG: &str =
    include_str!("../../project-template/amplify/.config/project-config.json");
const TEMPLATE_BACKEND_CONFIG: &str =
    include_str!("../../project-template/amplify/backend/backend-config.json");
const GITIGNORE_BLOCK: &str = include_str!("../../project-template/gitignore-block.txt");
const BLOCK_BEGIN: &str = "#amplify-do-not-edit-begin";
const BLOCK_END: &str = "#amplify-do-not-edit-end";

/// How an env reaches AWS credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    Profile(String),
    /// The standard chain: AWS_ACCESS_KEY_ID etc., SSO, instance roles.
    Environment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvSettings {
    pub region: String,
    pub credentials: Credentials,
    pub endpoint_url: Option<String>,
}

impl EnvSettings {
    pub fn aws_config(&self) -> AwsEnvConfig {
        let mut c = AwsEnvConfig {
            endpoint_url: self.endpoint_url.clone(),
            ..Default::default()
        };
        match &self.credentials {
            Credentials::Profile(p) => {
                c.config_level = Some("project".into());
                c.use_profile = Some(true);
                c.profile_name = Some(p.clone());
            }
            Credentials::Environment => c.config_level = Some("general".into()),
        }
        c
    }

    pub fn env_record(&self) -> EnvRecord {
        EnvRecord {
            awscloudformation: ProviderRecord {
                region: Some(self.region.clone()),
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProject {
    pub project_name: String,
    pub env: EnvName,
    pub frontend: Frontend,
    pub source_dir: String,
    pub settings: EnvSettings,
}

/// Amplify's project-name rule: 3-20 letters and digits.
pub fn check_project_name(name: &str) -> Result<(), String> {
    if (3..=20).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err("Project name should be between 3 and 20 characters and alphanumeric".into())
    }
}

/// The new project in memory, with its files and the .gitignore block staged on
/// `store`; `store.commit_new_project` writes them.
pub fn create(store: &Store, p: &NewProject) -> Result<Project, StoreError> {
    let mut config: ProjectConfig =
        serde_json::from_str(TEMPLATE_PROJECT_CONFIG).expect("the template is valid JSON");
    config.project_name = p.project_name.clone();
    config.frontend = p.frontend.name().into();
    // The frontend section sits before `providers`, as Amplify writes it.
    let providers = config.extra.shift_remove("providers");
    config.extra.insert(
        p.frontend.name().into(),
        p.frontend.config_section(&p.source_dir),
    );
    if let Some(providers) = providers {
        config.extra.insert("providers".into(), providers);
    }
    let local_env = LocalEnvInfo {
        project_path: Some(store.root().display().to_string()),
        default_editor: Some("none".into()),
        env_name: p.env.to_string(),
        extra: Default::default(),
    };
    let mut aws = LocalAwsInfo::default();
    aws.insert(p.env.to_string(), p.settings.aws_config());
    let mut tpi = TeamProviderInfo::default();
    tpi.insert(p.env.to_string(), p.settings.env_record());
    let backend: BackendConfig =
        serde_json::from_str(TEMPLATE_BACKEND_CONFIG).expect("the template is valid JSON");
    let meta = AmplifyMeta {
        providers: Some(
            json!({ "awscloudformation": { "Region": p.settings.region } })
                .as_object()
                .cloned()
                .unwrap_or_default(),
        ),
        categories: Default::default(),
    };
    let project = Project {
        store: store.clone(),
        config: Doc::new(super::PROJECT_CONFIG, config),
        local_env: Some(Doc::new(super::LOCAL_ENV_INFO, local_env)),
        aws_info: Doc::new(super::LOCAL_AWS_INFO, aws),
        tpi: Doc::new(super::TEAM_PROVIDER_INFO, tpi),
        backend_config: Doc::new(super::BACKEND_CONFIG, backend),
        meta: Doc::new(super::AMPLIFY_META, meta),
        current_meta: None,
        current_backend_config: None,
        pushed_dir: super::CURRENT_CLOUD_BACKEND.to_string(),
    };
    store.write(&project.config, Layout::Ordered)?;
    project.save_local_env()?;
    project.save_aws_info()?;
    project.save_tpi()?;
    project.save_backend_config()?;
    project.save_meta()?;
    update_gitignore(store)?;
    Ok(project)
}

/// Adds (or refreshes) Amplify's block in the project's .gitignore, keeping the rest.
fn update_gitignore(store: &Store) -> Result<(), StoreError> {
    let existing = store.read_text(".gitignore")?.unwrap_or_default();
    let block = GITIGNORE_BLOCK.trim_end();
    let updated = match (existing.find(BLOCK_BEGIN), existing.find(BLOCK_END)) {
        (Some(b), Some(e)) if b < e => {
            format!(
                "{}{}{}",
                &existing[..b],
                block,
                &existing[e + BLOCK_END.len()..]
            )
        }
        _ if existing.is_empty() => format!("{block}\n"),
        _ => format!("{}\n{block}\n", existing.trim_end_matches('\n')),
    };
    store.write_bytes(".gitignore", updated.as_bytes())
}
