//! Amplify's ImportAuthRequest (version 1), read from stdin by
//! `import auth --headless`: a closed schema, every problem named by key.

use serde::Deserialize;
use serde_json::Value;

use crate::auth::error::AuthError;
use crate::auth::ids::{ClientId, GivenIds, IdentityPoolId, UserPoolId, given};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ImportAuthRequest {
    #[allow(dead_code)]
    version: u64,
    user_pool_id: String,
    web_client_id: String,
    native_client_id: String,
    #[serde(default)]
    identity_pool_id: Option<String>,
}

const KEYS: &[&str] = &[
    "version",
    "userPoolId",
    "webClientId",
    "nativeClientId",
    "identityPoolId",
];
const REQUIRED: &[&str] = &["userPoolId", "webClientId", "nativeClientId"];

fn bad(what: impl Into<String>) -> AuthError {
    AuthError::HeadlessPayload(what.into())
}

/// Reads and checks the payload; all problems of the schema are listed at once.
pub fn parse(text: &str) -> Result<GivenIds, AuthError> {
    let v: Value = serde_json::from_str(text.trim()).map_err(|e| {
        bad(format!(
            "The headless payload on stdin is not valid JSON: {e}."
        ))
    })?;
    let Some(obj) = v.as_object() else {
        return Err(bad("The headless payload must be a JSON object."));
    };
    match obj.get("version") {
        None => return Err(bad("data does not have a top level \"version\" field")),
        Some(n) if n.as_u64() == Some(1) => {}
        Some(n) => return Err(bad(format!("No schema found for version {n}"))),
    }
    let mut problems: Vec<String> = obj
        .keys()
        .filter(|k| !KEYS.contains(&k.as_str()))
        .map(|k| format!("unknown key \"{k}\""))
        .collect();
    for key in KEYS.iter().skip(1) {
        match obj.get(*key) {
            None if REQUIRED.contains(key) => {
                problems.push(format!("missing required key \"{key}\""))
            }
            None => {}
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(_) => problems.push(format!("\"{key}\" must be a non-empty string")),
        }
    }
    if !problems.is_empty() {
        return Err(bad(format!(
            "Data did not validate against the supplied schema: {}.",
            problems.join("; ")
        )));
    }
    let req: ImportAuthRequest = serde_path_to_error::deserialize(&v).map_err(|e| {
        bad(format!(
            "Data did not validate against the supplied schema: `{}`: {}.",
            e.path(),
            e.inner()
        ))
    })?;
    let at = |k: &str| format!("\"{k}\" in the headless JSON");
    Ok(GivenIds {
        user_pool: Some(given(
            UserPoolId::parse,
            &req.user_pool_id,
            &at("userPoolId"),
        )?),
        web_client: Some(given(
            ClientId::parse,
            &req.web_client_id,
            &at("webClientId"),
        )?),
        native_client: Some(given(
            ClientId::parse,
            &req.native_client_id,
            &at("nativeClientId"),
        )?),
        identity_pool: req
            .identity_pool_id
            .as_deref()
            .map(|s| given(IdentityPoolId::parse, s, &at("identityPoolId")))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headless_payload_validation() {
        let ok = parse(r#"{"version":1,"userPoolId":"us-east-1_abc","webClientId":"w1","nativeClientId":"n1"}"#).unwrap();
        assert_eq!(ok.identity_pool, None);
        let err = |s: &str| parse(s).unwrap_err().to_string();
        assert!(
            err(r#"{"userPoolId":"x"}"#)
                .starts_with("data does not have a top level \"version\" field")
        );
        assert!(err(r#"{"version":2}"#).starts_with("No schema found for version 2"));
        assert!(
            err(r#"{"version":1,"userPoolId":"us-east-1_abc"}"#).contains(
                "missing required key \"webClientId\"; missing required key \"nativeClientId\""
            )
        );
        assert!(
            err(r#"{"version":1,"userPoolId":"bad","webClientId":"w","nativeClientId":"n"}"#)
                .contains("'bad' is not a valid user pool id")
        );
        assert!(err("not json").starts_with("The headless payload on stdin is not valid JSON"));
        assert!(err(r#"{"version":1,"userPoolId":"us-east-1_a","webClientId":"w","nativeClientId":"n","extra":1}"#).contains("unknown key \"extra\""));
        assert!(
            err(r#"{"version":1,"userPoolId":"us-east-1_a","webClientId":5,"nativeClientId":"n"}"#)
                .contains("\"webClientId\" must be a non-empty string")
        );
    }
}
