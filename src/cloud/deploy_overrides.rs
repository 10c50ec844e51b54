//! The typed override settings of the specs onto the SDK's types, and back
//! from what AWS returns (the same fields, so that what was set and what is
//! there compare).

use aws_sdk_cognitoidentityprovider as idp;
use idp::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput;
use idp::types::{
    AccountRecoverySettingType, AdvancedSecurityModeType, AuthFactorType, DeletionProtectionType,
    EmailConfigurationType, EmailMfaConfigType, EmailSendingAccountType, ExplicitAuthFlowsType,
    PreventUserExistenceErrorTypes, RecoveryOptionNameType, RecoveryOptionType, SignInPolicyType,
    TimeUnitsType, TokenValidityUnitsType, UserPoolAddOnsType, UserPoolClientType,
    UserPoolTierType, UserPoolType, UserVerificationType, WebAuthnConfigurationType,
};

use super::CloudError;
use super::deploy::{
    ClientOverrides, ClientSpec, MfaOverrides, PoolOverrides, PoolSpec, RecoveryMechanism, sorted,
};

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
    let add_ons = match &o.advanced_security_mode {
        Some(mode) => Some(built(
            action,
            UserPoolAddOnsType::builder()
                .advanced_security_mode(AdvancedSecurityModeType::from(mode.as_str()))
                .build(),
        )?),
        None => None,
    };
    let recovery = match &o.recovery_mechanisms {
        Some(items) => {
            let mut b = AccountRecoverySettingType::builder();
            for m in items {
                let option = RecoveryOptionType::builder()
                    .name(RecoveryOptionNameType::from(m.name.as_str()))
                    .priority(m.priority)
                    .build();
                b = b.recovery_mechanisms(built(action, option)?);
            }
            Some(b.build())
        }
        None => None,
    };
    let email = [
        &o.email_sending_account,
        &o.email_from,
        &o.email_source_arn,
        &o.email_reply_to,
    ]
    .iter()
    .any(|v| v.is_some())
    .then(|| {
        EmailConfigurationType::builder()
            .set_email_sending_account(
                o.email_sending_account
                    .as_deref()
                    .map(EmailSendingAccountType::from),
            )
            .set_from(o.email_from.clone())
            .set_source_arn(o.email_source_arn.clone())
            .set_reply_to_email_address(o.email_reply_to.clone())
            .build()
    });
    Ok(PoolExtras {
        add_ons,
        tier: o.tier.as_deref().map(UserPoolTierType::from),
        deletion_protection: o
            .deletion_protection
            .as_deref()
            .map(DeletionProtectionType::from),
        recovery,
        email,
    })
}

/// The password policy's temporary-password days and the sign-in policy.
pub fn password_extras(spec: &PoolSpec) -> (Option<i32>, Option<SignInPolicyType>) {
    let o = &spec.overrides;
    let sign_in = o.first_auth_factors.as_ref().map(|factors| {
        SignInPolicyType::builder()
            .set_allowed_first_auth_factors(Some(
                factors
                    .iter()
                    .map(|f| AuthFactorType::from(f.as_str()))
                    .collect(),
            ))
            .build()
    });
    (o.temporary_password_days, sign_in)
}

/// SetUserPoolMfaConfig's email and WebAuthn parts.
pub fn mfa_extras(
    spec: &PoolSpec,
) -> (
    Option<EmailMfaConfigType>,
    Option<WebAuthnConfigurationType>,
) {
    let o = &spec.overrides.mfa;
    let email = spec.email_mfa.then(|| {
        EmailMfaConfigType::builder()
            .set_message(o.email_message.clone())
            .set_subject(o.email_subject.clone())
            .build()
    });
    let web_authn = o.web_authn_relying_party.as_ref().map(|rp| {
        WebAuthnConfigurationType::builder()
            .relying_party_id(rp)
            .set_user_verification(
                o.web_authn_user_verification
                    .as_deref()
                    .map(UserVerificationType::from),
            )
            .build()
    });
    (email, web_authn)
}

/// Every override setting the pool has a value for.
pub fn read_pool(p: &UserPoolType, mfa: &GetUserPoolMfaConfigOutput) -> PoolOverrides {
    let policies = p.policies();
    let email = p.email_configuration();
    PoolOverrides {
        // The SDK reads an absent number as 0.
        temporary_password_days: policies
            .and_then(|x| x.password_policy())
            .map(|x| x.temporary_password_validity_days())
            .filter(|d| *d > 0),
        first_auth_factors: policies.and_then(|x| x.sign_in_policy()).map(|s| {
            sorted(
                s.allowed_first_auth_factors()
                    .iter()
                    .map(|f| f.as_str().to_string())
                    .collect(),
            )
        }),
        advanced_security_mode: p
            .user_pool_add_ons()
            .map(|a| a.advanced_security_mode().as_str().to_string()),
        tier: p.user_pool_tier().map(|t| t.as_str().to_string()),
        deletion_protection: p.deletion_protection().map(|d| d.as_str().to_string()),
        recovery_mechanisms: p.account_recovery_setting().map(|r| {
            r.recovery_mechanisms()
                .iter()
                .map(|m| RecoveryMechanism {
                    name: m.name().as_str().to_string(),
                    priority: m.priority(),
                })
                .collect()
        }),
        email_sending_account: email
            .and_then(|e| e.email_sending_account())
            .map(|a| a.as_str().to_string()),
        email_from: email.and_then(|e| e.from()).map(str::to_string),
        email_source_arn: email.and_then(|e| e.source_arn()).map(str::to_string),
        email_reply_to: email
            .and_then(|e| e.reply_to_email_address())
            .map(str::to_string),
        mfa: read_mfa(mfa),
    }
}

/// What GetUserPoolMfaConfig answers of the overrides.
fn read_mfa(mfa: &GetUserPoolMfaConfigOutput) -> MfaOverrides {
    let email = mfa.email_mfa_configuration();
    let web_authn = mfa.web_authn_configuration();
    MfaOverrides {
        email_message: email.and_then(|e| e.message()).map(str::to_string),
        email_subject: email.and_then(|e| e.subject()).map(str::to_string),
        web_authn_relying_party: web_authn
            .and_then(|w| w.relying_party_id())
            .map(str::to_string),
        web_authn_user_verification: web_authn
            .and_then(|w| w.user_verification())
            .map(|u| u.as_str().to_string()),
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
    let unit = |u: &Option<String>| u.as_deref().map(TimeUnitsType::from);
    ClientExtras {
        flows: o.explicit_auth_flows.as_ref().map(|f| {
            f.iter()
                .map(|x| ExplicitAuthFlowsType::from(x.as_str()))
                .collect()
        }),
        access: o.access_token_validity,
        id: o.id_token_validity,
        units: TokenValidityUnitsType::builder()
            .set_access_token(unit(&o.access_token_unit))
            .set_id_token(unit(&o.id_token_unit))
            .refresh_token(unit(&o.refresh_token_unit).unwrap_or(TimeUnitsType::Days))
            .build(),
        auth_session: o.auth_session_validity,
        revocation: o.enable_token_revocation,
        prevent_errors: o
            .prevent_user_existence_errors
            .as_deref()
            .map(PreventUserExistenceErrorTypes::from),
    }
}

/// Every override setting the client has a value for.
pub fn read_client(c: &UserPoolClientType) -> ClientOverrides {
    let flows: Vec<String> = c
        .explicit_auth_flows()
        .iter()
        .map(|f| f.as_str().to_string())
        .collect();
    let units = c.token_validity_units();
    let unit = |u: Option<&TimeUnitsType>| u.map(|v| v.as_str().to_string());
    ClientOverrides {
        explicit_auth_flows: (!flows.is_empty()).then(|| sorted(flows)),
        access_token_validity: c.access_token_validity(),
        id_token_validity: c.id_token_validity(),
        access_token_unit: unit(units.and_then(|u| u.access_token())),
        id_token_unit: unit(units.and_then(|u| u.id_token())),
        refresh_token_unit: unit(units.and_then(|u| u.refresh_token())),
        auth_session_validity: c.auth_session_validity(),
        enable_token_revocation: c.enable_token_revocation(),
        prevent_user_existence_errors: c
            .prevent_user_existence_errors()
            .map(|v| v.as_str().to_string()),
    }
}
