//! Local reading of the shared AWS config files (profile names, default region).
//! No SDK, no network: `init` needs these before any client exists.

use std::path::PathBuf;

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

fn config_file() -> Option<PathBuf> {
    std::env::var_os("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws/config")))
}

fn credentials_file() -> Option<PathBuf> {
    std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws/credentials")))
}

/// `(section, key, value)` triples of an INI file; sections as written.
fn ini(path: Option<PathBuf>) -> Vec<(String, String, String)> {
    let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        return Vec::new();
    };
    let mut section = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.trim().to_string();
            out.push((section.clone(), String::new(), String::new()));
        } else if let Some((k, v)) = line.split_once('=') {
            out.push((section.clone(), k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

fn profile_of_config_section(section: &str) -> Option<String> {
    if section == "default" {
        Some("default".into())
    } else {
        section
            .strip_prefix("profile ")
            .map(|p| p.trim().to_string())
    }
}

/// Profile names from ~/.aws/config and ~/.aws/credentials, in file order.
pub fn profile_names() -> Vec<String> {
    let mut names = Vec::new();
    let config = ini(config_file()).into_iter().filter_map(|(s, k, _)| {
        k.is_empty()
            .then(|| profile_of_config_section(&s))
            .flatten()
    });
    let creds = ini(credentials_file())
        .into_iter()
        .filter(|(_, k, _)| k.is_empty())
        .map(|(s, _, _)| s);
    for name in config.chain(creds) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The region the AWS config chain would pick: AWS_REGION, AWS_DEFAULT_REGION, then
/// the profile's `region` in ~/.aws/config.
pub fn default_region(profile: Option<&str>) -> Option<String> {
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Ok(v) = std::env::var(var)
            && !v.is_empty()
        {
            return Some(v);
        }
    }
    let wanted = profile
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".into());
    ini(config_file())
        .into_iter()
        .find(|(s, k, _)| k == "region" && profile_of_config_section(s).as_deref() == Some(&wanted))
        .map(|(_, _, v)| v)
}

/// Regions where Amazon Cognito user pools are offered.
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
