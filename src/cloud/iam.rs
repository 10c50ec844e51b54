//! IAM roles: reading them (and their URL-encoded trust policies).

use aws_sdk_iam::{Client, Config};
use serde_json::Value;

use super::CloudError;

#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub name: String,
    pub arn: String,
    /// The decoded trust policy (`AssumeRolePolicyDocument`).
    pub trust_policy: Value,
}

/// The role name of an ARN: the last segment of `role/path/Name`.
pub fn role_name_from_arn(arn: &str) -> Option<&str> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let rest = resource.strip_prefix("role/")?;
    rest.rsplit('/').next().filter(|n| !n.is_empty())
}

/// IAM returns policy documents percent-encoded (on AWS and on the emulator alike).
pub fn decode_policy(doc: &str) -> Value {
    let decoded = percent_encoding::percent_decode_str(doc).decode_utf8_lossy();
    serde_json::from_str(&decoded).unwrap_or(Value::Null)
}

#[allow(async_fn_in_trait)]
pub trait Iam {
    async fn get_role(&self, name: &str) -> Result<Role, CloudError>;
    /// An inline policy's document, or `None` when the role has no such policy.
    async fn get_role_policy(&self, role: &str, policy: &str) -> Result<Option<Value>, CloudError>;
    async fn put_role_policy(
        &self,
        role: &str,
        policy: &str,
        document: &Value,
    ) -> Result<(), CloudError>;
    async fn delete_role_policy(&self, role: &str, policy: &str) -> Result<(), CloudError>;
}

pub struct SdkIam {
    client: Client,
}

impl SdkIam {
    pub fn new(config: Config) -> Self {
        SdkIam {
            client: Client::from_conf(config),
        }
    }
}

impl Iam for SdkIam {
    async fn get_role(&self, name: &str) -> Result<Role, CloudError> {
        let out = self
            .client
            .get_role()
            .role_name(name)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk("iam:GetRole", format!("IAM role {name}"), e))?;
        let role = out.role().ok_or_else(|| CloudError::NotFound {
            action: "iam:GetRole",
            what: format!("IAM role {name}"),
        })?;
        Ok(Role {
            name: role.role_name().to_string(),
            arn: role.arn().to_string(),
            trust_policy: role
                .assume_role_policy_document()
                .map(decode_policy)
                .unwrap_or(Value::Null),
        })
    }

    async fn get_role_policy(&self, role: &str, policy: &str) -> Result<Option<Value>, CloudError> {
        match self
            .client
            .get_role_policy()
            .role_name(role)
            .policy_name(policy)
            .send()
            .await
        {
            Ok(out) => Ok(Some(decode_policy(out.policy_document()))),
            Err(e) => match CloudError::from_sdk(
                "iam:GetRolePolicy",
                format!("Policy {policy} of IAM role {role}"),
                e,
            ) {
                CloudError::NotFound { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    async fn put_role_policy(
        &self,
        role: &str,
        policy: &str,
        document: &Value,
    ) -> Result<(), CloudError> {
        self.client
            .put_role_policy()
            .role_name(role)
            .policy_name(policy)
            .policy_document(document.to_string())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| CloudError::from_sdk("iam:PutRolePolicy", format!("IAM role {role}"), e))
    }

    async fn delete_role_policy(&self, role: &str, policy: &str) -> Result<(), CloudError> {
        match self
            .client
            .delete_role_policy()
            .role_name(role)
            .policy_name(policy)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => match CloudError::from_sdk(
                "iam:DeleteRolePolicy",
                format!("Policy {policy} of IAM role {role}"),
                e,
            ) {
                // Already gone is what we wanted.
                CloudError::NotFound { .. } => Ok(()),
                other => Err(other),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_come_from_the_last_path_segment() {
        assert_eq!(
            role_name_from_arn("arn:aws:iam::123456789012:role/corp-auth"),
            Some("corp-auth")
        );
        assert_eq!(
            role_name_from_arn("arn:aws:iam::123456789012:role/service-role/a/Name"),
            Some("Name")
        );
        assert_eq!(role_name_from_arn("arn:aws:iam::123456789012:user/x"), None);
        assert_eq!(role_name_from_arn("garbage"), None);
    }

    #[test]
    fn policies_are_percent_decoded() {
        let v = decode_policy("%7B%22Version%22%3A%222012-10-17%22%7D");
        assert_eq!(v["Version"], "2012-10-17");
    }
}
