//! override.json's paths onto the SDK's types, and back from what AWS returns
//! (the same paths, so that what was set and what is there compare).

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider as idp;
use idp::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput;
use idp::types::{
    AccountRecoverySettingType, AdvancedSecurityModeType, AuthFactorType, DeletionProtectionType,
    EmailConfigurationType, EmailMfaConfigType, EmailSendingAccountType, ExplicitAuthFlowsType,
    PreventUserExistenceErrorTypes, RecoveryOptionNameType, RecoveryOptionType, SignInPolicyType,
    TimeUnitsType, TokenValidityUnitsType, UserPoolAddOnsType, UserPoolClientType,
    UserPoolTierType, UserPoolType, UserVerificationType, WebAuthnConfigurationType,
};
use serde_json::{Value, json};

use super::CloudError;
use super::deploy::{ClientSpec, PoolSpec, sorted};

fn text<'a>(o: &'a BTreeMap<String, Value>, path: &str) -> Option<&'a str> {
    o.get(path).and_then(Value::as_str)
}

fn strs(o: &BTreeMap<String, Value>, path: &str) -> Option<Vec<String>> {
    o.get(path).and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    })
}

fn int(o: &BTreeMap<String, Value>, path: &str) -> Option<i32> {
    o.get(path)
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

fn built<T>(action: &'static str, r: Result<T, impl std::fmt::Display>) -> Result<T, CloudError> {
    r.map_err(|e| CloudError::Failed {
        action,
        message: e.to_string(),
    })
}

/// The user pool settings of the overrides that CreateUserPool and
/// UpdateUserPool carry (the password policy's are in [`password_extras`]).
#[derive(Clone, Default)]
pub struct PoolExtras {
    pub add_ons: Option<UserPoolAddOnsType>,
    pub tier: Option<UserPoolTierType>,
    pub deletion_protection: Option<DeletionProtectionType>,
    pub recovery: Option<AccountRecoverySettingType>,
    pub email: Option<EmailConfigurationType>,
}

pub fn pool_extras(spec: &PoolSpec, action: &'static str) -> Result<PoolExtras, CloudError> {
    let o = &spec.overrides;
    let add_ons = match text(o, "UserPoolAddOns.AdvancedSecurityMode") {
        Some(mode) => Some(built(
            action,
            UserPoolAddOnsType::builder()
                .advanced_security_mode(AdvancedSecurityModeType::from(mode))
                .build(),
        )?),
        None => None,
    };
    let recovery = match o
        .get("AccountRecoverySetting.RecoveryMechanisms")
        .and_then(Value::as_array)
    {
        Some(items) => {
            let mut b = AccountRecoverySettingType::builder();
            for m in items {
                let option = RecoveryOptionType::builder()
                    .name(RecoveryOptionNameType::from(
                        m["Name"].as_str().unwrap_or_default(),
                    ))
                    .priority(m["Priority"].as_i64().unwrap_or(1) as i32)
                    .build();
                b = b.recovery_mechanisms(built(action, option)?);
            }
            Some(b.build())
        }
        None => None,
    };
    let email_keys = [
        "EmailConfiguration.EmailSendingAccount",
        "EmailConfiguration.From",
        "EmailConfiguration.SourceArn",
        "EmailConfiguration.ReplyToEmailAddress",
    ];
    let email = email_keys.iter().any(|k| o.contains_key(*k)).then(|| {
        EmailConfigurationType::builder()
            .set_email_sending_account(
                text(o, "EmailConfiguration.EmailSendingAccount")
                    .map(EmailSendingAccountType::from),
            )
            .set_from(text(o, "EmailConfiguration.From").map(str::to_string))
            .set_source_arn(text(o, "EmailConfiguration.SourceArn").map(str::to_string))
            .set_reply_to_email_address(
                text(o, "EmailConfiguration.ReplyToEmailAddress").map(str::to_string),
            )
            .build()
    });
    Ok(PoolExtras {
        add_ons,
        tier: text(o, "UserPoolTier").map(UserPoolTierType::from),
        deletion_protection: text(o, "DeletionProtection").map(DeletionProtectionType::from),
        recovery,
        email,
    })
}

/// The password policy's temporary-password days and the sign-in policy.
pub fn password_extras(spec: &PoolSpec) -> (Option<i32>, Option<SignInPolicyType>) {
    let o = &spec.overrides;
    let days = int(o, "Policies.PasswordPolicy.TemporaryPasswordValidityDays");
    let sign_in = strs(o, "Policies.SignInPolicy.AllowedFirstAuthFactors").map(|factors| {
        SignInPolicyType::builder()
            .set_allowed_first_auth_factors(Some(
                factors
                    .iter()
                    .map(|f| AuthFactorType::from(f.as_str()))
                    .collect(),
            ))
            .build()
    });
    (days, sign_in)
}

/// SetUserPoolMfaConfig's email and WebAuthn parts.
pub fn mfa_extras(
    spec: &PoolSpec,
) -> (
    Option<EmailMfaConfigType>,
    Option<WebAuthnConfigurationType>,
) {
    let o = &spec.overrides;
    let email = spec.email_mfa.then(|| {
        EmailMfaConfigType::builder()
            .set_message(text(o, "EmailAuthenticationMessage").map(str::to_string))
            .set_subject(text(o, "EmailAuthenticationSubject").map(str::to_string))
            .build()
    });
    let web_authn = text(o, "WebAuthnRelyingPartyID").map(|rp| {
        WebAuthnConfigurationType::builder()
            .relying_party_id(rp)
            .set_user_verification(
                text(o, "WebAuthnUserVerification").map(UserVerificationType::from),
            )
            .build()
    });
    (email, web_authn)
}

/// Every override path the pool has a value for.
pub fn read_pool(p: &UserPoolType, mfa: &GetUserPoolMfaConfigOutput) -> BTreeMap<String, Value> {
    let mut o = BTreeMap::new();
    let policies = p.policies();
    // The SDK reads an absent number as 0.
    if let Some(days) = policies
        .and_then(|x| x.password_policy())
        .map(|x| x.temporary_password_validity_days())
        .filter(|d| *d > 0)
    {
        o.insert(
            "Policies.PasswordPolicy.TemporaryPasswordValidityDays".into(),
            json!(days),
        );
    }
    if let Some(sign_in) = policies.and_then(|x| x.sign_in_policy()) {
        let factors: Vec<String> = sorted(
            sign_in
                .allowed_first_auth_factors()
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
        );
        o.insert(
            "Policies.SignInPolicy.AllowedFirstAuthFactors".into(),
            json!(factors),
        );
    }
    if let Some(a) = p.user_pool_add_ons() {
        o.insert(
            "UserPoolAddOns.AdvancedSecurityMode".into(),
            json!(a.advanced_security_mode().as_str()),
        );
    }
    if let Some(t) = p.user_pool_tier() {
        o.insert("UserPoolTier".into(), json!(t.as_str()));
    }
    if let Some(d) = p.deletion_protection() {
        o.insert("DeletionProtection".into(), json!(d.as_str()));
    }
    if let Some(r) = p.account_recovery_setting() {
        let items: Vec<Value> = r
            .recovery_mechanisms()
            .iter()
            .map(|m| json!({"Name": m.name().as_str(), "Priority": m.priority()}))
            .collect();
        o.insert(
            "AccountRecoverySetting.RecoveryMechanisms".into(),
            json!(items),
        );
    }
    if let Some(e) = p.email_configuration() {
        let mut put = |k: &str, v: Option<&str>| {
            if let Some(v) = v {
                o.insert(format!("EmailConfiguration.{k}"), json!(v));
            }
        };
        put(
            "EmailSendingAccount",
            e.email_sending_account().map(|a| a.as_str()),
        );
        put("From", e.from());
        put("SourceArn", e.source_arn());
        put("ReplyToEmailAddress", e.reply_to_email_address());
    }
    read_mfa(mfa, &mut o);
    o
}

/// The override paths GetUserPoolMfaConfig answers: email MFA's message and
/// subject, WebAuthn's relying party and user verification.
fn read_mfa(mfa: &GetUserPoolMfaConfigOutput, o: &mut BTreeMap<String, Value>) {
    if let Some(e) = mfa.email_mfa_configuration() {
        if let Some(m) = e.message() {
            o.insert("EmailAuthenticationMessage".into(), json!(m));
        }
        if let Some(s) = e.subject() {
            o.insert("EmailAuthenticationSubject".into(), json!(s));
        }
    }
    if let Some(w) = mfa.web_authn_configuration() {
        if let Some(rp) = w.relying_party_id() {
            o.insert("WebAuthnRelyingPartyID".into(), json!(rp));
        }
        if let Some(uv) = w.user_verification() {
            o.insert("WebAuthnUserVerification".into(), json!(uv.as_str()));
        }
    }
}

/// A client's settings from the overrides (the refresh token's period is the
/// spec's own; its unit may be overridden).
pub struct ClientExtras {
    pub flows: Option<Vec<ExplicitAuthFlowsType>>,
    pub access: Option<i32>,
    pub id: Option<i32>,
    pub units: TokenValidityUnitsType,
    pub auth_session: Option<i32>,
    pub revocation: Option<bool>,
    pub prevent_errors: Option<PreventUserExistenceErrorTypes>,
}

pub fn client_extras(spec: &ClientSpec) -> ClientExtras {
    let o = &spec.overrides;
    let unit = |k: &str| text(o, &format!("TokenValidityUnits.{k}")).map(TimeUnitsType::from);
    ClientExtras {
        flows: strs(o, "ExplicitAuthFlows").map(|f| {
            f.iter()
                .map(|x| ExplicitAuthFlowsType::from(x.as_str()))
                .collect()
        }),
        access: int(o, "AccessTokenValidity"),
        id: int(o, "IdTokenValidity"),
        units: TokenValidityUnitsType::builder()
            .set_access_token(unit("AccessToken"))
            .set_id_token(unit("IdToken"))
            .refresh_token(unit("RefreshToken").unwrap_or(TimeUnitsType::Days))
            .build(),
        auth_session: int(o, "AuthSessionValidity"),
        revocation: o.get("EnableTokenRevocation").and_then(Value::as_bool),
        prevent_errors: text(o, "PreventUserExistenceErrors")
            .map(PreventUserExistenceErrorTypes::from),
    }
}

/// Every override path the client has a value for.
pub fn read_client(c: &UserPoolClientType) -> BTreeMap<String, Value> {
    let mut o = BTreeMap::new();
    let flows: Vec<String> = c
        .explicit_auth_flows()
        .iter()
        .map(|f| f.as_str().to_string())
        .collect();
    if !flows.is_empty() {
        o.insert("ExplicitAuthFlows".into(), json!(sorted(flows)));
    }
    if let Some(v) = c.access_token_validity() {
        o.insert("AccessTokenValidity".into(), json!(v));
    }
    if let Some(v) = c.id_token_validity() {
        o.insert("IdTokenValidity".into(), json!(v));
    }
    if let Some(u) = c.token_validity_units() {
        for (k, v) in [
            ("AccessToken", u.access_token()),
            ("IdToken", u.id_token()),
            ("RefreshToken", u.refresh_token()),
        ] {
            if let Some(v) = v {
                o.insert(format!("TokenValidityUnits.{k}"), json!(v.as_str()));
            }
        }
    }
    if let Some(v) = c.auth_session_validity() {
        o.insert("AuthSessionValidity".into(), json!(v));
    }
    if let Some(v) = c.enable_token_revocation() {
        o.insert("EnableTokenRevocation".into(), json!(v));
    }
    if let Some(v) = c.prevent_user_existence_errors() {
        o.insert("PreventUserExistenceErrors".into(), json!(v.as_str()));
    }
    o
}
