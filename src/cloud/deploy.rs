//! The resources of Amplify-managed auth as authwiz deploys them: each one as a
//! spec (what push wants, and what a read returns, in the same shape so that
//! the two compare), and the calls that create, read, change and delete them.
//! Reads return `None` for what does not exist.

use crate::vocab::MfaMode;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::CloudError;
use super::lambda::FunctionApi;

/// A user pool's settings that authwiz manages. Lists are kept sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolSpec {
    pub name: String,
    pub min_length: i32,
    pub require_lowercase: bool,
    pub require_uppercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    /// OFF, ON or OPTIONAL.
    pub mfa: MfaMode,
    pub sms_mfa: bool,
    pub totp_mfa: bool,
    pub sms_authentication_message: Option<String>,
    pub username_attributes: Vec<String>,
    pub alias_attributes: Vec<String>,
    pub auto_verified_attributes: Vec<String>,
    pub required_attributes: Vec<String>,
    pub case_sensitive: bool,
    pub sms_verification_message: Option<String>,
    pub email_verification_subject: Option<String>,
    pub email_verification_message: Option<String>,
    /// The role Cognito sends SMS with, and the external id its trust asks for.
    pub sms_role_arn: Option<String>,
    pub sms_external_id: Option<String>,
    #[serde(default)]
    pub email_mfa: bool,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub overrides: PoolOverrides,
    /// Everything else UpdateUserPool takes (read; never wanted).
    #[serde(default, skip_serializing_if = "is_default")]
    pub others: PoolOthers,
}

/// override.json's `userPool` settings that are not fields of [`PoolSpec`]
/// itself. Serialized under their CloudFormation paths, so that the journal,
/// drift and `pull auth` name a setting as override.json does. Wanted: what
/// the file sets; read: what the pool has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolOverrides {
    #[serde(
        rename = "Policies.PasswordPolicy.TemporaryPasswordValidityDays",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub temporary_password_days: Option<i32>,
    #[serde(
        rename = "Policies.SignInPolicy.AllowedFirstAuthFactors",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first_auth_factors: Option<Vec<String>>,
    #[serde(
        rename = "UserPoolAddOns.AdvancedSecurityMode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub advanced_security_mode: Option<String>,
    #[serde(
        rename = "UserPoolTier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tier: Option<String>,
    #[serde(
        rename = "DeletionProtection",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub deletion_protection: Option<String>,
    #[serde(
        rename = "AccountRecoverySetting.RecoveryMechanisms",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub recovery_mechanisms: Option<Vec<RecoveryMechanism>>,
    #[serde(
        rename = "EmailConfiguration.EmailSendingAccount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_sending_account: Option<String>,
    #[serde(
        rename = "EmailConfiguration.From",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_from: Option<String>,
    #[serde(
        rename = "EmailConfiguration.SourceArn",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_source_arn: Option<String>,
    #[serde(
        rename = "EmailConfiguration.ReplyToEmailAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_reply_to: Option<String>,
    /// What SetUserPoolMfaConfig carries (not UpdateUserPool): see [`MfaOverrides`].
    #[serde(flatten)]
    pub mfa: MfaOverrides,
}

/// The overrides SetUserPoolMfaConfig carries: email MFA's message and
/// subject, WebAuthn's relying party and user verification.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaOverrides {
    #[serde(
        rename = "EmailAuthenticationMessage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_message: Option<String>,
    #[serde(
        rename = "EmailAuthenticationSubject",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_subject: Option<String>,
    #[serde(
        rename = "WebAuthnRelyingPartyID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub web_authn_relying_party: Option<String>,
    #[serde(
        rename = "WebAuthnUserVerification",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub web_authn_user_verification: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecoveryMechanism {
    pub name: String,
    pub priority: i32,
}

/// override.json's settings of an app client (the refresh token's period is
/// [`ClientSpec`]'s own), under their CloudFormation paths.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientOverrides {
    #[serde(
        rename = "ExplicitAuthFlows",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub explicit_auth_flows: Option<Vec<String>>,
    #[serde(
        rename = "AccessTokenValidity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub access_token_validity: Option<i32>,
    #[serde(
        rename = "IdTokenValidity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub id_token_validity: Option<i32>,
    #[serde(
        rename = "TokenValidityUnits.AccessToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub access_token_unit: Option<String>,
    #[serde(
        rename = "TokenValidityUnits.IdToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub id_token_unit: Option<String>,
    #[serde(
        rename = "TokenValidityUnits.RefreshToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub refresh_token_unit: Option<String>,
    #[serde(
        rename = "AuthSessionValidity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_session_validity: Option<i32>,
    #[serde(
        rename = "EnableTokenRevocation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_token_revocation: Option<bool>,
    #[serde(
        rename = "PreventUserExistenceErrors",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub prevent_user_existence_errors: Option<String>,
}

/// override.json's settings of the identity pool.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityPoolOverrides {
    #[serde(
        rename = "AllowClassicFlow",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_classic_flow: Option<bool>,
}

/// `wanted` over `live`: what a file sets wins, what it no longer names stays
/// as the resource has it (an update resets what it is not sent).
pub fn over<T: Serialize + serde::de::DeserializeOwned>(live: &T, wanted: T) -> T {
    let (Ok(Value::Object(mut all)), Ok(Value::Object(set))) =
        (serde_json::to_value(live), serde_json::to_value(&wanted))
    else {
        return wanted;
    };
    all.extend(set);
    serde_json::from_value(Value::Object(all)).unwrap_or(wanted)
}

pub fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// What UpdateUserPool takes that the project's files do not set: Lambda
/// triggers, device tracking, admin-only sign-up, ... made in the console or by
/// another tool. Read from the pool and sent back as it is (AWS resets what an
/// update omits), never compared with what the files want. AWS's field names,
/// so that a setting is named as the console and the API name it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolOthers {
    #[serde(default, skip_serializing_if = "is_default")]
    pub lambda_config: LambdaConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_attribute_update_settings: Option<AttributeUpdateSettings>,
    /// The parts of the verification message template the files do not set.
    #[serde(default, skip_serializing_if = "is_default")]
    pub verification_message_template: VerificationByLink,
    #[serde(default, skip_serializing_if = "is_default")]
    pub sms_configuration: SmsRegion,
    #[serde(default, skip_serializing_if = "is_default")]
    pub email_configuration: EmailConfigurationSet,
    #[serde(default, skip_serializing_if = "is_default")]
    pub user_pool_add_ons: AdditionalFlows,
}

/// A pool's Lambda triggers, by AWS's names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LambdaConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_sign_up: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_confirmation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_authentication: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_authentication: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub define_auth_challenge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_auth_challenge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_auth_challenge_response: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_token_generation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_migration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_token_generation_config: Option<VersionedLambda>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_sms_sender: Option<VersionedLambda>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_email_sender: Option<VersionedLambda>,
    #[serde(default, rename = "KMSKeyID", skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersionedLambda {
    pub lambda_arn: String,
    pub lambda_version: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfiguration {
    pub challenge_required_on_new_device: bool,
    pub device_only_remembered_on_user_prompt: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    pub allow_admin_create_user_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_account_validity_days: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<MessageTemplate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageTemplate {
    #[serde(
        default,
        rename = "SMSMessage",
        skip_serializing_if = "Option::is_none"
    )]
    pub sms_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeUpdateSettings {
    #[serde(default)]
    pub attributes_require_verification_before_update: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationByLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message_by_link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject_by_link: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SmsRegion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_region: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailConfigurationSet {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_set: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdditionalFlows {
    /// `AdvancedSecurityAdditionalFlows.CustomAuthMode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_auth_mode: Option<String>,
}

/// What UpdateUserPoolClient takes that the project's files do not set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientOthers {
    #[serde(
        default,
        rename = "DefaultRedirectURI",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_redirect_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_configuration: Option<Analytics>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_propagate_additional_user_context_data: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<RefreshTokenRotation>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Analytics {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default)]
    pub user_data_shared: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RefreshTokenRotation {
    pub feature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_grace_period_seconds: Option<i32>,
}

/// What UpdateIdentityPool takes that the project's files do not set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolOthers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_provider_name: Option<String>,
    #[serde(
        default,
        rename = "OpenIdConnectProviderARNs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub open_id_connect_provider_arns: Vec<String>,
    #[serde(
        default,
        rename = "SamlProviderARNs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub saml_provider_arns: Vec<String>,
    /// The user pool providers (name, client) whose tokens are checked server-side.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub server_side_token_check: Vec<(String, String)>,
}

/// What UpdateGroup takes that the project's files do not set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupOthers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What UpdateIdentityProvider takes that the project's files do not set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderOthers {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub idp_identifiers: Vec<String>,
}

impl PoolSpec {
    /// What SetUserPoolMfaConfig sets, to tell whether it must be called.
    pub fn mfa_settings(&self) -> Value {
        serde_json::json!([
            self.mfa,
            self.sms_mfa,
            self.totp_mfa,
            self.email_mfa,
            self.sms_authentication_message,
            self.overrides.mfa
        ])
    }

    /// Whether a new pool needs SetUserPoolMfaConfig at all.
    pub fn needs_mfa_call(&self) -> bool {
        !self.mfa.is_off()
            || self.sms_mfa
            || self.totp_mfa
            || self.email_mfa
            || self.overrides.mfa.web_authn_relying_party.is_some()
    }
}

/// A user pool as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LivePool {
    pub id: String,
    pub arn: String,
    pub spec: PoolSpec,
    pub users: i64,
}

/// An app client's settings that authwiz manages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientSpec {
    pub name: String,
    pub generate_secret: bool,
    pub refresh_token_days: i32,
    pub read_attributes: Vec<String>,
    pub write_attributes: Vec<String>,
    pub oauth_flows: Vec<String>,
    pub oauth_scopes: Vec<String>,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub identity_providers: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub overrides: ClientOverrides,
    #[serde(default, skip_serializing_if = "is_default")]
    pub others: ClientOthers,
}

/// An app client as it is: its id, settings and secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveClient {
    pub id: String,
    pub spec: ClientSpec,
    pub secret: Option<String>,
}

/// A social identity provider of a user pool (Google, Facebook, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSpec {
    pub name: String,
    pub provider_type: String,
    pub details: BTreeMap<String, String>,
    pub attribute_mapping: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub others: ProviderOthers,
}

/// A hosted UI domain prefix and the user pool it answers for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainSpec {
    pub domain: String,
    pub user_pool: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSpec {
    pub name: String,
    pub precedence: Option<i32>,
    pub role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub others: GroupOthers,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityPoolSpec {
    pub name: String,
    pub allow_unauthenticated: bool,
    /// (`cognito-idp.<region>.amazonaws.com/<poolId>`, client id), sorted.
    pub cognito_providers: Vec<(String, String)>,
    pub login_providers: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub overrides: IdentityPoolOverrides,
    #[serde(default, skip_serializing_if = "is_default")]
    pub others: IdentityPoolOthers,
}

/// An identity pool's role attachment (apart from the pool: the roles' trust
/// names the pool, and the pool names the roles).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolRoles {
    pub auth_role: Option<String>,
    pub unauth_role: Option<String>,
    /// Identity providers (`<provider>:<client>`) whose tokens choose the role.
    pub token_role_mappings: Vec<String>,
}

/// An IAM role's trust; its inline policies are resources of their own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleSpec {
    pub name: String,
    pub trust: Value,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// User pools: found by name, read whole, created, updated, deleted.
#[allow(async_fn_in_trait)]
pub trait UserPoolApi {
    /// The id of the user pool of that name, if one exists (for a create that
    /// may have happened without being recorded).
    async fn find_user_pool(&self, name: &str) -> Result<Option<String>, CloudError>;
    async fn read_user_pool(&self, id: &str) -> Result<Option<LivePool>, CloudError>;
    /// Returns (id, ARN).
    async fn create_user_pool(&self, spec: &PoolSpec) -> Result<(String, String), CloudError>;
    /// Sends every mutable setting (AWS resets what an update omits).
    async fn update_user_pool(&self, id: &str, spec: &PoolSpec) -> Result<(), CloudError>;
    async fn set_mfa(&self, id: &str, spec: &PoolSpec) -> Result<(), CloudError>;
    async fn delete_user_pool(&self, id: &str) -> Result<(), CloudError>;
}

/// A user pool's app clients.
#[allow(async_fn_in_trait)]
pub trait ClientApi {
    async fn find_client(&self, pool: &str, name: &str) -> Result<Option<String>, CloudError>;
    /// The client and its secret (when it has one).
    async fn read_client(&self, pool: &str, id: &str) -> Result<Option<LiveClient>, CloudError>;
    async fn create_client(&self, pool: &str, spec: &ClientSpec) -> Result<LiveClient, CloudError>;
    async fn update_client(
        &self,
        pool: &str,
        id: &str,
        spec: &ClientSpec,
    ) -> Result<(), CloudError>;
    async fn delete_client(&self, pool: &str, id: &str) -> Result<(), CloudError>;
}

/// Hosted UI domain prefixes.
#[allow(async_fn_in_trait)]
pub trait DomainApi {
    /// The user pool a hosted UI domain prefix belongs to.
    async fn read_domain(&self, domain: &str) -> Result<Option<String>, CloudError>;
    async fn create_domain(&self, pool: &str, domain: &str) -> Result<(), CloudError>;
    async fn delete_domain(&self, pool: &str, domain: &str) -> Result<(), CloudError>;
}

/// A user pool's social identity providers.
#[allow(async_fn_in_trait)]
pub trait SocialApi {
    async fn read_provider(
        &self,
        pool: &str,
        name: &str,
    ) -> Result<Option<ProviderSpec>, CloudError>;
    async fn create_provider(&self, pool: &str, spec: &ProviderSpec) -> Result<(), CloudError>;
    async fn update_provider(&self, pool: &str, spec: &ProviderSpec) -> Result<(), CloudError>;
    async fn delete_provider(&self, pool: &str, name: &str) -> Result<(), CloudError>;
}

/// A user pool's groups.
#[allow(async_fn_in_trait)]
pub trait GroupApi {
    async fn read_group(&self, pool: &str, name: &str) -> Result<Option<GroupSpec>, CloudError>;
    async fn create_group(&self, pool: &str, spec: &GroupSpec) -> Result<(), CloudError>;
    async fn update_group(&self, pool: &str, spec: &GroupSpec) -> Result<(), CloudError>;
    async fn delete_group(&self, pool: &str, name: &str) -> Result<(), CloudError>;
}

/// Identity pools and the roles attached to them.
#[allow(async_fn_in_trait)]
pub trait IdentityPoolApi {
    async fn find_identity_pool(&self, name: &str) -> Result<Option<String>, CloudError>;
    async fn read_identity_pool(&self, id: &str) -> Result<Option<IdentityPoolSpec>, CloudError>;
    /// Returns the new pool's id.
    async fn create_identity_pool(&self, spec: &IdentityPoolSpec) -> Result<String, CloudError>;
    async fn update_identity_pool(
        &self,
        id: &str,
        spec: &IdentityPoolSpec,
    ) -> Result<(), CloudError>;
    async fn delete_identity_pool(&self, id: &str) -> Result<(), CloudError>;
    async fn read_pool_roles(&self, id: &str) -> Result<Option<PoolRoles>, CloudError>;
    async fn set_pool_roles(&self, id: &str, roles: &PoolRoles) -> Result<(), CloudError>;
}

/// IAM roles' trust (their inline policies are storage's `Iam`).
#[allow(async_fn_in_trait)]
pub trait RoleApi {
    /// (ARN, spec).
    async fn read_role(&self, name: &str) -> Result<Option<(String, RoleSpec)>, CloudError>;
    /// Returns the ARN.
    async fn create_role(&self, spec: &RoleSpec) -> Result<String, CloudError>;
    async fn update_trust(&self, spec: &RoleSpec) -> Result<(), CloudError>;
    async fn delete_role(&self, name: &str) -> Result<(), CloudError>;
}

/// Every resource type of managed auth over one cloud (the SDK, or the fake);
/// each provider asks only for the trait of its own resource.
pub trait Deploy:
    UserPoolApi + ClientApi + DomainApi + SocialApi + GroupApi + IdentityPoolApi + RoleApi + FunctionApi
{
}

impl<T> Deploy for T where
    T: UserPoolApi
        + ClientApi
        + DomainApi
        + SocialApi
        + GroupApi
        + IdentityPoolApi
        + RoleApi
        + FunctionApi
{
}

/// `Ok(None)` for a resource that is not there.
pub fn absent<T>(r: Result<T, CloudError>) -> Result<Option<T>, CloudError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}
