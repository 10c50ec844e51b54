//! AWS access: the one place that builds the SDK configuration (profile, region,
//! endpoint, timeouts, retries, the call interceptor), the errors that say what
//! happened and how to fix it, and small per-service wrappers. Nothing here runs
//! until a command asks for the cloud.

pub mod cognito_identity;
pub mod cognito_idp;
pub mod deploy;
mod deploy_others;
mod deploy_overrides;
mod deploy_sdk;
mod error;
pub mod fake;
pub mod iam;
pub mod lambda;
mod lambda_sdk;
pub mod s3;
mod settings;
mod trace;
pub mod users;

pub use deploy_sdk::SdkDeploy;
pub use error::{CloudError, Unreachable};
pub use settings::{REGIONS, Waits, default_region, profile_names, unknown_region};
pub use trace::Log;

use std::path::PathBuf;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cognitoidentityprovider::config::Credentials;

use crate::process::Process;

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
    /// The profile was named by the user (--profile or AWS_PROFILE), not only
    /// stored for the env: it must exist even when keys in the environment win.
    pub profile_named: bool,
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
        process: &dyn Process,
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
        let named = flags.profile.clone().or_else(|| var("AWS_PROFILE"));
        let profile_named = named.is_some();
        let profile = named.or_else(|| stored.and_then(|s| s.profile()).map(str::to_string));
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
            profile_named,
        }
    }
}

/// A connection to AWS: the runtime plus the shared SDK configuration, and the
/// interceptor every client carries (time budget, endpoints, `-v` trace).
pub struct Aws {
    runtime: tokio::runtime::Runtime,
    config: SdkConfig,
    region: String,
    trace: trace::Trace,
    /// Retries' pauses wait for real (false on a test's clock: the process seam).
    pauses: bool,
}

impl Aws {
    /// Builds the configuration. Reads only local files and variables; credentials
    /// are resolved lazily on the first call. Retries are the SDK's own (standard
    /// mode, 3 attempts) unless the user set AWS_MAX_ATTEMPTS / AWS_RETRY_MODE or the
    /// profile's `max_attempts` / `retry_mode`; timeouts are [`Waits`]. `log`
    /// receives one line per AWS call attempt (`-v`).
    pub fn connect(
        target: &AwsTarget,
        process: &dyn Process,
        log: Option<Log>,
    ) -> Result<Aws, CloudError> {
        let region = target.region.clone().ok_or(CloudError::NoRegion)?;
        let credentials_from_profile =
            target.keys_file.is_none() && (target.profile_named || target.env_keys.is_none());
        let chose_attempts =
            settings::check(process, target.profile.as_deref(), credentials_from_profile)?;
        let waits = Waits::from_process(process, chose_attempts)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CloudError::Runtime(e.to_string()))?;
        let mut timeouts = TimeoutConfig::builder()
            .connect_timeout(waits.connect)
            .operation_attempt_timeout(waits.attempt);
        if let Some(call) = waits.call {
            timeouts = timeouts.operation_timeout(call);
        }
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .timeout_config(timeouts.build());
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
            trace: trace::Trace::new(waits.command, log),
            pauses: !process.pause(std::time::Duration::from_secs(1)).is_zero(),
        })
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// Waits for AWS work; the time counts against the command's budget.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.trace.waiting(|| self.runtime.block_on(f))
    }

    pub fn cognito_idp(&self) -> cognito_idp::SdkCognitoIdp {
        let conf = aws_sdk_cognitoidentityprovider::config::Builder::from(&self.config)
            .interceptor(self.trace.clone())
            .build();
        cognito_idp::SdkCognitoIdp::new(conf)
    }

    pub fn cognito_identity(&self) -> cognito_identity::SdkCognitoIdentity {
        let conf = aws_sdk_cognitoidentity::config::Builder::from(&self.config)
            .interceptor(self.trace.clone())
            .build();
        cognito_identity::SdkCognitoIdentity::new(conf)
    }

    pub fn iam(&self) -> iam::SdkIam {
        let conf = aws_sdk_iam::config::Builder::from(&self.config)
            .interceptor(self.trace.clone())
            .build();
        iam::SdkIam::new(conf)
    }

    /// The clients that create, change and delete managed auth's resources.
    pub fn deploy(&self) -> SdkDeploy {
        let idp = aws_sdk_cognitoidentityprovider::config::Builder::from(&self.config)
            .interceptor(self.trace.clone())
            .build();
        let identity = aws_sdk_cognitoidentity::config::Builder::from(&self.config)
            .interceptor(self.trace.clone())
            .build();
        let iam = aws_sdk_iam::config::Builder::from(&self.config)
            .interceptor(self.trace.clone())
            .build();
        let lambda = aws_sdk_lambda::config::Builder::from(&self.config)
            .interceptor(self.trace.clone())
            .build();
        SdkDeploy {
            lambda: aws_sdk_lambda::Client::from_conf(lambda),
            idp: aws_sdk_cognitoidentityprovider::Client::from_conf(idp),
            identity: aws_sdk_cognitoidentity::Client::from_conf(identity),
            iam: aws_sdk_iam::Client::from_conf(iam),
            pauses: self.pauses,
        }
    }

    /// A user pool's users, groups and memberships (backup, restore).
    pub fn users(&self) -> users::SdkUsers {
        let conf = aws_sdk_cognitoidentityprovider::config::Builder::from(&self.config)
            .interceptor(self.trace.clone())
            .build();
        users::SdkUsers::new(conf)
    }

    pub fn s3(&self) -> s3::SdkS3 {
        // Path-style addressing keeps bucket names out of the host (local endpoints).
        let conf = aws_sdk_s3::config::Builder::from(&self.config)
            .force_path_style(true)
            .interceptor(self.trace.clone())
            .build();
        s3::SdkS3::new(conf)
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
