//! Lambda functions of auth triggers: the calls managed auth makes (create a
//! function from a zip, change its code or configuration, let Cognito invoke
//! it, delete it) as [`FunctionApi`] (over the SDK in `lambda_sdk`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::CloudError;

/// A function as authwiz deploys it (its code by SHA-256, as Lambda reports it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionSpec {
    pub name: String,
    /// The execution role's ARN.
    pub role: String,
    pub runtime: String,
    pub handler: String,
    pub timeout: i32,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    /// Base64 SHA-256 of the zip (Lambda's `CodeSha256`).
    pub code_sha256: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A function as it is: its spec and ARN.
#[derive(Clone, Debug)]
pub struct LiveFunction {
    pub arn: String,
    pub spec: FunctionSpec,
}

/// The calls for trigger functions and Cognito's permission to invoke one.
#[allow(async_fn_in_trait)]
pub trait FunctionApi {
    async fn read_function(&self, name: &str) -> Result<Option<LiveFunction>, CloudError>;
    /// Creates it; returns its ARN.
    async fn create_function(&self, spec: &FunctionSpec, zip: &[u8]) -> Result<String, CloudError>;
    async fn update_function_code(&self, name: &str, zip: &[u8]) -> Result<(), CloudError>;
    async fn update_function_configuration(&self, spec: &FunctionSpec) -> Result<(), CloudError>;
    async fn delete_function(&self, name: &str) -> Result<(), CloudError>;
    /// The source ARN of the invoke permission `sid` of `function` (name or ARN).
    async fn read_invoke_permission(
        &self,
        function: &str,
        sid: &str,
    ) -> Result<Option<String>, CloudError>;
    /// Lets `cognito-idp.amazonaws.com` invoke `function` for `source` (a pool's ARN).
    async fn add_invoke_permission(
        &self,
        function: &str,
        sid: &str,
        source: &str,
    ) -> Result<(), CloudError>;
    async fn remove_invoke_permission(&self, function: &str, sid: &str) -> Result<(), CloudError>;
}

/// The principal a trigger's permission names.
pub const COGNITO_PRINCIPAL: &str = "cognito-idp.amazonaws.com";

/// The `AWS:SourceArn` of statement `sid` of a function's resource policy.
pub fn source_of(policy: &Value, sid: &str) -> Option<String> {
    policy["Statement"]
        .as_array()?
        .iter()
        .find(|s| s["Sid"] == sid)
        .and_then(|s| s["Condition"]["ArnLike"]["AWS:SourceArn"].as_str())
        .map(str::to_string)
}

/// Lambda's `CodeSha256` of a package: base64 of its SHA-256.
pub fn code_sha256(zip: &[u8]) -> String {
    use sha2::Digest;
    aws_smithy_types::base64::encode(sha2::Sha256::digest(zip))
}
