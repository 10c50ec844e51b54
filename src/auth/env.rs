//! Which ids an env's imported auth resource gets in headless runs: `--categories`
//! JSON, else Amplify Hosting's AMPLIFY_* variables (empty = not given).

use serde_json::Value;

use crate::error::{Error, Result};

use super::AuthSelections;
use super::ids::{ClientId, GivenIds, IdentityPoolId, UserPoolId, given};

/// The variables Amplify Hosting sets for imported auth, by headless key.
pub const VARIABLES: [(&str, &str); 4] = [
    ("userPoolId", "AMPLIFY_USERPOOL_ID"),
    ("webClientId", "AMPLIFY_WEBCLIENT_ID"),
    ("nativeClientId", "AMPLIFY_NATIVECLIENT_ID"),
    ("identityPoolId", "AMPLIFY_IDENTITYPOOL_ID"),
];

pub fn where_to_supply() -> String {
    "Supply them with --categories '{\"auth\":{\"userPoolId\":\"...\",\"webClientId\":\"...\",\"nativeClientId\":\"...\",\"identityPoolId\":\"...\"}}' or the variables AMPLIFY_USERPOOL_ID, AMPLIFY_WEBCLIENT_ID, AMPLIFY_NATIVECLIENT_ID and AMPLIFY_IDENTITYPOOL_ID (https://docs.amplify.aws/cli/usage/headless/#--categories).".into()
}

/// The ids given for headless env init, or `None` when none is given. When any
/// is given, every required one must be.
pub fn headless_ids(
    categories: Option<&str>,
    var: impl Fn(&str) -> Option<String>,
    selections: AuthSelections,
) -> Result<Option<GivenIds>> {
    let (source, values): (&str, Vec<Option<String>>) = match categories {
        Some(json) => {
            let v: Value = serde_json::from_str(json).map_err(|e| {
                Error::refused(
                    format!("--categories is not valid JSON: {e}."),
                    "Pass an object like --categories '{\"auth\":{\"userPoolId\":\"...\",\"webClientId\":\"...\",\"nativeClientId\":\"...\"}}'.",
                )
            })?;
            let auth = v.get("auth").cloned().unwrap_or(Value::Null);
            let values = VARIABLES
                .iter()
                .map(|(k, _)| {
                    auth.get(*k)
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                })
                .collect();
            ("--categories", values)
        }
        None => (
            "the AMPLIFY_* variables",
            VARIABLES
                .iter()
                .map(|(_, var_name)| var(var_name).filter(|s| !s.is_empty()))
                .collect(),
        ),
    };
    if values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let required = match selections {
        AuthSelections::IdentityPoolAndUserPool => 4,
        AuthSelections::UserPoolOnly => 3,
    };
    let missing: Vec<&str> = VARIABLES[..required]
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|((k, _), _)| *k)
        .collect();
    if !missing.is_empty() {
        return Err(Error::refused(
            format!(
                "auth headless is missing the following inputParameters {}",
                missing.join(", ")
            ),
            where_to_supply(),
        ));
    }
    let at = |k: &str| format!("{k} in {source}");
    Ok(Some(GivenIds {
        user_pool: values[0]
            .as_deref()
            .map(|s| given(UserPoolId::parse, s, &at("userPoolId")))
            .transpose()?,
        web_client: values[1]
            .as_deref()
            .map(|s| given(ClientId::parse, s, &at("webClientId")))
            .transpose()?,
        native_client: values[2]
            .as_deref()
            .map(|s| given(ClientId::parse, s, &at("nativeClientId")))
            .transpose()?,
        // Amplify ignores an identity pool id for a user-pool-only resource.
        identity_pool: match selections {
            AuthSelections::IdentityPoolAndUserPool => values[3]
                .as_deref()
                .map(|s| given(IdentityPoolId::parse, s, &at("identityPoolId")))
                .transpose()?,
            AuthSelections::UserPoolOnly => None,
        },
    }))
}

/// The ids recorded for an env (team-provider-info.json), if complete.
pub fn recorded_ids(
    params: Option<&serde_json::Map<String, Value>>,
    selections: AuthSelections,
) -> Option<GivenIds> {
    let ids = GivenIds::from_params(params);
    let complete = ids.user_pool.is_some()
        && ids.web_client.is_some()
        && ids.native_client.is_some()
        && (selections == AuthSelections::UserPoolOnly || ids.identity_pool.is_some());
    complete.then_some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn nothing_given_is_none() {
        assert_eq!(
            headless_ids(None, none, AuthSelections::UserPoolOnly).unwrap(),
            None
        );
        assert_eq!(
            headless_ids(
                Some("{}"),
                |_| Some("x".into()),
                AuthSelections::UserPoolOnly
            )
            .unwrap(),
            None,
            "--categories wins"
        );
    }

    #[test]
    fn partial_ids_name_what_is_missing_and_where() {
        let vars = |k: &str| (k == "AMPLIFY_USERPOOL_ID").then(|| "us-east-1_abc".to_string());
        let err = headless_ids(None, vars, AuthSelections::IdentityPoolAndUserPool)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("auth headless is missing the following inputParameters webClientId, nativeClientId, identityPoolId"), "{err}");
        assert!(err.contains("AMPLIFY_WEBCLIENT_ID"));
        let empty_is_not_given = |k: &str| {
            Some(
                if k == "AMPLIFY_USERPOOL_ID" {
                    "us-east-1_a"
                } else {
                    ""
                }
                .to_string(),
            )
        };
        assert!(headless_ids(None, empty_is_not_given, AuthSelections::UserPoolOnly).is_err());
    }

    #[test]
    fn categories_json() {
        let json = r#"{"auth":{"userPoolId":"us-east-1_a","webClientId":"w","nativeClientId":"n","identityPoolId":"us-east-1:1-2"}}"#;
        let ids = headless_ids(Some(json), none, AuthSelections::UserPoolOnly)
            .unwrap()
            .unwrap();
        assert_eq!(ids.identity_pool, None, "ignored for user-pool-only");
        let ids = headless_ids(Some(json), none, AuthSelections::IdentityPoolAndUserPool)
            .unwrap()
            .unwrap();
        assert_eq!(ids.identity_pool.unwrap().as_str(), "us-east-1:1-2");
        assert!(
            headless_ids(Some("{"), none, AuthSelections::UserPoolOnly)
                .unwrap_err()
                .to_string()
                .contains("--categories is not valid JSON")
        );
    }
}
