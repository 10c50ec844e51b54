//! Amplify's AddAuthRequest (version 2), read from stdin by `add auth
//! --headless`, unchanged: the same keys, enums and defaults as the Amplify CLI
//! 14.2.2 (additional keys are allowed, as Amplify's validator allows them).

use crate::vocab::{MFA_SMS, MFA_TOTP, PasswordRule};
use serde::Deserialize;
use serde_json::Value;

use crate::auth::model::MfaMode;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddAuthRequest {
    pub version: u64,
    pub resource_name: String,
    pub service_configuration: ServiceConfiguration,
    /// authwiz's extension: the Lambda triggers (docs/triggers.md).
    #[serde(default)]
    pub triggers: Option<crate::auth::triggers::Selection>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceConfiguration {
    pub service_name: ServiceName,
    pub user_pool_configuration: UserPoolConfiguration,
    pub include_identity_pool: bool,
    #[serde(default)]
    pub identity_pool_configuration: Option<IdentityPoolConfiguration>,
}

#[derive(Debug, Deserialize)]
pub enum ServiceName {
    Cognito,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SigninMethod {
    Email,
    EmailAndPhoneNumber,
    PhoneNumber,
    Username,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPoolConfiguration {
    pub signin_method: SigninMethod,
    pub required_signup_attributes: Vec<Attribute>,
    /// Used by Amplify only behind a feature flag that is off; accepted and ignored.
    #[serde(default)]
    pub alias_attributes: Option<Vec<AliasAttribute>>,
    #[serde(default)]
    pub user_pool_name: Option<String>,
    #[serde(default)]
    pub user_pool_groups: Option<Vec<UserPoolGroup>>,
    /// Refused: authwiz does not make the admin queries API.
    #[serde(default)]
    pub admin_queries: Option<Value>,
    #[serde(default)]
    pub mfa: Option<Mfa>,
    #[serde(default)]
    pub password_policy: Option<PasswordPolicy>,
    #[serde(default)]
    pub refresh_token_period: Option<u32>,
    #[serde(default)]
    pub read_attributes: Option<Vec<ReadAttribute>>,
    #[serde(default)]
    pub write_attributes: Option<Vec<Attribute>>,
    #[serde(default)]
    pub o_auth: Option<OAuth>,
    #[serde(default)]
    pub auto_verified_attributes: Option<Vec<AutoVerified>>,
}

/// The standard attributes a user pool can require or a client can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Attribute {
    Address,
    Birthdate,
    Email,
    FamilyName,
    Gender,
    GivenName,
    Locale,
    MiddleName,
    Name,
    Nickname,
    PhoneNumber,
    Picture,
    PreferredUsername,
    Profile,
    UpdatedAt,
    Website,
    ZoneInfo,
}

impl Attribute {
    /// The Cognito attribute name (`ZONE_INFO` is `zoneinfo`).
    pub fn cognito_name(self) -> &'static str {
        match self {
            Attribute::Address => "address",
            Attribute::Birthdate => "birthdate",
            Attribute::Email => "email",
            Attribute::FamilyName => "family_name",
            Attribute::Gender => "gender",
            Attribute::GivenName => "given_name",
            Attribute::Locale => "locale",
            Attribute::MiddleName => "middle_name",
            Attribute::Name => "name",
            Attribute::Nickname => "nickname",
            Attribute::PhoneNumber => "phone_number",
            Attribute::Picture => "picture",
            Attribute::PreferredUsername => "preferred_username",
            Attribute::Profile => "profile",
            Attribute::UpdatedAt => "updated_at",
            Attribute::Website => "website",
            Attribute::ZoneInfo => "zoneinfo",
        }
    }
}

/// Readable attributes: the standard ones plus the two verification flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ReadAttribute {
    Standard(Attribute),
    Flag(VerifiedFlag),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerifiedFlag {
    EmailVerified,
    PhoneNumberVerified,
}

impl ReadAttribute {
    pub fn cognito_name(self) -> &'static str {
        match self {
            ReadAttribute::Standard(a) => a.cognito_name(),
            ReadAttribute::Flag(VerifiedFlag::EmailVerified) => "email_verified",
            ReadAttribute::Flag(VerifiedFlag::PhoneNumberVerified) => "phone_number_verified",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AliasAttribute {
    Email,
    PhoneNumber,
    PreferredUsername,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPoolGroup {
    pub group_name: String,
    /// "Not implemented and should not be used" (Amplify's schema); refused.
    #[serde(default)]
    pub custom_policy: Option<Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MfaChoice {
    Off,
    On,
    Optional,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MfaType {
    Sms,
    Totp,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mfa {
    pub mode: MfaChoice,
    #[serde(default)]
    pub mfa_types: Option<Vec<MfaType>>,
    #[serde(default)]
    pub sms_message: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PasswordConstraint {
    RequireDigit,
    RequireLowercase,
    RequireSymbol,
    RequireUppercase,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordPolicy {
    #[serde(default)]
    pub minimum_length: Option<u32>,
    #[serde(default)]
    pub additional_constraints: Option<Vec<PasswordConstraint>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum GrantType {
    Code,
    Implicit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Scope {
    #[serde(rename = "AWS.COGNITO.SIGNIN.USER.ADMIN")]
    CognitoAdmin,
    #[serde(rename = "EMAIL")]
    Email,
    #[serde(rename = "OPENID")]
    Openid,
    #[serde(rename = "PHONE")]
    Phone,
    #[serde(rename = "PROFILE")]
    Profile,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::CognitoAdmin => "aws.cognito.signin.user.admin",
            Scope::Email => "email",
            Scope::Openid => "openid",
            Scope::Phone => "phone",
            Scope::Profile => "profile",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuth {
    #[serde(default)]
    pub domain_prefix: Option<String>,
    #[serde(rename = "redirectSigninURIs")]
    pub redirect_signin_uris: Vec<String>,
    #[serde(rename = "redirectSignoutURIs")]
    pub redirect_signout_uris: Vec<String>,
    pub o_auth_grant_type: GrantType,
    pub o_auth_scopes: Vec<Scope>,
    #[serde(default)]
    pub social_provider_configurations: Option<Vec<SocialProvider>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Provider {
    Facebook,
    Google,
    LoginWithAmazon,
    SignInWithApple,
}

impl Provider {
    /// The Cognito identity provider name (Amplify's PascalCase).
    pub fn cognito_name(self) -> &'static str {
        match self {
            Provider::Facebook => "Facebook",
            Provider::Google => "Google",
            Provider::LoginWithAmazon => "LoginWithAmazon",
            Provider::SignInWithApple => "SignInWithApple",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialProvider {
    pub provider: Provider,
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default)]
    pub private_key: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerifiedType {
    Email,
    PhoneNumber,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoVerified {
    #[serde(rename = "type")]
    pub kind: VerifiedType,
    #[serde(default)]
    pub verification_message: Option<String>,
    /// Amplify's adaptor reads this spelling (its schema says `verifiectionSubject`).
    #[serde(default)]
    pub verification_subject: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityPoolConfiguration {
    #[serde(default)]
    pub identity_pool_name: Option<String>,
    #[serde(default)]
    pub unauthenticated_login: Option<bool>,
    #[serde(default)]
    pub identity_social_federation: Option<Vec<Federation>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FederationProvider {
    Amazon,
    Apple,
    Facebook,
    Google,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Federation {
    pub provider: FederationProvider,
    pub client_id: String,
}

/// The payload as JSON, checked to be Amplify's version 2 of `request`
/// (`AddAuthRequest`, `UpdateAuthRequest`).
pub fn version_2(text: &str, request: &str) -> Result<Value, String> {
    let v: Value = serde_json::from_str(text.trim())
        .map_err(|e| format!("The headless payload on stdin is not valid JSON: {e}."))?;
    match v.get("version") {
        Some(n) if n.is_number() => {}
        _ => return Err("data does not have a top level \"version\" field".into()),
    }
    match v["version"].as_u64() {
        Some(2) => Ok(v),
        Some(1) => Err(format!(
            "{request} version 1 is not supported: send version 2 (its `autoVerifiedAttributes` replace version 1's `passwordRecovery`)."
        )),
        _ => Err(format!("No schema found for version {}", v["version"])),
    }
}

/// The request as its serde type; an error names the key path.
pub fn deserialize<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, String> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        format!(
            "Data did not validate against the supplied schema: `{}`: {}.",
            e.path(),
            e.inner()
        )
    })
}

/// Reads the request; an error names the key path and what was expected.
pub fn parse(text: &str) -> Result<AddAuthRequest, String> {
    deserialize(&version_2(text, "AddAuthRequest")?)
}

/// With MFA ON or OPTIONAL: cli-inputs.json's `mfaTypes` and SMS message.
pub type MfaOn = (Vec<String>, String);

impl Mfa {
    /// Amplify's `mfaConfiguration`, and for ON / OPTIONAL its `mfaTypes` and SMS
    /// message (both required then, as in Amplify's schema).
    pub fn amplify(&self) -> Result<(MfaMode, Option<MfaOn>), String> {
        let mode = match self.mode {
            MfaChoice::Off => return Ok((MfaMode::Off, None)),
            MfaChoice::On => MfaMode::On,
            MfaChoice::Optional => MfaMode::Optional,
        };
        let types = self.mfa_types.as_deref().unwrap_or_default();
        match &self.sms_message {
            Some(message) if !types.is_empty() => Ok((
                mode,
                Some((
                    types.iter().map(|t| t.amplify_name().to_string()).collect(),
                    message.clone(),
                )),
            )),
            _ => Err("mfa: with mode ON or OPTIONAL, `mfaTypes` (SMS, TOTP) and `smsMessage` are required (as in Amplify's schema).".into()),
        }
    }
}

impl MfaType {
    /// The name in cli-inputs.json's `mfaTypes`.
    pub fn amplify_name(self) -> &'static str {
        match self {
            MfaType::Sms => MFA_SMS,
            MfaType::Totp => MFA_TOTP,
        }
    }
}

impl PasswordConstraint {
    /// The name in cli-inputs.json's `passwordPolicyCharacters`.
    pub fn amplify_name(self) -> &'static str {
        let rule = match self {
            PasswordConstraint::RequireLowercase => PasswordRule::Lowercase,
            PasswordConstraint::RequireUppercase => PasswordRule::Uppercase,
            PasswordConstraint::RequireDigit => PasswordRule::Numbers,
            PasswordConstraint::RequireSymbol => PasswordRule::Symbols,
        };
        rule.amplify()
    }
}

impl PasswordPolicy {
    /// `passwordPolicyMinLength` (default 8) and `passwordPolicyCharacters`.
    pub fn amplify(&self) -> (u32, Vec<String>) {
        (
            self.minimum_length.unwrap_or(8),
            self.additional_constraints
                .iter()
                .flatten()
                .map(|k| k.amplify_name().to_string())
                .collect(),
        )
    }
}

impl VerifiedType {
    /// The Cognito attribute that gets verified.
    pub fn attribute(self) -> &'static str {
        match self {
            VerifiedType::Email => "email",
            VerifiedType::PhoneNumber => "phone_number",
        }
    }
}

/// Identity-pool federation: the providers' login domains (`authProviders`) and
/// the env parameters that hold their app ids (team-provider-info.json).
pub fn federation(list: &[Federation]) -> (Vec<String>, crate::project::Extra) {
    let mut domains = Vec::new();
    let mut params = crate::project::Extra::new();
    for f in list {
        let (domain, key) = match f.provider {
            FederationProvider::Amazon => ("www.amazon.com", "amazonAppId"),
            FederationProvider::Apple => ("appleid.apple.com", "appleAppId"),
            FederationProvider::Facebook => ("graph.facebook.com", "facebookAppId"),
            FederationProvider::Google => ("accounts.google.com", "googleClientId"),
        };
        domains.push(domain.to_string());
        params.insert(key.into(), Value::String(f.client_id.clone()));
    }
    (domains, params)
}
