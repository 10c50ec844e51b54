//! AWS settings read on this machine, without network: the profiles of the shared
//! config files (parsed by aws-config itself), the retry settings the SDK will pick
//! up, how long authwiz waits for AWS, and the regions offered at prompts.

use std::collections::HashMap;
use std::time::Duration;

use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

use super::CloudError;
use crate::process::Process;

/// How long authwiz waits for AWS. Each has a default; the user changes it with
/// the variable named in [`Waits::VARIABLES`] (seconds, decimals allowed).
#[derive(Clone, Debug, PartialEq)]
pub struct Waits {
    /// Opening a connection (TCP and TLS).
    pub connect: Duration,
    /// One attempt of a call, from sending to the whole answer.
    pub attempt: Duration,
    /// One call, every retry included; `None` when the user chose the number of
    /// attempts (AWS_MAX_ATTEMPTS / `max_attempts`), so that choice is not cut short.
    pub call: Option<Duration>,
    /// All the AWS calls of one command (time at prompts does not count).
    pub command: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Waits {
            connect: Duration::from_secs(3),
            attempt: Duration::from_secs(5),
            call: Some(Duration::from_secs(12)),
            command: Duration::from_secs(60),
        }
    }
}

impl Waits {
    pub const VARIABLES: [&str; 4] = [
        "AUTHWIZ_CONNECT_TIMEOUT",
        "AUTHWIZ_ATTEMPT_TIMEOUT",
        "AUTHWIZ_CALL_TIMEOUT",
        "AUTHWIZ_COMMAND_TIMEOUT",
    ];

    /// The defaults, with what the user set in the environment.
    pub fn from_process(
        process: &dyn Process,
        user_chose_attempts: bool,
    ) -> Result<Waits, CloudError> {
        let mut waits = Waits::default();
        if user_chose_attempts {
            waits.call = None;
        }
        let [connect, attempt, call, command] = Waits::VARIABLES;
        let seconds = |name| seconds(process, name);
        if let Some(d) = seconds(connect)? {
            waits.connect = d;
        }
        if let Some(d) = seconds(attempt)? {
            waits.attempt = d;
        }
        if let Some(d) = seconds(call)? {
            waits.call = Some(d);
        }
        if let Some(d) = seconds(command)? {
            waits.command = d;
        }
        Ok(waits)
    }
}

fn seconds(process: &dyn Process, name: &str) -> Result<Option<Duration>, CloudError> {
    let Some(value) = process.var(name).filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
        .map(|s| Some(Duration::from_secs_f64(s)))
        .ok_or_else(|| CloudError::Setting {
            name: name.into(),
            value,
            rule: "a number of seconds greater than 0 (e.g. 30 or 2.5)",
        })
}

/// The shared config and credentials files as aws-config reads them
/// (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, or ~/.aws/), with the variables
/// the process gives.
fn profile_set(process: &dyn Process) -> Option<ProfileSet> {
    let vars: HashMap<String, String> = process
        .vars_with_prefix("AWS_")
        .into_iter()
        .chain(["HOME", "USERPROFILE", "HOMEDRIVE", "HOMEPATH"].map(String::from))
        .filter_map(|k| process.var(&k).map(|v| (k, v)))
        .collect();
    let (fs, env, files) = (Fs::real(), Env::from(vars), EnvConfigFiles::default());
    // Reading the files is synchronous inside; no runtime is needed.
    futures::executor::block_on(aws_config::profile::load(&fs, &env, &files, None)).ok()
}

/// Where the profiles come from, for messages.
fn profile_files(process: &dyn Process) -> String {
    let config = process
        .var("AWS_CONFIG_FILE")
        .unwrap_or_else(|| "~/.aws/config".into());
    let creds = process
        .var("AWS_SHARED_CREDENTIALS_FILE")
        .unwrap_or_else(|| "~/.aws/credentials".into());
    format!("{config} or {creds}")
}

/// Profile names of the shared config files, `default` first, then by name.
pub fn profile_names(process: &dyn Process) -> Vec<String> {
    let mut names: Vec<String> = profile_set(process)
        .map(|s| s.profiles().map(str::to_string).collect())
        .unwrap_or_default();
    names.sort_by_key(|n| (n != "default", n.clone()));
    names
}

/// The region the AWS config chain would pick: AWS_REGION, AWS_DEFAULT_REGION, then
/// the profile's `region` (the given profile, else AWS_PROFILE, else `default`).
pub fn default_region(process: &dyn Process, profile: Option<&str>) -> Option<String> {
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(v) = process.var(var).filter(|v| !v.is_empty()) {
            return Some(v);
        }
    }
    let wanted = profile
        .map(str::to_string)
        .or_else(|| process.var("AWS_PROFILE"))
        .unwrap_or_else(|| "default".into());
    profile_set(process)?
        .get_profile(&wanted)?
        .get("region")
        .map(str::to_string)
}

/// Checks, before any call, what the SDK would otherwise fail on late or panic on:
/// a profile that does not exist (when credentials come from it) and malformed
/// retry settings. Returns whether the user chose the number of attempts.
pub(super) fn check(
    process: &dyn Process,
    profile: Option<&str>,
    credentials_from_profile: bool,
) -> Result<bool, CloudError> {
    let set = profile_set(process);
    if let (Some(name), true) = (profile, credentials_from_profile)
        && set.as_ref().and_then(|s| s.get_profile(name)).is_none()
    {
        return Err(CloudError::UnknownProfile {
            profile: name.into(),
            files: profile_files(process),
            known: profile_names(process),
        });
    }
    let selected = profile
        .map(str::to_string)
        .or_else(|| process.var("AWS_PROFILE"))
        .unwrap_or_else(|| "default".into());
    let in_profile = |key: &str| {
        set.as_ref()
            .and_then(|s| s.get_profile(&selected))
            .and_then(|p| p.get(key))
            .map(|v| (format!("{key} (profile '{selected}')"), v.to_string()))
    };
    let from_env = |var: &str| {
        process
            .var(var)
            .filter(|v| !v.is_empty())
            .map(|v| (var.to_string(), v))
    };
    let attempts = from_env("AWS_MAX_ATTEMPTS").or_else(|| in_profile("max_attempts"));
    if let Some((name, value)) = &attempts
        && !value.trim().parse::<u32>().is_ok_and(|n| n > 0)
    {
        return Err(CloudError::Setting {
            name: name.clone(),
            value: value.clone(),
            rule: "a whole number of attempts, 1 or more (3 when unset)",
        });
    }
    if let Some((name, value)) = from_env("AWS_RETRY_MODE").or_else(|| in_profile("retry_mode"))
        && !["standard", "adaptive"].contains(&value.trim().to_ascii_lowercase().as_str())
    {
        return Err(CloudError::Setting {
            name,
            value,
            rule: "standard or adaptive",
        });
    }
    Ok(attempts.is_some())
}

/// Regions where Amazon Cognito user pools are offered (the region prompts' list).
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "sa-east-1",
];

/// Why `region` is refused, naming the closest regions Cognito offers (never all).
pub fn unknown_region(region: &str) -> String {
    let wanted = region.trim().to_ascii_lowercase().replace([' ', '_'], "-");
    let mut near: Vec<(usize, &str)> = REGIONS.iter().map(|r| (distance(&wanted, r), *r)).collect();
    near.sort();
    let best = near[0].0;
    let names: Vec<&str> = near
        .iter()
        .take_while(|(d, _)| *d <= best + 1)
        .take(4)
        .map(|(_, r)| *r)
        .collect();
    format!(
        "'{region}' is not a region where Cognito user pools are offered. Did you mean {}?",
        names.join(", ")
    )
}

/// Levenshtein distance (regions are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_regions_name_their_nearest_neighbours_only() {
        assert!(
            unknown_region("US East").ends_with("Did you mean us-east-1, us-east-2?"),
            "{}",
            unknown_region("US East")
        );
        assert!(unknown_region("us-west-9").ends_with("Did you mean us-west-1, us-west-2?"));
        assert!(unknown_region("eu-west").contains("eu-west-1, eu-west-2, eu-west-3"));
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
