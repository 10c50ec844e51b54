//! The storage domain: an S3 "Content" resource whose access is granted through
//! the identity pool's roles. Access levels become IAM policy documents here;
//! nothing in this module talks to AWS, prints or prompts.

pub mod error;
pub mod headless;
pub mod policy;

pub use error::StorageError;

use serde_json::{Map, Value, json};

type Result<T, E = StorageError> = std::result::Result<T, E>;
use crate::project::names::{self, BadValue};
use crate::project::{AmplifyMeta, Doc, Project};

pub const CATEGORY: &str = "storage";

/// The pushed storage bucket and its region (what the client files name).
pub fn pushed_bucket(meta: &AmplifyMeta) -> Option<(String, String)> {
    meta.categories.get(CATEGORY)?.values().find_map(|r| {
        r.last_push_time_stamp.as_ref()?;
        let o = r.output.as_ref()?;
        let bucket = o.get("BucketName")?.as_str()?.to_string();
        let region = o
            .get("Region")
            .and_then(|v| v.as_str())
            .or(meta.region())?
            .to_string();
        Some((bucket, region))
    })
}

/// What a kind of user may do with objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    CreateAndUpdate,
    Read,
    Delete,
}

impl Access {
    pub const ALL: [Access; 3] = [Access::CreateAndUpdate, Access::Read, Access::Delete];

    /// The name in cli-inputs.json (Amplify's S3AccessType).
    pub fn amplify_name(self) -> &'static str {
        match self {
            Access::CreateAndUpdate => "CREATE_AND_UPDATE",
            Access::Read => "READ",
            Access::Delete => "DELETE",
        }
    }

    /// The name on the command line and in headless JSON.
    pub fn flag_name(self) -> &'static str {
        match self {
            Access::CreateAndUpdate => "create",
            Access::Read => "read",
            Access::Delete => "delete",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Access::CreateAndUpdate => "create/update",
            Access::Read => "read",
            Access::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Access> {
        Access::ALL
            .into_iter()
            .find(|a| a.flag_name() == s || a.amplify_name() == s || a.label() == s)
    }

    /// `create,read` → the set, in canonical order; an unknown word is an error.
    pub fn parse_list(s: &str) -> Result<Vec<Access>, String> {
        let mut out = Vec::new();
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let a = Access::parse(word)
                .ok_or_else(|| format!("'{word}' is not one of: create, read, delete"))?;
            if !out.contains(&a) {
                out.push(a);
            }
        }
        out.sort();
        Ok(out)
    }
}

/// A storage resource as the project records it (cli-inputs.json).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageSettings {
    pub resource_name: String,
    /// The bucket name without the env suffix.
    pub bucket_name: String,
    pub auth_access: Vec<Access>,
    /// Empty: no guest access.
    pub guest_access: Vec<Access>,
}

impl StorageSettings {
    pub fn guests(&self) -> bool {
        !self.guest_access.is_empty()
    }

    /// `amplify/backend/storage/<name>/cli-inputs.json`, in Amplify's shape.
    pub fn cli_inputs(&self) -> Map<String, Value> {
        let names = |v: &[Access]| v.iter().map(|a| a.amplify_name()).collect::<Vec<_>>();
        let mut m = Map::new();
        m.insert("resourceName".into(), json!(self.resource_name));
        m.insert("bucketName".into(), json!(self.bucket_name));
        m.insert(
            "storageAccess".into(),
            json!(if self.guests() {
                "authAndGuest"
            } else {
                "auth"
            }),
        );
        m.insert("guestAccess".into(), json!(names(&self.guest_access)));
        m.insert("authAccess".into(), json!(names(&self.auth_access)));
        m.insert("triggerFunction".into(), json!("NONE"));
        m.insert("groupAccess".into(), json!({}));
        m
    }

    /// Reads cli-inputs.json; a key of the wrong type or with an unknown value is
    /// an error naming it (never silently read as "no access").
    pub fn from_cli_inputs(m: &Map<String, Value>) -> Result<StorageSettings, BadValue> {
        let bad = |at: String, what, found: String, rule| BadValue {
            at,
            what,
            found,
            rule,
        };
        let text = |k: &str, what, rule, ok: fn(&str) -> bool| match m.get(k) {
            Some(Value::String(s)) if ok(s) => Ok(s.clone()),
            Some(v) => Err(bad(k.into(), what, v.to_string(), rule)),
            None => Err(bad(
                k.into(),
                what,
                "nothing (the key is missing)".into(),
                rule,
            )),
        };
        let list = |k: &str| -> Result<Vec<Access>, BadValue> {
            let items = match m.get(k) {
                None => return Ok(Vec::new()),
                Some(Value::Array(items)) => items,
                Some(v) => return Err(bad(k.into(), "access list", v.to_string(), ACCESS_RULE)),
            };
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let access = item
                    .as_str()
                    .and_then(|s| Access::ALL.into_iter().find(|a| a.amplify_name() == s))
                    .ok_or_else(|| {
                        bad(format!("{k}[{i}]"), "access", item.to_string(), ACCESS_RULE)
                    })?;
                if !out.contains(&access) {
                    out.push(access);
                }
            }
            out.sort();
            Ok(out)
        };
        let guests = match m.get("storageAccess") {
            None => false,
            Some(Value::String(s)) if s == "auth" => false,
            Some(Value::String(s)) if s == "authAndGuest" => true,
            Some(v) => {
                return Err(bad(
                    "storageAccess".into(),
                    "storage access",
                    v.to_string(),
                    "storageAccess is \"auth\" or \"authAndGuest\".",
                ));
            }
        };
        let (auth_access, guest_access) = (list("authAccess")?, list("guestAccess")?);
        Ok(StorageSettings {
            resource_name: text(
                "resourceName",
                "resource name",
                names::STORAGE_RESOURCE_RULE,
                names::is_storage_resource,
            )?,
            bucket_name: text("bucketName", "bucket name", BUCKET_BASE_RULE, |b| {
                check_bucket_name(b).is_ok()
            })?,
            auth_access,
            guest_access: if guests { guest_access } else { Vec::new() },
        })
    }

    /// The env's bucket: Amplify suffixes the name with the env.
    pub fn env_bucket(&self, env: &str) -> String {
        format!("{}-{env}", self.bucket_name)
    }
}

/// The longest env suffix (`-` + 10 letters) still fits S3's 63 characters.
const MAX_BASE_LEN: usize = 63 - 11;

const BUCKET_BASE_RULE: &str = "Bucket names must be 3-52 characters (authwiz adds -<env>), lowercase letters, digits, dots and hyphens, start and end with a letter or digit, have no '..', and not look like an IP address.";

const ACCESS_RULE: &str =
    "Access lists are arrays of \"CREATE_AND_UPDATE\", \"READ\" and \"DELETE\".";

/// S3's bucket naming rules, checked locally (the env suffix is added later).
pub fn check_bucket_name(name: &str) -> Result<(), String> {
    if names::is_bucket(name, MAX_BASE_LEN) {
        Ok(())
    } else {
        Err(BUCKET_BASE_RULE.into())
    }
}

pub fn check_resource_name(name: &str) -> Result<(), String> {
    if names::is_storage_resource(name) {
        Ok(())
    } else {
        Err(names::STORAGE_RESOURCE_RULE.into())
    }
}

/// What the storage needs from auth: an identity pool, and unauthenticated
/// identities for guest access. Amplify's error for imported auth.
pub fn check_auth(settings_guests: bool, auth: Option<&AuthFacts>) -> Result<()> {
    let Some(auth) = auth else {
        return Err(StorageError::NoAuth(
            "Import a Cognito User Pool and Identity Pool first (`authwiz import auth`), then add storage.",
        ));
    };
    let incompatible = StorageError::IncompatibleAuth;
    if !auth.identity_pool {
        return Err(incompatible(format!(
            "Current auth configuration is: {}, but identityPoolAndUserPool was required.",
            auth.selections
        )));
    }
    if settings_guests && !auth.unauthenticated {
        return Err(incompatible(
            "Specified resource configuration requires Cognito Identity Provider unauthenticated access but it is not enabled.".into(),
        ));
    }
    Ok(())
}

/// The project's auth for `env`, checked to carry storage (with guests or not).
pub fn storage_auth(project: &Project, env: &str, guests: bool) -> Result<AuthFacts> {
    let facts = auth_facts(project, env)?;
    check_auth(guests, facts.as_ref())?;
    facts.ok_or(StorageError::NoAuth("Run `authwiz import auth` first."))
}

/// What storage needs to know about the project's auth for an env.
#[derive(Clone, Debug, Default)]
pub struct AuthFacts {
    pub resource_name: String,
    pub selections: String,
    pub identity_pool: bool,
    /// Unauthenticated identities allowed and an unauthenticated role present.
    pub unauthenticated: bool,
    pub identity_pool_id: Option<String>,
    pub auth_role: Option<String>,
    pub unauth_role: Option<String>,
}

/// The project's auth as storage sees it for `env`: its type (parameters.json)
/// and the env's identity pool and roles (team-provider-info.json).
pub fn auth_facts(project: &Project, env: &str) -> Result<Option<AuthFacts>> {
    let auth = "auth";
    let Some((name, resource)) = project
        .backend_config
        .value
        .categories
        .get(auth)
        .and_then(|c| c.iter().next())
    else {
        return Ok(None);
    };
    let mut facts = AuthFacts {
        resource_name: name.clone(),
        ..Default::default()
    };
    if !resource.is_imported() {
        return Err(StorageError::ManagedAuth(name.clone()));
    }
    let params: Option<Map<String, Value>> = project
        .store
        .read(format!("amplify/backend/auth/{name}/parameters.json"))?
        .map(|d| d.value);
    facts.selections = params
        .as_ref()
        .and_then(|p| p.get("authSelections"))
        .and_then(Value::as_str)
        .unwrap_or("userPoolOnly")
        .to_string();
    facts.identity_pool = facts.selections == "identityPoolAndUserPool";
    let env_params = project.env_params(env, auth, name);
    let get = |k: &str| {
        env_params
            .and_then(|p| p.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    facts.identity_pool_id = get("identityPoolId");
    facts.auth_role = get("authRoleName");
    facts.unauth_role = get("unauthRoleName");
    let allow = env_params
        .and_then(|p| p.get("allowUnauthenticatedIdentities"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    facts.unauthenticated = allow && facts.unauth_role.is_some();
    Ok(Some(facts))
}

pub fn resource_dir(name: &str) -> String {
    format!("{}/{CATEGORY}/{name}", crate::project::BACKEND_DIR)
}

pub fn cli_inputs_path(name: &str) -> String {
    format!("{}/cli-inputs.json", resource_dir(name))
}

/// The env's bucket for a storage resource: recorded in team-provider-info.json,
/// else `<bucketName>-<env>`.
pub fn storage_bucket(project: &Project, env: &str, settings: &StorageSettings) -> String {
    project
        .env_params(env, CATEGORY, &settings.resource_name)
        .and_then(|p| p.get("bucketName"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| settings.env_bucket(env))
}

/// The project's storage resources (backend-config.json).
pub fn storage_resources(project: &Project) -> Vec<String> {
    project
        .backend_config
        .value
        .categories
        .get(CATEGORY)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

/// A storage resource's cli-inputs.json, read strictly (names, access lists).
pub fn read_settings(project: &Project, name: &str) -> Result<StorageSettings> {
    let path = cli_inputs_path(name);
    let doc: Option<Doc<Map<String, Value>>> = project.store.read(&path)?;
    let Some(doc) = doc else {
        return Err(StorageError::MissingInputs {
            path,
            name: name.to_string(),
        });
    };
    let settings =
        StorageSettings::from_cli_inputs(&doc.value).map_err(|bad| bad.in_file(&path))?;
    if settings.resource_name != name {
        let bad = BadValue {
            at: "resourceName".into(),
            what: "resource name",
            found: Value::from(settings.resource_name).to_string(),
            rule: "It must be the name of the resource's folder (amplify/backend/storage/<name>/).",
        };
        return Err(bad.in_file(&path).into());
    }
    Ok(settings)
}

/// Records the env's bucket name (team-provider-info.json).
pub fn set_bucket(project: &mut Project, env: &str, settings: &StorageSettings) {
    // Keys another tool recorded for the resource stay.
    let mut params = project
        .env_params(env, CATEGORY, &settings.resource_name)
        .cloned()
        .unwrap_or_default();
    params.insert("bucketName".into(), json!(settings.env_bucket(env)));
    project.set_env_params(env, CATEGORY, &settings.resource_name, Some(params));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names() {
        for ok in ["abc", "my.bucket-1", "a1b"] {
            assert!(check_bucket_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            "Abc",
            "-abc",
            "abc-",
            "a..b",
            "192.168.1.1",
            "a_b",
            &"a".repeat(53),
        ] {
            assert!(check_bucket_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn access_lists() {
        assert_eq!(
            Access::parse_list("read, create,read").unwrap(),
            vec![Access::CreateAndUpdate, Access::Read]
        );
        assert_eq!(Access::parse_list("").unwrap(), vec![]);
        assert!(
            Access::parse_list("write")
                .unwrap_err()
                .contains("'write' is not one of")
        );
    }

    #[test]
    fn cli_inputs_of_the_wrong_shape_name_the_key() {
        let s = StorageSettings {
            resource_name: "files".into(),
            bucket_name: "bucket".into(),
            auth_access: vec![Access::Read],
            guest_access: vec![],
        };
        let with = |k: &str, v: Value| {
            let mut m = s.cli_inputs();
            m.insert(k.into(), v);
            StorageSettings::from_cli_inputs(&m).unwrap_err()
        };
        let e = with("authAccess", json!("READ"));
        assert_eq!(
            (e.at.as_str(), e.found.as_str()),
            ("authAccess", "\"READ\"")
        );
        let e = with("authAccess", json!(["READ", "ROOT"]));
        assert_eq!(
            (e.at.as_str(), e.found.as_str()),
            ("authAccess[1]", "\"ROOT\"")
        );
        assert_eq!(e.rule, ACCESS_RULE);
        assert_eq!(with("guestAccess", json!([5])).at, "guestAccess[0]");
        assert_eq!(with("storageAccess", json!("all")).at, "storageAccess");
        assert_eq!(with("bucketName", json!("*")).at, "bucketName");
        assert_eq!(with("resourceName", json!("../x")).at, "resourceName");
    }

    #[test]
    fn cli_inputs_round_trip() {
        let s = StorageSettings {
            resource_name: "files".into(),
            bucket_name: "bucket".into(),
            auth_access: vec![Access::CreateAndUpdate, Access::Read, Access::Delete],
            guest_access: vec![Access::Read],
        };
        assert_eq!(
            StorageSettings::from_cli_inputs(&s.cli_inputs()).unwrap(),
            s
        );
    }
}
