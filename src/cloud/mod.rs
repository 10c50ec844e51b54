//! AWS access: the one place that builds the SDK configuration, the errors that
//! name the resource and the missing permission, and small per-service wrappers.
//! Nothing here runs until a command asks for the cloud.

pub mod cognito_identity;
pub mod cognito_idp;
pub mod fake;
pub mod iam;
pub mod profiles;
pub mod s3;

use std::path::PathBuf;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cognitoidentityprovider::config::Credentials;
use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

#[derive(Clone, Debug, thiserror::Error)]
pub enum CloudError {
    #[error("{what} was not found ({action}).")]
    NotFound { action: &'static str, what: String },
    #[error(
        "Access denied for {action}: {message}\nGrant the permission `{action}` to the credentials in use (profile or environment), or choose another profile with --profile."
    )]
    AccessDenied {
        action: &'static str,
        message: String,
    },
    #[error(
        "Could not reach AWS for {action}: {message}\nCheck the network, --endpoint-url / AWS_ENDPOINT_URL, and the region."
    )]
    Unreachable {
        action: &'static str,
        message: String,
    },
    #[error("{action} failed: {message}")]
    Failed {
        action: &'static str,
        message: String,
    },
    #[error("No AWS region is set for this project.\nPass --region REGION or set AWS_REGION.")]
    NoRegion,
    #[error("Could not start the async runtime: {0}")]
    Runtime(String),
}

impl CloudError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, CloudError::NotFound { .. })
    }

    /// Maps an SDK error to what the user needs to know; `what` names the resource.
    pub fn from_sdk<E, R>(
        action: &'static str,
        what: impl Into<String>,
        err: SdkError<E, R>,
    ) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        let message = err
            .message()
            .map(str::to_string)
            .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
        match err.code() {
            Some("ResourceNotFoundException" | "NoSuchEntity" | "NoSuchEntityException") => {
                CloudError::NotFound {
                    action,
                    what: what.into(),
                }
            }
            Some(
                "AccessDeniedException"
                | "AccessDenied"
                | "UnauthorizedOperation"
                | "NotAuthorizedException",
            ) => CloudError::AccessDenied { action, message },
            _ => match err {
                SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                    CloudError::Unreachable { action, message }
                }
                _ => CloudError::Failed { action, message },
            },
        }
    }
}

/// Where and as whom to reach AWS, after flags, environment and project settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsTarget {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Amplify's `awsConfigFilePath` (access keys stored for the project), if readable.
    pub keys_file: Option<PathBuf>,
    /// AWS_ENDPOINT_URL, read by the SDK itself.
    pub endpoint_var: Option<String>,
    /// Access keys from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    /// AWS_SESSION_TOKEN), read through the process seam.
    pub env_keys: Option<(String, String, Option<String>)>,
}

impl AwsTarget {
    /// The endpoint is on this machine (a local emulator).
    pub fn is_local(&self) -> bool {
        let url = self
            .endpoint_url
            .as_deref()
            .or(self.endpoint_var.as_deref())
            .unwrap_or_default();
        let host = url.split("://").nth(1).unwrap_or_default();
        ["127.", "localhost", "[::1]"]
            .iter()
            .any(|h| host.starts_with(h))
    }
}

/// Overrides from the command line (`--region`, `--profile`, `--endpoint-url`).
#[derive(Clone, Debug, Default)]
pub struct AwsFlags {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

impl AwsTarget {
    /// Precedence: flag, then the standard AWS_* variable, then the project's stored
    /// value for the env. The region is the exception: a project env lives in one
    /// region, so its stored region beats AWS_REGION (as in the Amplify CLI).
    pub fn resolve(
        process: &dyn crate::process::Process,
        flags: &AwsFlags,
        env_region: Option<&str>,
        stored: Option<&crate::project::AwsEnvConfig>,
    ) -> AwsTarget {
        let var = |k: &str| process.var(k).filter(|v| !v.is_empty());
        let region = flags
            .region
            .clone()
            .or_else(|| env_region.map(str::to_string))
            .or_else(|| var("AWS_REGION"))
            .or_else(|| var("AWS_DEFAULT_REGION"));
        let profile = flags
            .profile
            .clone()
            .or_else(|| var("AWS_PROFILE"))
            .or_else(|| stored.and_then(|s| s.profile()).map(str::to_string));
        // AWS_ENDPOINT_URL(_<SERVICE>) is read by the SDK itself; only fall back to the
        // stored endpoint when no variable is set.
        let env_endpoint = !process.vars_with_prefix("AWS_ENDPOINT_URL").is_empty();
        let endpoint_url = flags.endpoint_url.clone().or_else(|| {
            if env_endpoint {
                None
            } else {
                stored.and_then(|s| s.endpoint_url.clone())
            }
        });
        let keys_file = stored
            .filter(|s| s.use_profile == Some(false))
            .and_then(|s| s.aws_config_file_path.as_ref())
            .map(PathBuf::from)
            .filter(|p| p.is_file());
        AwsTarget {
            region,
            profile,
            endpoint_url,
            keys_file,
            endpoint_var: var("AWS_ENDPOINT_URL"),
            env_keys: var("AWS_ACCESS_KEY_ID")
                .zip(var("AWS_SECRET_ACCESS_KEY"))
                .map(|(id, secret)| (id, secret, var("AWS_SESSION_TOKEN"))),
        }
    }
}

/// A connection to AWS: the runtime plus the shared SDK configuration.
pub struct Aws {
    runtime: tokio::runtime::Runtime,
    config: SdkConfig,
    region: String,
}

impl Aws {
    /// Builds the configuration. Reads only local files and variables; credentials
    /// are resolved lazily on the first call.
    pub fn connect(target: &AwsTarget) -> Result<Aws, CloudError> {
        let region = target.region.clone().ok_or(CloudError::NoRegion)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CloudError::Runtime(e.to_string()))?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .build(),
            );
        if let Some(p) = &target.profile {
            loader = loader.profile_name(p);
        }
        if let Some(url) = &target.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(creds) = target.keys_file.as_ref().and_then(|p| keys_from_file(p)) {
            loader = loader.credentials_provider(creds);
        } else if let (Some((id, secret, token)), None) = (&target.env_keys, &target.profile) {
            // The environment's keys, as the SDK's chain would take them first,
            // but read through the process seam (tests give each run its own).
            loader = loader.credentials_provider(Credentials::new(
                id,
                secret,
                token.clone(),
                None,
                "environment",
            ));
        } else if target.is_local() && target.profile.is_none() {
            // A local emulator takes any keys; without this the SDK would look for
            // credentials on the instance metadata service, off this machine.
            loader = loader.credentials_provider(Credentials::new(
                "local",
                "local",
                None,
                None,
                "local-emulator",
            ));
        }
        let config = runtime.block_on(loader.load());
        Ok(Aws {
            runtime,
            config,
            region,
        })
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    pub fn cognito_idp(&self) -> cognito_idp::SdkCognitoIdp {
        cognito_idp::SdkCognitoIdp::new(&self.config)
    }

    pub fn cognito_identity(&self) -> cognito_identity::SdkCognitoIdentity {
        cognito_identity::SdkCognitoIdentity::new(&self.config)
    }

    pub fn iam(&self) -> iam::SdkIam {
        iam::SdkIam::new(&self.config)
    }

    pub fn s3(&self) -> s3::SdkS3 {
        s3::SdkS3::new(&self.config)
    }
}

/// Amplify stores project-level access keys as `{accessKeyId, secretAccessKey, region}`.
fn keys_from_file(path: &std::path::Path) -> Option<Credentials> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(Credentials::new(
        v.get("accessKeyId")?.as_str()?,
        v.get("secretAccessKey")?.as_str()?,
        v.get("sessionToken")
            .and_then(|s| s.as_str())
            .map(str::to_string),
        None,
        "amplify-project-keys",
    ))
}
