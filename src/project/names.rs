//! The rules for names, applied the same way to a name typed at a prompt and to
//! one read from a project file: a cloned repository is untrusted input, and a
//! name becomes a folder (`amplify/backend/<category>/<resource>`,
//! `amplify/.config/local-authwiz-envs/<env>`) or part of an IAM policy.

use serde_json::Value;

use super::{
    AmplifyMeta, BackendConfig, Category, EnvName, Frontend, LocalAwsInfo, LocalEnvInfo,
    ProjectConfig, TeamProviderInfo,
};

pub const CATEGORY_RULE: &str =
    "Category names are 1-64 letters and digits, starting with a letter.";
pub const RESOURCE_RULE: &str =
    "Resource names are 1-128 letters, digits, '_' and '-', starting with a letter or digit.";
pub const STORAGE_RESOURCE_RULE: &str = "The resource name must be at least 1 character and no more than 128 and only contain alphanumeric characters.";
pub const BUCKET_RULE: &str = "Bucket names must be 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, have no '..', and not look like an IP address.";
pub const SOURCE_DIR_RULE: &str = "A folder inside the project, as a relative path (e.g. \"src\"); no '..' that leaves the project, no absolute path.";

/// A value read from a project file that breaks its rule. Nothing is written
/// when a command meets one.
#[derive(Debug, thiserror::Error)]
#[error(
    "{file}: {what} {found} at `{at}` is not allowed. {rule}\nFix it by hand or restore the file from version control, then run the command again; nothing was changed."
)]
pub struct NameError {
    pub file: String,
    /// Dotted key path; a key that is itself the bad name is quoted at the end.
    pub at: String,
    pub what: &'static str,
    /// The offending value as JSON (a quoted string, or the wrong-typed value).
    pub found: String,
    pub rule: &'static str,
}

/// Where in a file a bad value was found (the file is added by the caller).
#[derive(Debug)]
pub struct BadValue {
    pub at: String,
    pub what: &'static str,
    pub found: String,
    pub rule: &'static str,
}

impl BadValue {
    pub fn in_file(self, file: impl Into<String>) -> NameError {
        NameError {
            file: file.into(),
            at: self.at,
            what: self.what,
            found: self.found,
            rule: self.rule,
        }
    }
}

/// A key path with `key` appended (quoted when it is not a plain word).
pub fn key_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let key = if plain {
        key.to_string()
    } else {
        Value::from(key).to_string()
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

fn bad(at: String, what: &'static str, found: &str, rule: &'static str) -> BadValue {
    BadValue {
        at,
        what,
        found: Value::from(found).to_string(),
        rule,
    }
}

pub fn is_category(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

pub fn is_resource(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The storage prompt's rule (Amplify's): letters and digits only.
pub fn is_storage_resource(name: &str) -> bool {
    (1..=128).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// S3's bucket naming rules, for names of at most `max` characters.
pub fn is_bucket(name: &str, max: usize) -> bool {
    (3..=max).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && !name.starts_with("xn--")
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

/// The folder for the client configuration as a prompt checks it: inside
/// the project (the rule project-config.json is checked against when read).
pub fn check_source_dir(dir: &str) -> Result<(), String> {
    if is_project_folder(dir) {
        Ok(())
    } else {
        Err(SOURCE_DIR_RULE.into())
    }
}

/// A folder path that stays inside the project once `.` and `..` are resolved.
pub fn is_project_folder(path: &str) -> bool {
    let mut depth = 0usize;
    for c in std::path::Path::new(path).components() {
        match c {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if depth > 0 => depth -= 1,
            _ => return false,
        }
    }
    !path.is_empty()
}

fn check_env(at: String, name: &str) -> Result<(), BadValue> {
    match EnvName::parse(name) {
        Ok(_) => Ok(()),
        Err(_) => Err(bad(at, "environment name", name, EnvName::RULE)),
    }
}

fn check_resource_key(category: &str, at: String, name: &str) -> Result<(), BadValue> {
    let (ok, rule) = if category == "storage" {
        (is_storage_resource(name), STORAGE_RESOURCE_RULE)
    } else {
        (is_resource(name), RESOURCE_RULE)
    };
    if ok {
        Ok(())
    } else {
        Err(bad(at, "resource name", name, rule))
    }
}

fn check_bucket(at: String, value: &Value) -> Result<(), BadValue> {
    match value.as_str() {
        Some(name) if is_bucket(name, 63) => Ok(()),
        Some(name) => Err(bad(at, "bucket name", name, BUCKET_RULE)),
        None => Err(BadValue {
            at,
            what: "bucket name",
            found: value.to_string(),
            rule: BUCKET_RULE,
        }),
    }
}

/// Category and resource names of backend-config.json / amplify-meta.json, and the
/// bucket a pushed storage resource records.
fn check_categories<'a>(
    categories: impl Iterator<Item = (&'a String, &'a Category)>,
) -> Result<(), BadValue> {
    for (cat, resources) in categories {
        if !is_category(cat) {
            return Err(bad(key_path("", cat), "category name", cat, CATEGORY_RULE));
        }
        for (name, resource) in resources {
            check_resource_key(cat, key_path(cat, name), name)?;
            if cat == "storage"
                && let Some(bucket) = resource.output.as_ref().and_then(|o| o.get("BucketName"))
            {
                let at = key_path(&key_path(&key_path(cat, name), "output"), "BucketName");
                check_bucket(at, bucket)?;
            }
        }
    }
    Ok(())
}

/// What every project file model checks about the names it holds.
pub trait Names {
    fn check_names(&self) -> Result<(), BadValue>;
}

impl Names for BackendConfig {
    fn check_names(&self) -> Result<(), BadValue> {
        check_categories(self.categories.iter())
    }
}

impl Names for AmplifyMeta {
    fn check_names(&self) -> Result<(), BadValue> {
        check_categories(self.categories.iter())
    }
}

impl Names for TeamProviderInfo {
    fn check_names(&self) -> Result<(), BadValue> {
        for (env, record) in self {
            check_env(key_path("", env), env)?;
            let base = key_path(env, "categories");
            for (cat, resources) in record.categories.iter().flatten() {
                if !is_category(cat) {
                    return Err(bad(
                        key_path(&base, cat),
                        "category name",
                        cat,
                        CATEGORY_RULE,
                    ));
                }
                for (name, params) in resources {
                    let at = key_path(&key_path(&base, cat), name);
                    check_resource_key(cat, at.clone(), name)?;
                    if cat == "storage"
                        && let Some(bucket) = params.get("bucketName")
                    {
                        check_bucket(key_path(&at, "bucketName"), bucket)?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Names for LocalAwsInfo {
    fn check_names(&self) -> Result<(), BadValue> {
        self.keys()
            .try_for_each(|env| check_env(key_path("", env), env))
    }
}

impl Names for LocalEnvInfo {
    fn check_names(&self) -> Result<(), BadValue> {
        check_env("envName".into(), &self.env_name)
    }
}

impl Names for ProjectConfig {
    /// The folder the client configuration is written to.
    fn check_names(&self) -> Result<(), BadValue> {
        let frontend = Frontend::parse(&self.frontend);
        let key = ProjectConfig::source_dir_key(frontend);
        let at = format!("{}.config.{key}", frontend.name());
        let found = self
            .extra
            .get(frontend.name())
            .and_then(|f| f.get("config"))
            .and_then(|c| c.get(key));
        match found {
            None => Ok(()),
            Some(Value::String(s)) if is_project_folder(s) => Ok(()),
            Some(v) => Err(BadValue {
                at,
                what: "source folder",
                found: v.to_string(),
                rule: SOURCE_DIR_RULE,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_leave_the_project_are_refused() {
        for bad in ["../x", "a/b", ".", "", "-x", "a.b", "a b", "x\0"] {
            assert!(!is_resource(bad), "{bad:?}");
            assert!(!is_storage_resource(bad), "{bad:?}");
            assert!(!is_category(bad), "{bad:?}");
        }
        assert!(is_resource("peer_proj-1") && is_resource("cognito1a2b"));
        assert!(is_category("auth") && !is_category("1auth"));
        assert!(is_bucket("corpfiles-dev", 63) && !is_bucket("*", 63));
        for ok in ["src", "./lib/", "web/src", "a/../b", "."] {
            assert!(is_project_folder(ok), "{ok}");
        }
        for bad in ["..", "../src", "/etc", "a/../../b", ""] {
            assert!(!is_project_folder(bad), "{bad}");
        }
    }

    #[test]
    fn key_paths_quote_what_is_not_a_plain_word() {
        assert_eq!(key_path("auth", "peerproj"), "auth.peerproj");
        assert_eq!(key_path("auth", "../../v"), "auth.\"../../v\"");
        assert_eq!(key_path("", "dev"), "dev");
    }
}
