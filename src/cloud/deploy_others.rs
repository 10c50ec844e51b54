//! The settings the project's files do not set (`*Others` in `deploy.rs`) onto
//! the SDK's types and back, so that an update sends them as they are live:
//! AWS resets whatever an Update* call omits.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{
    AdminCreateUserConfigType, AdvancedSecurityAdditionalFlowsType,
    AdvancedSecurityEnabledModeType, AnalyticsConfigurationType,
    CustomEmailLambdaVersionConfigType, CustomEmailSenderLambdaVersionType,
    CustomSmsLambdaVersionConfigType, CustomSmsSenderLambdaVersionType, DefaultEmailOptionType,
    DeviceConfigurationType, FeatureType, LambdaConfigType, MessageTemplateType,
    PreTokenGenerationLambdaVersionType, PreTokenGenerationVersionConfigType,
    RefreshTokenRotationType, UserAttributeUpdateSettingsType, UserPoolClientType, UserPoolType,
    VerifiedAttributeType,
};

use super::CloudError;
use super::deploy::{
    AdminCreateUserConfig, Analytics, AttributeUpdateSettings, ClientOthers, DeviceConfiguration,
    LambdaConfig, MessageTemplate, PoolOthers, RefreshTokenRotation, VersionedLambda,
};

fn s(v: Option<&str>) -> Option<String> {
    v.map(str::to_string)
}

fn built<T>(action: &'static str, r: Result<T, impl std::fmt::Display>) -> Result<T, CloudError> {
    r.map_err(|e| CloudError::Failed {
        action,
        message: e.to_string(),
    })
}

/// The pool's settings that the files do not set, as DescribeUserPool gives them.
pub fn read_pool(p: &UserPoolType) -> PoolOthers {
    let mut o = PoolOthers::default();
    if let Some(l) = p.lambda_config() {
        o.lambda_config = LambdaConfig {
            pre_sign_up: s(l.pre_sign_up()),
            custom_message: s(l.custom_message()),
            post_confirmation: s(l.post_confirmation()),
            pre_authentication: s(l.pre_authentication()),
            post_authentication: s(l.post_authentication()),
            define_auth_challenge: s(l.define_auth_challenge()),
            create_auth_challenge: s(l.create_auth_challenge()),
            verify_auth_challenge_response: s(l.verify_auth_challenge_response()),
            pre_token_generation: s(l.pre_token_generation()),
            user_migration: s(l.user_migration()),
            pre_token_generation_config: l.pre_token_generation_config().map(|c| VersionedLambda {
                lambda_arn: c.lambda_arn().to_string(),
                lambda_version: c.lambda_version().as_str().to_string(),
            }),
            custom_sms_sender: l.custom_sms_sender().map(|c| VersionedLambda {
                lambda_arn: c.lambda_arn().to_string(),
                lambda_version: c.lambda_version().as_str().to_string(),
            }),
            custom_email_sender: l.custom_email_sender().map(|c| VersionedLambda {
                lambda_arn: c.lambda_arn().to_string(),
                lambda_version: c.lambda_version().as_str().to_string(),
            }),
            kms_key_id: s(l.kms_key_id()),
        };
    }
    o.device_configuration = p.device_configuration().map(|d| DeviceConfiguration {
        challenge_required_on_new_device: d.challenge_required_on_new_device(),
        device_only_remembered_on_user_prompt: d.device_only_remembered_on_user_prompt(),
    });
    o.admin_create_user_config = p.admin_create_user_config().map(|a| AdminCreateUserConfig {
        allow_admin_create_user_only: a.allow_admin_create_user_only(),
        // The SDK reads an absent number as 0.
        unused_account_validity_days: Some(a.unused_account_validity_days()).filter(|d| *d > 0),
        invite_message_template: a.invite_message_template().map(|t| MessageTemplate {
            sms_message: s(t.sms_message()),
            email_message: s(t.email_message()),
            email_subject: s(t.email_subject()),
        }),
    });
    o.user_attribute_update_settings =
        p.user_attribute_update_settings()
            .map(|u| AttributeUpdateSettings {
                attributes_require_verification_before_update: u
                    .attributes_require_verification_before_update()
                    .iter()
                    .map(|a| a.as_str().to_string())
                    .collect(),
            });
    if let Some(t) = p.verification_message_template() {
        let v = &mut o.verification_message_template;
        v.default_email_option = t.default_email_option().map(|d| d.as_str().to_string());
        v.email_message_by_link = s(t.email_message_by_link());
        v.email_subject_by_link = s(t.email_subject_by_link());
    }
    o.sms_configuration.sns_region = s(p.sms_configuration().and_then(|c| c.sns_region()));
    o.email_configuration.configuration_set =
        s(p.email_configuration().and_then(|c| c.configuration_set()));
    o.user_pool_add_ons.custom_auth_mode = p
        .user_pool_add_ons()
        .and_then(|a| a.advanced_security_additional_flows())
        .and_then(|f| f.custom_auth_mode())
        .map(|m| m.as_str().to_string());
    o
}

/// The pool's triggers as UpdateUserPool takes them; `None` when it has none.
pub fn lambda_config(
    o: &PoolOthers,
    action: &'static str,
) -> Result<Option<LambdaConfigType>, CloudError> {
    let l = &o.lambda_config;
    if *l == LambdaConfig::default() {
        return Ok(None);
    }
    let pre_token = match &l.pre_token_generation_config {
        Some(c) => Some(built(
            action,
            PreTokenGenerationVersionConfigType::builder()
                .lambda_arn(&c.lambda_arn)
                .lambda_version(PreTokenGenerationLambdaVersionType::from(
                    c.lambda_version.as_str(),
                ))
                .build(),
        )?),
        None => None,
    };
    let sms = match &l.custom_sms_sender {
        Some(c) => Some(built(
            action,
            CustomSmsLambdaVersionConfigType::builder()
                .lambda_arn(&c.lambda_arn)
                .lambda_version(CustomSmsSenderLambdaVersionType::from(
                    c.lambda_version.as_str(),
                ))
                .build(),
        )?),
        None => None,
    };
    let email = match &l.custom_email_sender {
        Some(c) => Some(built(
            action,
            CustomEmailLambdaVersionConfigType::builder()
                .lambda_arn(&c.lambda_arn)
                .lambda_version(CustomEmailSenderLambdaVersionType::from(
                    c.lambda_version.as_str(),
                ))
                .build(),
        )?),
        None => None,
    };
    Ok(Some(
        LambdaConfigType::builder()
            .set_pre_sign_up(l.pre_sign_up.clone())
            .set_custom_message(l.custom_message.clone())
            .set_post_confirmation(l.post_confirmation.clone())
            .set_pre_authentication(l.pre_authentication.clone())
            .set_post_authentication(l.post_authentication.clone())
            .set_define_auth_challenge(l.define_auth_challenge.clone())
            .set_create_auth_challenge(l.create_auth_challenge.clone())
            .set_verify_auth_challenge_response(l.verify_auth_challenge_response.clone())
            .set_pre_token_generation(l.pre_token_generation.clone())
            .set_user_migration(l.user_migration.clone())
            .set_pre_token_generation_config(pre_token)
            .set_custom_sms_sender(sms)
            .set_custom_email_sender(email)
            .set_kms_key_id(l.kms_key_id.clone())
            .build(),
    ))
}

pub fn device_configuration(o: &PoolOthers) -> Option<DeviceConfigurationType> {
    o.device_configuration.as_ref().map(|d| {
        DeviceConfigurationType::builder()
            .challenge_required_on_new_device(d.challenge_required_on_new_device)
            .device_only_remembered_on_user_prompt(d.device_only_remembered_on_user_prompt)
            .build()
    })
}

pub fn admin_create_user_config(o: &PoolOthers) -> Option<AdminCreateUserConfigType> {
    o.admin_create_user_config.as_ref().map(|a| {
        AdminCreateUserConfigType::builder()
            .allow_admin_create_user_only(a.allow_admin_create_user_only)
            .set_unused_account_validity_days(a.unused_account_validity_days)
            .set_invite_message_template(a.invite_message_template.as_ref().map(|t| {
                MessageTemplateType::builder()
                    .set_sms_message(t.sms_message.clone())
                    .set_email_message(t.email_message.clone())
                    .set_email_subject(t.email_subject.clone())
                    .build()
            }))
            .build()
    })
}

pub fn user_attribute_update_settings(o: &PoolOthers) -> Option<UserAttributeUpdateSettingsType> {
    o.user_attribute_update_settings.as_ref().map(|u| {
        UserAttributeUpdateSettingsType::builder()
            .set_attributes_require_verification_before_update(Some(
                u.attributes_require_verification_before_update
                    .iter()
                    .map(|a| VerifiedAttributeType::from(a.as_str()))
                    .collect(),
            ))
            .build()
    })
}

pub fn default_email_option(o: &PoolOthers) -> Option<DefaultEmailOptionType> {
    o.verification_message_template
        .default_email_option
        .as_deref()
        .map(DefaultEmailOptionType::from)
}

pub fn additional_flows(o: &PoolOthers) -> Option<AdvancedSecurityAdditionalFlowsType> {
    o.user_pool_add_ons.custom_auth_mode.as_deref().map(|m| {
        AdvancedSecurityAdditionalFlowsType::builder()
            .custom_auth_mode(AdvancedSecurityEnabledModeType::from(m))
            .build()
    })
}

/// The client's settings that the files do not set.
pub fn read_client(c: &UserPoolClientType) -> ClientOthers {
    ClientOthers {
        default_redirect_uri: s(c.default_redirect_uri()),
        analytics_configuration: c.analytics_configuration().map(|a| Analytics {
            application_id: s(a.application_id()),
            application_arn: s(a.application_arn()),
            role_arn: s(a.role_arn()),
            external_id: s(a.external_id()),
            user_data_shared: a.user_data_shared(),
        }),
        enable_propagate_additional_user_context_data: c
            .enable_propagate_additional_user_context_data(),
        refresh_token_rotation: c.refresh_token_rotation().map(|r| RefreshTokenRotation {
            feature: r.feature().as_str().to_string(),
            retry_grace_period_seconds: r.retry_grace_period_seconds(),
        }),
    }
}

pub fn analytics(o: &ClientOthers) -> Option<AnalyticsConfigurationType> {
    o.analytics_configuration.as_ref().map(|a| {
        AnalyticsConfigurationType::builder()
            .set_application_id(a.application_id.clone())
            .set_application_arn(a.application_arn.clone())
            .set_role_arn(a.role_arn.clone())
            .set_external_id(a.external_id.clone())
            .user_data_shared(a.user_data_shared)
            .build()
    })
}

pub fn refresh_token_rotation(
    o: &ClientOthers,
    action: &'static str,
) -> Result<Option<RefreshTokenRotationType>, CloudError> {
    match &o.refresh_token_rotation {
        Some(r) => Ok(Some(built(
            action,
            RefreshTokenRotationType::builder()
                .feature(FeatureType::from(r.feature.as_str()))
                .set_retry_grace_period_seconds(r.retry_grace_period_seconds)
                .build(),
        )?)),
        None => Ok(None),
    }
}
