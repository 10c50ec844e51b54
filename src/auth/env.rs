//! Which ids an env's imported auth resource gets in headless runs: `--categories`
//! JSON, else Amplify Hosting's AMPLIFY_* variables (empty = not given).

use serde::Deserialize;
use serde_json::Value;

use super::error::AuthError;
use super::ids::{ClientId, GivenIds, IdentityPoolId, UserPoolId, given};
use super::model::AuthSelections;

type Result<T, E = AuthError> = std::result::Result<T, E>;

/// The variables Amplify Hosting sets for imported auth, by headless key.
pub const VARIABLES: [(&str, &str); 4] = [
    ("userPoolId", "AMPLIFY_USERPOOL_ID"),
    ("webClientId", "AMPLIFY_WEBCLIENT_ID"),
    ("nativeClientId", "AMPLIFY_NATIVECLIENT_ID"),
    ("identityPoolId", "AMPLIFY_IDENTITYPOOL_ID"),
];

/// `--categories` as Amplify's headless env commands take it (auth only).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Categories {
    #[serde(default)]
    auth: Option<AuthCategory>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AuthCategory {
    user_pool_id: Option<String>,
    web_client_id: Option<String>,
    native_client_id: Option<String>,
    identity_pool_id: Option<String>,
}

fn categories_error(what: String) -> AuthError {
    AuthError::EnvIds {
        what: format!(
            "--categories {what}; expected {{\"auth\":{{\"userPoolId\":\"...\",\"webClientId\":\"...\",\"nativeClientId\":\"...\",\"identityPoolId\":\"...\"}}}} with string values."
        ),
    }
}

fn parse_categories(json: &str) -> Result<AuthCategory> {
    let v: Value = serde_json::from_str(json)
        .map_err(|e| categories_error(format!("is not valid JSON ({e})")))?;
    // serde would read a struct from an array too; the schema wants objects.
    if !v.is_object() {
        return Err(categories_error(
            "has a wrong value at the top level: not an object".into(),
        ));
    }
    if v.get("auth").is_some_and(|a| !a.is_object()) {
        return Err(categories_error(
            "has a wrong value at `auth`: not an object".into(),
        ));
    }
    let c: Categories = serde_path_to_error::deserialize(&v).map_err(|e| {
        let at = e.path().to_string();
        let at = if at == "." {
            "the top level".to_string()
        } else {
            format!("`{at}`")
        };
        categories_error(format!("has a wrong value at {at}: {}", e.into_inner()))
    })?;
    Ok(c.auth.unwrap_or_default())
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
            let auth = parse_categories(json)?;
            let values = [
                auth.user_pool_id,
                auth.web_client_id,
                auth.native_client_id,
                auth.identity_pool_id,
            ]
            .into_iter()
            .map(|v| v.filter(|s| !s.is_empty()))
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
        return Err(AuthError::EnvIds {
            what: format!(
                "auth headless is missing the following inputParameters {}",
                missing.join(", ")
            ),
        });
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
        for bad in [
            r#"{"auth":{"userPoolId":5}}"#,
            r#"{"auth":{"userPoolID":"us-east-1_a"}}"#,
            r#"{"auth":"x"}"#,
            r#"{"auth":[]}"#,
            r#"[]"#,
        ] {
            let err = headless_ids(Some(bad), none, AuthSelections::UserPoolOnly)
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("--categories has a wrong value at"),
                "{bad}: {err}"
            );
        }
        let err = headless_ids(
            Some(r#"{"auth":{"userPoolID":"x"}}"#),
            none,
            AuthSelections::UserPoolOnly,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("`auth.userPoolID`") || err.contains("userPoolID"),
            "{err}"
        );
    }
}
