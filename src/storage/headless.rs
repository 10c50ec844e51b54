//! authwiz's storage request (`add storage --headless`, `update storage
//! --headless`): `{"version":1,"resourceName":..,"bucketName":..,"authAccess":[..],
//! "guestAccess":[..]}`, a closed schema whose problems are named by key.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StorageRequest {
    #[allow(dead_code)]
    version: u64,
    #[serde(default)]
    resource_name: Option<String>,
    #[serde(default)]
    bucket_name: Option<String>,
    #[serde(default)]
    auth_access: Option<Vec<String>>,
    #[serde(default)]
    guest_access: Option<Vec<String>>,
}

pub const EXAMPLE: &str = "Pipe {\"version\":1,\"resourceName\":\"files\",\"bucketName\":\"my-bucket\",\"authAccess\":[\"create\",\"read\",\"delete\"],\"guestAccess\":[\"read\"]} (guestAccess optional).";

/// The request as answers to the storage questions (by question id); an error
/// says what is wrong, naming the key.
pub fn answers(text: &str) -> Result<Vec<(&'static str, Option<String>)>, String> {
    let v: Value = serde_json::from_str(text.trim())
        .map_err(|e| format!("The headless payload on stdin is not valid JSON: {e}."))?;
    if v.get("version").and_then(Value::as_u64) != Some(1) {
        return Err("The headless payload needs \"version\": 1.".into());
    }
    for key in ["authAccess", "guestAccess"] {
        if let Some(a) = v.get(key)
            && !a
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string))
        {
            return Err(format!(
                "\"{key}\" must be an array of \"create\", \"read\", \"delete\"."
            ));
        }
    }
    let req: StorageRequest = serde_path_to_error::deserialize(&v).map_err(|e| {
        format!(
            "The headless payload has a wrong value at `{}`: {}.",
            e.path(),
            e.inner()
        )
    })?;
    let guest = req
        .guest_access
        .map(|g| g.join(","))
        .filter(|g| !g.is_empty());
    // Guests get access exactly when the request lists some.
    let who = if guest.is_some() {
        "authAndGuest"
    } else {
        "auth"
    };
    Ok(vec![
        ("name", req.resource_name),
        ("bucket-name", req.bucket_name),
        ("auth-access", req.auth_access.map(|a| a.join(","))),
        ("who", Some(who.to_string())),
        ("guest-access", guest),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_checked_by_key() {
        let ok =
            answers(r#"{"version":1,"resourceName":"f","bucketName":"b","authAccess":["read"]}"#)
                .unwrap();
        assert_eq!(ok[2], ("auth-access", Some("read".into())));
        assert_eq!(ok[3], ("who", Some("auth".into())));
        let err = |s: &str| answers(s).unwrap_err();
        assert!(err("{").contains("not valid JSON"));
        assert!(err(r#"{"version":2}"#).contains("\"version\": 1"));
        assert!(
            err(r#"{"version":1,"authAccess":"read"}"#).contains("\"authAccess\" must be an array")
        );
        assert!(
            err(r#"{"version":1,"resourceName":5}"#).contains("`resourceName`"),
            "{}",
            err(r#"{"version":1,"resourceName":5}"#)
        );
        assert!(
            err(r#"{"version":1,"bucket":"x"}"#).contains("unknown field `bucket`"),
            "{}",
            err(r#"{"version":1,"bucket":"x"}"#)
        );
    }
}
