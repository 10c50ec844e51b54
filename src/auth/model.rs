//! The auth category's shared types: what the project files hold for an auth
//! resource (parameters.json of an import, cli-inputs.json of a managed resource,
//! the env-specific parameters in team-provider-info.json) and what an import
//! decided. Depends on nothing above the cloud and project models.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::triggers::catalog::Trigger;

use crate::cloud::cognito_identity::IdentityPool;
use crate::cloud::cognito_idp::{AppClient, MfaConfig, UserPool};
use crate::cloud::iam::role_name_from_arn;
use crate::project::Extra;

pub const CATEGORY: &str = "auth";

/// `authSelections` in parameters.json and cli-inputs.json.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthSelections {
    #[serde(rename = "userPoolOnly")]
    UserPoolOnly,
    #[serde(rename = "identityPoolAndUserPool")]
    IdentityPoolAndUserPool,
}

impl AuthSelections {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthSelections::UserPoolOnly => "userPoolOnly",
            AuthSelections::IdentityPoolAndUserPool => "identityPoolAndUserPool",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "userPoolOnly" => Some(AuthSelections::UserPoolOnly),
            "identityPoolAndUserPool" => Some(AuthSelections::IdentityPoolAndUserPool),
            _ => None,
        }
    }
}

pub use crate::vocab::MfaMode;

/// A user pool group's name: it is part of its IAM role's name
/// (`<userPoolId>-<group>GroupRole`), so only what a role name may hold.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct GroupName(String);

impl GroupName {
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
        if ok {
            Ok(GroupName(s.to_string()))
        } else {
            Err(format!(
                "{} is not a user pool group name: 1-40 letters, digits and _+=,.@- (it becomes part of an IAM role name)",
                crate::vocab::quoted(s)
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for GroupName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        GroupName::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl std::fmt::Display for GroupName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A number Amplify writes either as a number or as a string (`"8"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Number {
    Int(i64),
    Text(String),
}

impl Number {
    pub fn value(&self) -> Option<i64> {
        match self {
            Number::Int(n) => Some(*n),
            Number::Text(s) => s.trim().parse().ok(),
        }
    }
}

/// `amplify/backend/auth/<res>/parameters.json` of an imported resource, in the
/// Amplify CLI's key order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedParameters {
    pub auth_selections: AuthSelections,
    pub resource_name: String,
    #[serde(default = "imported")]
    pub service_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias_attributes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub username_attributes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_providers_user_pool: Option<Vec<String>>,
    #[serde(default)]
    pub required_attributes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy_min_length: Option<Number>,
    #[serde(default)]
    pub password_policy_characters: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<MfaMode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auto_verified_attributes: Vec<String>,
    #[serde(default)]
    pub mfa_types: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

fn imported() -> String {
    "imported".into()
}

/// `amplify/backend/auth/<res>/cli-inputs.json` of an Amplify-managed resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CliInputs {
    pub version: String,
    pub cognito_config: CognitoConfig,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `cognitoConfig` with the Amplify CLI's keys (14.x), in its order. Keys that
/// Amplify writes only for some configurations are optional; unknown keys are kept.
/// `triggers` as an object or a JSON text of one; `{}` is none.
fn triggers_object_or_text<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<Trigger, Vec<String>>>, D::Error> {
    use serde::de::Error;
    let v = Option::<Value>::deserialize(d)?;
    let v = match v {
        Some(Value::String(text)) => serde_json::from_str(&text).map_err(D::Error::custom)?,
        Some(v) => v,
        None => return Ok(None),
    };
    let map: BTreeMap<Trigger, Vec<String>> =
        serde_json::from_value(v).map_err(D::Error::custom)?;
    Ok((!map.is_empty()).then_some(map))
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_pool_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_unauthenticated_identities: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name_truncated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_verified_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<MfaMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_verification_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_password_policy: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy_min_length: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy_characters: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userpool_client_generate_secret: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userpool_client_refresh_token_validity: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userpool_client_write_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userpool_client_read_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userpool_client_lambda_role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userpool_client_set_attributes: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_selections: Option<AuthSelections>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_default: Option<String>,
    /// The modules of each Lambda trigger (Amplify writes an object; older
    /// versions a JSON text of one, read alike).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "triggers_object_or_text"
    )]
    pub triggers: Option<BTreeMap<Trigger, Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_groups: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_group_list: Option<Vec<GroupName>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_queries: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_auth: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_providers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "hostedUI")]
    pub hosted_ui: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "hostedUIDomainName")]
    pub hosted_ui_domain_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_providers_user_pool: Option<Vec<String>>,
    /// JSON text, as Amplify stores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "hostedUIProviderMeta")]
    pub hosted_ui_provider_meta: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "oAuthMetadata")]
    pub o_auth_metadata: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_case_sensitive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_enabled_mfas: Option<bool>,
    /// CloudFormation references (`{"Fn::GetAtt": [...]}`), kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_role_arn: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unauth_role_arn: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_circular_dependency: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<Value>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `<env>.categories.auth.<res>` in team-provider-info.json for an imported
/// resource, in the Amplify CLI's key order; unknown keys are kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedEnvParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_pool_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_pool_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_unauthenticated_identities: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_role_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unauth_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unauth_role_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazon_app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facebook_app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apple_app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub google_client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub google_ios: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub google_android: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl ImportedEnvParams {
    /// Reads the recorded parameters; `Err` names the key whose type is wrong.
    pub fn from_map(map: &Map<String, Value>) -> Result<Self, String> {
        serde_path_to_error::deserialize(Value::Object(map.clone()))
            .map_err(|e| format!("`{}`: {}", e.path(), e.inner()))
    }

    pub fn to_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }

    /// The ids that the env's import records, with empty strings as absent.
    fn non_empty(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|s| !s.is_empty())
    }

    pub fn user_pool(&self) -> Option<&str> {
        Self::non_empty(&self.user_pool_id)
    }
    pub fn web_client(&self) -> Option<&str> {
        Self::non_empty(&self.web_client_id)
    }
    pub fn native_client(&self) -> Option<&str> {
        Self::non_empty(&self.native_client_id)
    }
    pub fn identity_pool(&self) -> Option<&str> {
        Self::non_empty(&self.identity_pool_id)
    }
    pub fn auth_role(&self) -> Option<&str> {
        Self::non_empty(&self.auth_role_name)
    }
    pub fn unauth_role(&self) -> Option<&str> {
        Self::non_empty(&self.unauth_role_name)
    }
}

/// A role the identity pool hands out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRef {
    pub arn: String,
    pub name: String,
}

impl RoleRef {
    /// `None` when the ARN has no role name.
    pub fn parse(arn: &str) -> Option<RoleRef> {
        Some(RoleRef {
            arn: arn.to_string(),
            name: role_name_from_arn(arn)?.to_string(),
        })
    }
}

/// The OAuth settings the project takes from the web client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OAuthSettings {
    pub providers: Vec<String>,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub flows: Vec<String>,
    pub scopes: Vec<String>,
    pub flows_user_pool_client: bool,
}

/// The identity pool side of an import.
#[derive(Clone, Debug)]
pub struct LinkedIdentityPool {
    pub pool: IdentityPool,
    pub auth_role: RoleRef,
    /// Absent when the pool allows no unauthenticated identities and has no such role.
    pub unauth_role: Option<RoleRef>,
}

/// Everything an import decided.
#[derive(Clone, Debug)]
pub struct Imported {
    pub resource_name: String,
    pub selections: AuthSelections,
    pub region: String,
    pub pool: UserPool,
    pub web: AppClient,
    pub native: AppClient,
    pub identity: Option<LinkedIdentityPool>,
    /// From the web client, when it has OAuth enabled.
    pub oauth: Option<OAuthSettings>,
    /// The native client's own callback / logout URLs, when they differ from the web client's.
    pub native_urls: Option<(Vec<String>, Vec<String>)>,
    pub mfa: MfaConfig,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_keep_unknown_keys_and_order() {
        let text = r#"{"authSelections":"userPoolOnly","resourceName":"r","serviceType":"imported","region":"us-east-1","requiredAttributes":["email"],"passwordPolicyMinLength":8,"passwordPolicyCharacters":[],"mfaConfiguration":"OPTIONAL","mfaTypes":[],"custom":1}"#;
        let p: ImportedParameters = serde_json::from_str(text).unwrap();
        assert_eq!(p.extra.get("custom"), Some(&serde_json::json!(1)));
        assert_eq!(serde_json::to_string(&p).unwrap(), text);
    }

    #[test]
    fn env_params_name_the_wrong_key() {
        let mut m = Map::new();
        m.insert("userPoolId".into(), serde_json::json!(5));
        let err = ImportedEnvParams::from_map(&m).unwrap_err();
        assert!(err.starts_with("`userPoolId`"), "{err}");
    }

    #[test]
    fn cli_inputs_of_the_fixtures_round_trip() {
        let text = include_str!(
            "../../tests/fixtures/amplify-cli-14.2.2-managed/42-default-add-auth/amplify/backend/auth/mgdprojauth/cli-inputs.json"
        );
        let v: Value = serde_json::from_str(text).unwrap();
        let c: CliInputs = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(
            c.cognito_config.auth_selections,
            Some(AuthSelections::IdentityPoolAndUserPool)
        );
        assert!(
            c.cognito_config.extra.is_empty(),
            "{:?}",
            c.cognito_config.extra
        );
        assert_eq!(serde_json::to_value(&c).unwrap(), v);
    }
}
