//! One typed model per project file. Every model keeps the keys it does not know
//! in `extra`, so a rewrite never loses what the Amplify CLI (or a user) put there.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub type Extra = Map<String, Value>;

/// `amplify/.config/project-config.json`
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectConfig {
    pub project_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub frontend: String,
    #[serde(flatten)]
    pub extra: Extra,
}

impl ProjectConfig {
    /// The frontend's `config` object (`javascript.config`, `android.config`, ...).
    fn frontend_config(&self) -> Option<&Map<String, Value>> {
        self.extra.get(&self.frontend)?.get("config")?.as_object()
    }

    /// The key of the frontend's config that names the client configuration folder.
    pub fn source_dir_key(frontend: Frontend) -> &'static str {
        if frontend == Frontend::Javascript {
            "SourceDir"
        } else {
            "ResDir"
        }
    }

    /// Where the generated client configuration goes, relative to the project root
    /// (checked when the file is read: a string, inside the project).
    pub fn source_dir(&self) -> String {
        let key = Self::source_dir_key(Frontend::parse(&self.frontend));
        self.frontend_config()
            .and_then(|c| c.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| Frontend::parse(&self.frontend).default_source_dir().into())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frontend {
    Javascript,
    Ios,
    Android,
    Flutter,
}

impl Frontend {
    pub const ALL: [Frontend; 4] = [
        Frontend::Javascript,
        Frontend::Android,
        Frontend::Ios,
        Frontend::Flutter,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Frontend::Javascript => "javascript",
            Frontend::Ios => "ios",
            Frontend::Android => "android",
            Frontend::Flutter => "flutter",
        }
    }

    /// Unknown names are treated as javascript, the Amplify default.
    pub fn parse(name: &str) -> Frontend {
        Frontend::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .unwrap_or(Frontend::Javascript)
    }

    pub fn default_source_dir(self) -> &'static str {
        match self {
            Frontend::Javascript => "src",
            Frontend::Ios => ".",
            Frontend::Android => "app/src/main/res",
            Frontend::Flutter => "./lib/",
        }
    }

    /// The `<frontend>` section of project-config.json as `amplify init` writes it.
    pub fn config_section(self, source_dir: &str) -> Value {
        match self {
            Frontend::Javascript => serde_json::json!({
                "framework": "none",
                "config": {
                    "SourceDir": source_dir,
                    "DistributionDir": "dist",
                    "BuildCommand": "npm run build",
                    "StartCommand": "npm start"
                }
            }),
            Frontend::Ios => serde_json::json!({ "config": {} }),
            Frontend::Android | Frontend::Flutter => {
                serde_json::json!({ "config": { "ResDir": source_dir } })
            }
        }
    }
}

/// `amplify/.config/local-env-info.json`
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalEnvInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_editor: Option<String>,
    pub env_name: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `amplify/.config/local-aws-info.json`: how each env reaches AWS on this machine.
pub type LocalAwsInfo = IndexMap<String, AwsEnvConfig>;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsEnvConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_profile: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_config_file_path: Option<String>,
    /// authwiz only: an endpoint override (a local emulator) for this env.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl AwsEnvConfig {
    pub fn profile(&self) -> Option<&str> {
        match self.use_profile {
            Some(true) => self.profile_name.as_deref(),
            _ => None,
        }
    }
}

/// Env-specific parameters: `<category>.<resource>.<param>`.
pub type EnvParams = Map<String, Value>;
pub type EnvCategories = IndexMap<String, IndexMap<String, EnvParams>>;

/// `amplify/team-provider-info.json`: the per-env records.
pub type TeamProviderInfo = IndexMap<String, EnvRecord>;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EnvRecord {
    #[serde(default)]
    pub awscloudformation: ProviderRecord,
    /// `categories.<category>.<resource>` = env-specific parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<EnvCategories>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProviderRecord {
    #[serde(rename = "Region", default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One resource entry in backend-config.json or amplify-meta.json.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_plugin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_auth: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontend_auth_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_push_time_stamp: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Resource {
    pub fn is_imported(&self) -> bool {
        self.service_type.as_deref() == Some("imported")
    }

    /// A Cognito user pool resource (imported or managed), not its groups.
    pub fn is_cognito(&self) -> bool {
        self.service.as_deref() == Some(crate::vocab::COGNITO)
    }

    /// An Amplify-managed Cognito resource (from `add auth`).
    pub fn is_managed_cognito(&self) -> bool {
        self.is_cognito() && !self.is_imported()
    }
}

pub type Category = IndexMap<String, Resource>;

/// `amplify/backend/backend-config.json` (shared by all envs).
#[derive(Clone, Debug, Default, Serialize)]
pub struct BackendConfig {
    /// The env-parameter map (`AMPLIFY_<category>_<resource>_<param>`); not a category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    #[serde(flatten)]
    pub categories: IndexMap<String, Category>,
}

/// `amplify/backend/amplify-meta.json` (local, the checked-out env).
#[derive(Clone, Debug, Default, Serialize)]
pub struct AmplifyMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<Map<String, Value>>,
    #[serde(flatten)]
    pub categories: IndexMap<String, Category>,
}

impl AmplifyMeta {
    pub fn region(&self) -> Option<&str> {
        self.providers
            .as_ref()?
            .get("awscloudformation")?
            .get("Region")?
            .as_str()
    }

    pub fn resources(&self) -> impl Iterator<Item = (&str, &str, &Resource)> {
        self.categories.iter().flat_map(|(cat, resources)| {
            resources
                .iter()
                .map(move |(name, r)| (cat.as_str(), name.as_str(), r))
        })
    }

    pub fn resource(&self, category: &str, name: &str) -> Option<&Resource> {
        self.categories.get(category)?.get(name)
    }
}

// backend-config.json and amplify-meta.json are one special key plus categories.
// Deserialized by hand rather than with `#[serde(flatten)]`, which buffers the
// categories and loses the key path of an error (reported as `.`).

impl<'de> Deserialize<'de> for BackendConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (parameters, categories) = special_and_categories(d, "parameters")?;
        Ok(BackendConfig {
            parameters,
            categories,
        })
    }
}

impl<'de> Deserialize<'de> for AmplifyMeta {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (providers, categories) = special_and_categories(d, "providers")?;
        Ok(AmplifyMeta {
            providers,
            categories,
        })
    }
}

type Split<S> = (Option<S>, IndexMap<String, Category>);

fn special_and_categories<'de, D, S>(d: D, special: &'static str) -> Result<Split<S>, D::Error>
where
    D: serde::Deserializer<'de>,
    S: Deserialize<'de>,
{
    struct Visit<S>(&'static str, std::marker::PhantomData<S>);
    impl<'de, S: Deserialize<'de>> serde::de::Visitor<'de> for Visit<S> {
        type Value = Split<S>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of categories")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Split<S>, A::Error> {
            let (mut special, mut categories) = (None, IndexMap::new());
            while let Some(key) = map.next_key::<String>()? {
                if key == self.0 {
                    special = map.next_value()?;
                } else {
                    let category = map.next_value()?;
                    categories.insert(key, category);
                }
            }
            Ok((special, categories))
        }
    }
    d.deserialize_map(Visit(special, std::marker::PhantomData))
}
