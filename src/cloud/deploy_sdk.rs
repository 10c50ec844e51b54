//! [`Deploy`] over the AWS SDK.

use crate::vocab::MfaMode;
use std::collections::BTreeMap;

use aws_sdk_cognitoidentity as identity;
use aws_sdk_cognitoidentityprovider as idp;
use aws_sdk_iam as iam;
use idp::types::{
    AliasAttributeType, AttributeDataType, IdentityProviderTypeType, OAuthFlowType,
    PasswordPolicyType, SchemaAttributeType, SmsConfigurationType, SmsMfaConfigType,
    SoftwareTokenMfaConfigType, UserPoolMfaType, UserPoolPolicyType, UsernameAttributeType,
    UsernameConfigurationType, VerificationMessageTemplateType, VerifiedAttributeType,
};

use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::CloudError;
use super::deploy::{
    ClientApi, ClientSpec, DomainApi, GroupApi, GroupOthers, GroupSpec, IdentityPoolApi,
    IdentityPoolOthers, IdentityPoolOverrides, IdentityPoolSpec, LiveClient, LivePool, PoolRoles,
    PoolSpec, ProviderOthers, ProviderSpec, RoleApi, RoleSpec, SocialApi, UserPoolApi, absent,
    sorted,
};
use super::deploy_others as others;
use super::deploy_overrides as extras;
use super::iam::decode_policy;

pub struct SdkDeploy {
    pub(super) idp: idp::Client,
    pub(super) identity: identity::Client,
    pub(super) iam: iam::Client,
    pub(super) lambda: aws_sdk_lambda::Client,
    /// Retries' pauses wait for real (the process seam's clock decides).
    pub(super) pauses: bool,
}

impl SdkDeploy {
    /// Waits `d` before a retry, unless the process's clock takes no time.
    pub(super) async fn pause(&self, d: std::time::Duration) {
        if self.pauses {
            tokio::time::sleep(d).await;
        }
    }
}

fn strings<T: AsRef<str>>(items: &[T]) -> Vec<String> {
    sorted(items.iter().map(|s| s.as_ref().to_string()).collect())
}

fn some_vec<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}

fn password(spec: &PoolSpec) -> UserPoolPolicyType {
    let (days, sign_in) = extras::password_extras(spec);
    UserPoolPolicyType::builder()
        .password_policy(
            PasswordPolicyType::builder()
                .minimum_length(spec.min_length)
                .require_lowercase(spec.require_lowercase)
                .require_uppercase(spec.require_uppercase)
                .require_numbers(spec.require_numbers)
                .require_symbols(spec.require_symbols)
                .set_temporary_password_validity_days(days)
                .build(),
        )
        .set_sign_in_policy(sign_in)
        .build()
}

fn sms_configuration(spec: &PoolSpec) -> Option<SmsConfigurationType> {
    spec.sms_role_arn.as_ref().map(|arn| {
        SmsConfigurationType::builder()
            .sns_caller_arn(arn)
            .set_external_id(spec.sms_external_id.clone())
            .set_sns_region(spec.others.sms_configuration.sns_region.clone())
            .build()
    })
}

fn template(spec: &PoolSpec) -> VerificationMessageTemplateType {
    let by_link = &spec.others.verification_message_template;
    VerificationMessageTemplateType::builder()
        .set_sms_message(spec.sms_verification_message.clone())
        .set_email_message(spec.email_verification_message.clone())
        .set_email_subject(spec.email_verification_subject.clone())
        .set_email_message_by_link(by_link.email_message_by_link.clone())
        .set_email_subject_by_link(by_link.email_subject_by_link.clone())
        .set_default_email_option(others::default_email_option(&spec.others))
        .build()
}

/// The overrides' settings with what the files do not set merged in (an email
/// configuration set, the add-ons' custom auth mode).
fn pool_settings(spec: &PoolSpec, action: &'static str) -> Result<extras::PoolExtras, CloudError> {
    let mut more = extras::pool_extras(spec, action)?;
    let o = &spec.others;
    if let Some(set) = &o.email_configuration.configuration_set {
        let e = more.email.take();
        let e = e.as_ref();
        more.email = Some(
            idp::types::EmailConfigurationType::builder()
                .set_source_arn(e.and_then(|e| e.source_arn()).map(str::to_string))
                .set_reply_to_email_address(
                    e.and_then(|e| e.reply_to_email_address())
                        .map(str::to_string),
                )
                .set_email_sending_account(e.and_then(|e| e.email_sending_account()).cloned())
                .set_from(e.and_then(|e| e.from()).map(str::to_string))
                .configuration_set(set)
                .build(),
        );
    }
    // Advanced security's additional flows exist only with its mode.
    if let Some(flows) = others::additional_flows(o)
        && let Some(a) = &more.add_ons
    {
        more.add_ons = Some(
            idp::types::UserPoolAddOnsType::builder()
                .advanced_security_mode(a.advanced_security_mode().clone())
                .advanced_security_additional_flows(flows)
                .build()
                .map_err(|e| CloudError::Failed {
                    action,
                    message: e.to_string(),
                })?,
        );
    }
    Ok(more)
}

fn verified(spec: &PoolSpec) -> Option<Vec<VerifiedAttributeType>> {
    some_vec(
        spec.auto_verified_attributes
            .iter()
            .map(|a| VerifiedAttributeType::from(a.as_str()))
            .collect(),
    )
}

fn tags(t: &BTreeMap<String, String>) -> Option<std::collections::HashMap<String, String>> {
    (!t.is_empty()).then(|| t.clone().into_iter().collect())
}

impl UserPoolApi for SdkDeploy {
    async fn find_user_pool(&self, name: &str) -> Result<Option<String>, CloudError> {
        Ok(self.user_pools_named(name, false).await?.into_iter().next())
    }

    async fn read_user_pool(&self, id: &str) -> Result<Option<LivePool>, CloudError> {
        let what = format!("User pool {id}");
        let describe = self.idp.describe_user_pool().user_pool_id(id).send();
        let mfa = self.idp.get_user_pool_mfa_config().user_pool_id(id).send();
        let (pool, mfa) = futures::join!(describe, mfa);
        let pool = absent(
            pool.map_err(|e| CloudError::from_sdk("cognito-idp:DescribeUserPool", &what, e)),
        )?;
        let Some(p) = pool.as_ref().and_then(|o| o.user_pool()) else {
            return Ok(None);
        };
        let mfa =
            mfa.map_err(|e| CloudError::from_sdk("cognito-idp:GetUserPoolMfaConfig", &what, e))?;
        let policy = p.policies().and_then(|x| x.password_policy());
        let sms = p.sms_configuration();
        let template = p.verification_message_template();
        let spec = PoolSpec {
            name: p.name().unwrap_or_default().to_string(),
            min_length: policy.and_then(|x| x.minimum_length()).unwrap_or(8),
            require_lowercase: policy.is_some_and(|x| x.require_lowercase()),
            require_uppercase: policy.is_some_and(|x| x.require_uppercase()),
            require_numbers: policy.is_some_and(|x| x.require_numbers()),
            require_symbols: policy.is_some_and(|x| x.require_symbols()),
            mfa: mfa
                .mfa_configuration()
                .or(p.mfa_configuration())
                .and_then(|m| MfaMode::parse(m.as_str()))
                .unwrap_or_default(),
            sms_mfa: mfa.sms_mfa_configuration().is_some(),
            totp_mfa: mfa
                .software_token_mfa_configuration()
                .is_some_and(|t| t.enabled()),
            sms_authentication_message: mfa
                .sms_mfa_configuration()
                .and_then(|s| s.sms_authentication_message())
                .or(p.sms_authentication_message())
                .map(str::to_string),
            username_attributes: strings(p.username_attributes()),
            alias_attributes: strings(p.alias_attributes()),
            auto_verified_attributes: strings(p.auto_verified_attributes()),
            required_attributes: sorted(
                p.schema_attributes()
                    .iter()
                    .filter(|a| a.required() == Some(true))
                    .filter_map(|a| a.name())
                    // AWS marks `sub` required in every pool.
                    .filter(|n| *n != "sub")
                    .map(str::to_string)
                    .collect(),
            ),
            case_sensitive: p
                .username_configuration()
                .map(|u| u.case_sensitive())
                .unwrap_or(true),
            sms_verification_message: template
                .and_then(|t| t.sms_message())
                .or(p.sms_verification_message())
                .map(str::to_string),
            email_verification_subject: template
                .and_then(|t| t.email_subject())
                .or(p.email_verification_subject())
                .map(str::to_string),
            email_verification_message: template
                .and_then(|t| t.email_message())
                .or(p.email_verification_message())
                .map(str::to_string),
            sms_role_arn: sms.map(|s| s.sns_caller_arn().to_string()),
            sms_external_id: sms.and_then(|s| s.external_id()).map(str::to_string),
            email_mfa: mfa.email_mfa_configuration().is_some(),
            overrides: extras::read_pool(p, &mfa),
            others: others::read_pool(p),
            tags: p
                .user_pool_tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        };
        Ok(Some(LivePool {
            id: p.id().unwrap_or(id).to_string(),
            arn: p.arn().unwrap_or_default().to_string(),
            spec,
            users: p.estimated_number_of_users() as i64,
        }))
    }

    async fn create_user_pool(&self, spec: &PoolSpec) -> Result<(String, String), CloudError> {
        const ACTION: &str = "cognito-idp:CreateUserPool";
        let more = pool_settings(spec, ACTION)?;
        let triggers = others::lambda_config(&spec.others, ACTION)?;
        let schema: Vec<SchemaAttributeType> = spec
            .required_attributes
            .iter()
            .map(|a| {
                SchemaAttributeType::builder()
                    .name(a)
                    .attribute_data_type(AttributeDataType::String)
                    .mutable(true)
                    .required(true)
                    .build()
            })
            .collect();
        let username = UsernameConfigurationType::builder()
            .case_sensitive(spec.case_sensitive)
            .build()
            .map_err(|e| CloudError::Failed {
                action: "cognito-idp:CreateUserPool",
                message: e.to_string(),
            })?;
        let mut waited = 0;
        let mut attempt = 0;
        let out = loop {
            let sent = self
                .idp
                .create_user_pool()
                .pool_name(&spec.name)
                .policies(password(spec))
                .set_schema(some_vec(schema.clone()))
                .set_username_attributes(some_vec(
                    spec.username_attributes
                        .iter()
                        .map(|a| UsernameAttributeType::from(a.as_str()))
                        .collect(),
                ))
                .set_alias_attributes(some_vec(
                    spec.alias_attributes
                        .iter()
                        .map(|a| AliasAttributeType::from(a.as_str()))
                        .collect(),
                ))
                .set_auto_verified_attributes(verified(spec))
                .set_sms_verification_message(spec.sms_verification_message.clone())
                .set_email_verification_message(spec.email_verification_message.clone())
                .set_email_verification_subject(spec.email_verification_subject.clone())
                .verification_message_template(template(spec))
                .set_sms_authentication_message(spec.sms_authentication_message.clone())
                .set_sms_configuration(sms_configuration(spec))
                .username_configuration(username.clone())
                .set_user_pool_tags(tags(&spec.tags))
                .set_user_pool_add_ons(more.add_ons.clone())
                .set_user_pool_tier(more.tier.clone())
                .set_deletion_protection(more.deletion_protection.clone())
                .set_account_recovery_setting(more.recovery.clone())
                .set_email_configuration(more.email.clone())
                .set_lambda_config(triggers.clone())
                .set_device_configuration(others::device_configuration(&spec.others))
                .set_admin_create_user_config(others::admin_create_user_config(&spec.others))
                .set_user_attribute_update_settings(others::user_attribute_update_settings(
                    &spec.others,
                ))
                .customize()
                .config_override(idp::config::Builder::default().retry_config(once()))
                .send()
                .await;
            match sent {
                Ok(out) => break out,
                // IAM takes seconds to make a new SMS role usable by Cognito.
                Err(e) if sms_role_not_ready(&e) && waited < SMS_ROLE_WAIT => {
                    self.pause(std::time::Duration::from_secs(2)).await;
                    waited += 2;
                }
                Err(e) => {
                    // A reply lost: the pool may have been made, and is then
                    // the one of this name with this push's owner tags.
                    if lost(&e)
                        && let Some(found) = self.find_own_pool(spec).await?
                    {
                        return Ok(found);
                    }
                    attempt += 1;
                    if !again(self, &e, attempt).await {
                        return Err(CloudError::from_sdk(
                            ACTION,
                            format!("User pool {}", spec.name),
                            e,
                        ));
                    }
                }
            }
        };
        let pool = out.user_pool();
        let id = pool.and_then(|p| p.id()).filter(|id| !id.is_empty());
        let id = id.ok_or_else(|| CloudError::Failed {
            action: "cognito-idp:CreateUserPool",
            message: "the reply named no user pool id".into(),
        })?;
        Ok((
            id.to_string(),
            pool.and_then(|p| p.arn()).unwrap_or_default().to_string(),
        ))
    }

    async fn update_user_pool(&self, id: &str, spec: &PoolSpec) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:UpdateUserPool";
        let more = pool_settings(spec, ACTION)?;
        let o = &spec.others;
        self.idp
            .update_user_pool()
            .user_pool_id(id)
            .policies(password(spec))
            .mfa_configuration(UserPoolMfaType::from(spec.mfa.as_str()))
            .set_auto_verified_attributes(verified(spec))
            .set_sms_verification_message(spec.sms_verification_message.clone())
            .set_email_verification_message(spec.email_verification_message.clone())
            .set_email_verification_subject(spec.email_verification_subject.clone())
            .verification_message_template(template(spec))
            .set_sms_authentication_message(spec.sms_authentication_message.clone())
            .set_sms_configuration(sms_configuration(spec))
            .set_user_pool_tags(tags(&spec.tags))
            .set_user_pool_add_ons(more.add_ons)
            .set_user_pool_tier(more.tier)
            .set_deletion_protection(more.deletion_protection)
            .set_account_recovery_setting(more.recovery)
            .set_email_configuration(more.email)
            .set_lambda_config(others::lambda_config(o, ACTION)?)
            .set_device_configuration(others::device_configuration(o))
            .set_admin_create_user_config(others::admin_create_user_config(o))
            .set_user_attribute_update_settings(others::user_attribute_update_settings(o))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| CloudError::from_sdk(ACTION, format!("User pool {id}"), e))
    }

    async fn set_mfa(&self, id: &str, spec: &PoolSpec) -> Result<(), CloudError> {
        let sms = spec.sms_mfa.then(|| {
            SmsMfaConfigType::builder()
                .set_sms_authentication_message(spec.sms_authentication_message.clone())
                .set_sms_configuration(sms_configuration(spec))
                .build()
        });
        let totp = spec
            .totp_mfa
            .then(|| SoftwareTokenMfaConfigType::builder().enabled(true).build());
        let (email, web_authn) = extras::mfa_extras(spec);
        self.idp
            .set_user_pool_mfa_config()
            .user_pool_id(id)
            .mfa_configuration(UserPoolMfaType::from(spec.mfa.as_str()))
            .set_sms_mfa_configuration(sms)
            .set_software_token_mfa_configuration(totp)
            .set_email_mfa_configuration(email)
            .set_web_authn_configuration(web_authn)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:SetUserPoolMfaConfig",
                    format!("User pool {id}"),
                    e,
                )
            })
    }

    async fn delete_user_pool(&self, id: &str) -> Result<(), CloudError> {
        let r = self.idp.delete_user_pool().user_pool_id(id).send().await;
        gone_or_deleted(r, "cognito-idp:DeleteUserPool", format!("User pool {id}"))
    }
}

impl ClientApi for SdkDeploy {
    async fn find_client(&self, pool: &str, name: &str) -> Result<Option<String>, CloudError> {
        let mut pages = self
            .idp
            .list_user_pool_clients()
            .user_pool_id(pool)
            .max_results(60)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:ListUserPoolClients",
                    format!("User pool {pool}"),
                    e,
                )
            })?;
            if let Some(c) = page
                .user_pool_clients()
                .iter()
                .find(|c| c.client_name() == Some(name))
            {
                return Ok(c.client_id().map(str::to_string));
            }
        }
        Ok(None)
    }

    async fn read_client(&self, pool: &str, id: &str) -> Result<Option<LiveClient>, CloudError> {
        let r = self
            .idp
            .describe_user_pool_client()
            .user_pool_id(pool)
            .client_id(id)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:DescribeUserPoolClient",
                    format!("App client {id}"),
                    e,
                )
            });
        let Some(c) = absent(r)?.and_then(|o| o.user_pool_client().cloned()) else {
            return Ok(None);
        };
        Ok(Some(LiveClient {
            id: id.to_string(),
            secret: c.client_secret().map(str::to_string),
            spec: ClientSpec {
                name: c.client_name().unwrap_or_default().to_string(),
                generate_secret: c.client_secret().is_some(),
                refresh_token_days: c.refresh_token_validity(),
                read_attributes: strings(c.read_attributes()),
                write_attributes: strings(c.write_attributes()),
                oauth_flows: sorted(
                    c.allowed_o_auth_flows()
                        .iter()
                        .map(|f| f.as_str().to_string())
                        .collect(),
                ),
                oauth_scopes: strings(c.allowed_o_auth_scopes()),
                callback_urls: strings(c.callback_urls()),
                logout_urls: strings(c.logout_urls()),
                identity_providers: strings(c.supported_identity_providers()),
                overrides: extras::read_client(&c),
                others: others::read_client(&c),
            },
        }))
    }

    async fn create_client(&self, pool: &str, spec: &ClientSpec) -> Result<LiveClient, CloudError> {
        const ACTION: &str = "cognito-idp:CreateUserPoolClient";
        let more = extras::client_extras(spec);
        let mut attempt = 0;
        let out = loop {
            let sent = self
                .idp
                .create_user_pool_client()
                .user_pool_id(pool)
                .client_name(&spec.name)
                .generate_secret(spec.generate_secret)
                .refresh_token_validity(spec.refresh_token_days)
                .token_validity_units(more.units.clone())
                .set_explicit_auth_flows(more.flows.clone())
                .set_access_token_validity(more.access)
                .set_id_token_validity(more.id)
                .set_auth_session_validity(more.auth_session)
                .set_enable_token_revocation(more.revocation)
                .set_prevent_user_existence_errors(more.prevent_errors.clone())
                .set_read_attributes(some_vec(spec.read_attributes.clone()))
                .set_write_attributes(some_vec(spec.write_attributes.clone()))
                .set_allowed_o_auth_flows(oauth_flows(spec))
                .set_allowed_o_auth_scopes(some_vec(spec.oauth_scopes.clone()))
                .set_callback_urls(some_vec(spec.callback_urls.clone()))
                .set_logout_urls(some_vec(spec.logout_urls.clone()))
                .set_supported_identity_providers(some_vec(spec.identity_providers.clone()))
                .allowed_o_auth_flows_user_pool_client(!spec.oauth_flows.is_empty())
                .set_default_redirect_uri(spec.others.default_redirect_uri.clone())
                .set_analytics_configuration(others::analytics(&spec.others))
                .set_enable_propagate_additional_user_context_data(
                    spec.others.enable_propagate_additional_user_context_data,
                )
                .set_refresh_token_rotation(others::refresh_token_rotation(&spec.others, ACTION)?)
                .customize()
                .config_override(idp::config::Builder::default().retry_config(once()))
                .send()
                .await;
            match sent {
                Ok(out) => break out,
                Err(e) => {
                    // A reply lost: the client may have been made, and is then
                    // the pool's client of this name.
                    if lost(&e)
                        && let Some(id) = self.find_client(pool, &spec.name).await?
                        && let Some(found) = self.read_client(pool, &id).await?
                    {
                        return Ok(found);
                    }
                    attempt += 1;
                    if !again(self, &e, attempt).await {
                        return Err(CloudError::from_sdk(
                            ACTION,
                            format!("App client {}", spec.name),
                            e,
                        ));
                    }
                }
            }
        };
        let c = out.user_pool_client();
        let id = c.and_then(|c| c.client_id()).filter(|id| !id.is_empty());
        Ok(LiveClient {
            id: id
                .ok_or_else(|| CloudError::Failed {
                    action: ACTION,
                    message: "the reply named no client id".into(),
                })?
                .to_string(),
            spec: spec.clone(),
            secret: c.and_then(|c| c.client_secret()).map(str::to_string),
        })
    }

    async fn update_client(
        &self,
        pool: &str,
        id: &str,
        spec: &ClientSpec,
    ) -> Result<(), CloudError> {
        let more = extras::client_extras(spec);
        self.idp
            .update_user_pool_client()
            .user_pool_id(pool)
            .client_id(id)
            .client_name(&spec.name)
            .refresh_token_validity(spec.refresh_token_days)
            .token_validity_units(more.units)
            .set_explicit_auth_flows(more.flows)
            .set_access_token_validity(more.access)
            .set_id_token_validity(more.id)
            .set_auth_session_validity(more.auth_session)
            .set_enable_token_revocation(more.revocation)
            .set_prevent_user_existence_errors(more.prevent_errors)
            .set_read_attributes(Some(spec.read_attributes.clone()))
            .set_write_attributes(Some(spec.write_attributes.clone()))
            .set_allowed_o_auth_flows(Some(oauth_flows(spec).unwrap_or_default()))
            .set_allowed_o_auth_scopes(Some(spec.oauth_scopes.clone()))
            .set_callback_urls(Some(spec.callback_urls.clone()))
            .set_logout_urls(Some(spec.logout_urls.clone()))
            .set_supported_identity_providers(Some(spec.identity_providers.clone()))
            .allowed_o_auth_flows_user_pool_client(!spec.oauth_flows.is_empty())
            .set_default_redirect_uri(spec.others.default_redirect_uri.clone())
            .set_analytics_configuration(others::analytics(&spec.others))
            .set_enable_propagate_additional_user_context_data(
                spec.others.enable_propagate_additional_user_context_data,
            )
            .set_refresh_token_rotation(others::refresh_token_rotation(
                &spec.others,
                "cognito-idp:UpdateUserPoolClient",
            )?)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:UpdateUserPoolClient",
                    format!("App client {id}"),
                    e,
                )
            })
    }

    async fn delete_client(&self, pool: &str, id: &str) -> Result<(), CloudError> {
        let r = self
            .idp
            .delete_user_pool_client()
            .user_pool_id(pool)
            .client_id(id)
            .send()
            .await;
        gone_or_deleted(
            r,
            "cognito-idp:DeleteUserPoolClient",
            format!("App client {id}"),
        )
    }
}

impl DomainApi for SdkDeploy {
    async fn read_domain(&self, domain: &str) -> Result<Option<String>, CloudError> {
        let out = self
            .idp
            .describe_user_pool_domain()
            .domain(domain)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:DescribeUserPoolDomain",
                    format!("Domain {domain}"),
                    e,
                )
            });
        // An unknown domain is an empty description, not an error.
        Ok(absent(out)?
            .and_then(|o| o.domain_description().cloned())
            .and_then(|d| d.user_pool_id().map(str::to_string))
            .filter(|id| !id.is_empty()))
    }

    async fn create_domain(&self, pool: &str, domain: &str) -> Result<(), CloudError> {
        self.idp
            .create_user_pool_domain()
            .user_pool_id(pool)
            .domain(domain)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:CreateUserPoolDomain",
                    format!("Domain {domain}"),
                    e,
                )
            })
    }

    async fn delete_domain(&self, pool: &str, domain: &str) -> Result<(), CloudError> {
        let r = self
            .idp
            .delete_user_pool_domain()
            .user_pool_id(pool)
            .domain(domain)
            .send()
            .await;
        gone_or_deleted(
            r,
            "cognito-idp:DeleteUserPoolDomain",
            format!("Domain {domain}"),
        )
    }
}

impl SocialApi for SdkDeploy {
    async fn read_provider(
        &self,
        pool: &str,
        name: &str,
    ) -> Result<Option<ProviderSpec>, CloudError> {
        let r = self
            .idp
            .describe_identity_provider()
            .user_pool_id(pool)
            .provider_name(name)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:DescribeIdentityProvider",
                    format!("Identity provider {name}"),
                    e,
                )
            });
        let Some(p) = absent(r)?.and_then(|o| o.identity_provider().cloned()) else {
            return Ok(None);
        };
        let map = |m: Option<&std::collections::HashMap<String, String>>| {
            m.map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        Ok(Some(ProviderSpec {
            name: name.to_string(),
            provider_type: p
                .provider_type()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            details: map(p.provider_details()),
            attribute_mapping: map(p.attribute_mapping()),
            others: ProviderOthers {
                idp_identifiers: p.idp_identifiers().to_vec(),
            },
        }))
    }

    async fn create_provider(&self, pool: &str, spec: &ProviderSpec) -> Result<(), CloudError> {
        self.idp
            .create_identity_provider()
            .user_pool_id(pool)
            .provider_name(&spec.name)
            .provider_type(IdentityProviderTypeType::from(spec.provider_type.as_str()))
            .set_provider_details(Some(spec.details.clone().into_iter().collect()))
            .set_attribute_mapping(Some(spec.attribute_mapping.clone().into_iter().collect()))
            .set_idp_identifiers(some_vec(spec.others.idp_identifiers.clone()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:CreateIdentityProvider",
                    format!("Identity provider {}", spec.name),
                    e,
                )
            })
    }

    async fn update_provider(&self, pool: &str, spec: &ProviderSpec) -> Result<(), CloudError> {
        self.idp
            .update_identity_provider()
            .user_pool_id(pool)
            .provider_name(&spec.name)
            .set_provider_details(Some(spec.details.clone().into_iter().collect()))
            .set_attribute_mapping(Some(spec.attribute_mapping.clone().into_iter().collect()))
            .set_idp_identifiers(some_vec(spec.others.idp_identifiers.clone()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:UpdateIdentityProvider",
                    format!("Identity provider {}", spec.name),
                    e,
                )
            })
    }

    async fn delete_provider(&self, pool: &str, name: &str) -> Result<(), CloudError> {
        let r = self
            .idp
            .delete_identity_provider()
            .user_pool_id(pool)
            .provider_name(name)
            .send()
            .await;
        gone_or_deleted(
            r,
            "cognito-idp:DeleteIdentityProvider",
            format!("Identity provider {name}"),
        )
    }
}

impl GroupApi for SdkDeploy {
    async fn read_group(&self, pool: &str, name: &str) -> Result<Option<GroupSpec>, CloudError> {
        let r = self
            .idp
            .get_group()
            .user_pool_id(pool)
            .group_name(name)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk("cognito-idp:GetGroup", format!("Group {name}"), e));
        Ok(absent(r)?
            .and_then(|o| o.group().cloned())
            .map(|g| GroupSpec {
                name: name.to_string(),
                precedence: g.precedence(),
                role_arn: g.role_arn().map(str::to_string),
                others: GroupOthers {
                    description: g.description().map(str::to_string),
                },
            }))
    }

    async fn create_group(&self, pool: &str, spec: &GroupSpec) -> Result<(), CloudError> {
        self.idp
            .create_group()
            .user_pool_id(pool)
            .group_name(&spec.name)
            .set_precedence(spec.precedence)
            .set_role_arn(spec.role_arn.clone())
            .set_description(spec.others.description.clone())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                CloudError::from_sdk("cognito-idp:CreateGroup", format!("Group {}", spec.name), e)
            })
    }

    async fn update_group(&self, pool: &str, spec: &GroupSpec) -> Result<(), CloudError> {
        self.idp
            .update_group()
            .user_pool_id(pool)
            .group_name(&spec.name)
            .set_precedence(spec.precedence)
            .set_role_arn(spec.role_arn.clone())
            .set_description(spec.others.description.clone())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                CloudError::from_sdk("cognito-idp:UpdateGroup", format!("Group {}", spec.name), e)
            })
    }

    async fn delete_group(&self, pool: &str, name: &str) -> Result<(), CloudError> {
        let r = self
            .idp
            .delete_group()
            .user_pool_id(pool)
            .group_name(name)
            .send()
            .await;
        gone_or_deleted(r, "cognito-idp:DeleteGroup", format!("Group {name}"))
    }
}

impl IdentityPoolApi for SdkDeploy {
    async fn find_identity_pool(&self, name: &str) -> Result<Option<String>, CloudError> {
        Ok(self
            .identity_pools_named(name, false)
            .await?
            .into_iter()
            .next())
    }

    async fn read_identity_pool(&self, id: &str) -> Result<Option<IdentityPoolSpec>, CloudError> {
        let r = self
            .identity
            .describe_identity_pool()
            .identity_pool_id(id)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-identity:DescribeIdentityPool",
                    format!("Identity pool {id}"),
                    e,
                )
            });
        let Some(p) = absent(r)? else {
            return Ok(None);
        };
        let pair = |c: &identity::types::CognitoIdentityProvider| {
            (
                c.provider_name().unwrap_or_default().to_string(),
                c.client_id().unwrap_or_default().to_string(),
            )
        };
        let mut providers: Vec<(String, String)> =
            p.cognito_identity_providers().iter().map(pair).collect();
        providers.sort();
        let mut checked: Vec<(String, String)> = p
            .cognito_identity_providers()
            .iter()
            .filter(|c| c.server_side_token_check() == Some(true))
            .map(pair)
            .collect();
        checked.sort();
        Ok(Some(IdentityPoolSpec {
            name: p.identity_pool_name().to_string(),
            allow_unauthenticated: p.allow_unauthenticated_identities(),
            cognito_providers: providers,
            login_providers: p
                .supported_login_providers()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            tags: p
                .identity_pool_tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            overrides: IdentityPoolOverrides {
                allow_classic_flow: p.allow_classic_flow(),
            },
            others: IdentityPoolOthers {
                developer_provider_name: p.developer_provider_name().map(str::to_string),
                open_id_connect_provider_arns: strings(p.open_id_connect_provider_arns()),
                saml_provider_arns: strings(p.saml_provider_arns()),
                server_side_token_check: checked,
            },
        }))
    }

    async fn create_identity_pool(&self, spec: &IdentityPoolSpec) -> Result<String, CloudError> {
        const ACTION: &str = "cognito-identity:CreateIdentityPool";
        let mut attempt = 0;
        let out = loop {
            let sent = self
                .identity
                .create_identity_pool()
                .identity_pool_name(&spec.name)
                .allow_unauthenticated_identities(spec.allow_unauthenticated)
                .set_allow_classic_flow(classic_flow(spec))
                .set_cognito_identity_providers(Some(cognito_providers(spec)))
                .set_supported_login_providers(some_map(&spec.login_providers))
                .set_identity_pool_tags(tags(&spec.tags))
                .set_developer_provider_name(spec.others.developer_provider_name.clone())
                .set_open_id_connect_provider_arns(some_vec(
                    spec.others.open_id_connect_provider_arns.clone(),
                ))
                .set_saml_provider_arns(some_vec(spec.others.saml_provider_arns.clone()))
                .customize()
                .config_override(identity::config::Builder::default().retry_config(once()))
                .send()
                .await;
            match sent {
                Ok(out) => break out,
                Err(e) => {
                    // A reply lost: the identity pool may have been made, and
                    // is then the one of this name with this push's owner tags.
                    if lost(&e)
                        && let Some(id) = self.find_own_identity_pool(spec).await?
                    {
                        return Ok(id);
                    }
                    attempt += 1;
                    if !again(self, &e, attempt).await {
                        return Err(CloudError::from_sdk(
                            ACTION,
                            format!("Identity pool {}", spec.name),
                            e,
                        ));
                    }
                }
            }
        };
        Ok(out.identity_pool_id().to_string())
    }

    async fn update_identity_pool(
        &self,
        id: &str,
        spec: &IdentityPoolSpec,
    ) -> Result<(), CloudError> {
        self.identity
            .update_identity_pool()
            .identity_pool_id(id)
            .identity_pool_name(&spec.name)
            .allow_unauthenticated_identities(spec.allow_unauthenticated)
            .set_allow_classic_flow(classic_flow(spec))
            .set_cognito_identity_providers(Some(cognito_providers(spec)))
            .set_supported_login_providers(Some(spec.login_providers.clone().into_iter().collect()))
            .set_identity_pool_tags(tags(&spec.tags))
            .set_developer_provider_name(spec.others.developer_provider_name.clone())
            .set_open_id_connect_provider_arns(some_vec(
                spec.others.open_id_connect_provider_arns.clone(),
            ))
            .set_saml_provider_arns(some_vec(spec.others.saml_provider_arns.clone()))
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-identity:UpdateIdentityPool",
                    format!("Identity pool {id}"),
                    e,
                )
            })
            .map(|_| ())
    }

    async fn delete_identity_pool(&self, id: &str) -> Result<(), CloudError> {
        let r = self
            .identity
            .delete_identity_pool()
            .identity_pool_id(id)
            .send()
            .await;
        gone_or_deleted(
            r,
            "cognito-identity:DeleteIdentityPool",
            format!("Identity pool {id}"),
        )
    }

    async fn read_pool_roles(&self, id: &str) -> Result<Option<PoolRoles>, CloudError> {
        let r = self
            .identity
            .get_identity_pool_roles()
            .identity_pool_id(id)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-identity:GetIdentityPoolRoles",
                    format!("Identity pool {id}"),
                    e,
                )
            });
        let Some(out) = absent(r)? else {
            return Ok(None);
        };
        let role = |k: &str| out.roles().and_then(|m| m.get(k)).cloned();
        Ok(Some(PoolRoles {
            auth_role: role("authenticated"),
            unauth_role: role("unauthenticated"),
            token_role_mappings: sorted(
                out.role_mappings()
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default(),
            ),
        }))
    }

    async fn set_pool_roles(&self, id: &str, roles: &PoolRoles) -> Result<(), CloudError> {
        self.put_roles(id, roles).await
    }
}

impl RoleApi for SdkDeploy {
    async fn read_role(&self, name: &str) -> Result<Option<(String, RoleSpec)>, CloudError> {
        let r = self
            .iam
            .get_role()
            .role_name(name)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk("iam:GetRole", format!("IAM role {name}"), e));
        let Some(role) = absent(r)?.and_then(|o| o.role().cloned()) else {
            return Ok(None);
        };
        Ok(Some((
            role.arn().to_string(),
            RoleSpec {
                name: role.role_name().to_string(),
                trust: role
                    .assume_role_policy_document()
                    .map(decode_policy)
                    .unwrap_or_default(),
                tags: role
                    .tags()
                    .iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .collect(),
            },
        )))
    }

    async fn create_role(&self, spec: &RoleSpec) -> Result<String, CloudError> {
        let tags: Vec<iam::types::Tag> = spec
            .tags
            .iter()
            .filter_map(|(k, v)| iam::types::Tag::builder().key(k).value(v).build().ok())
            .collect();
        let (mut attempt, mut lost_once) = (0, false);
        let out = loop {
            let sent = self
                .iam
                .create_role()
                .role_name(&spec.name)
                .assume_role_policy_document(spec.trust.to_string())
                .set_tags(some_vec(tags.clone()))
                .customize()
                .config_override(iam::config::Builder::default().retry_config(once()))
                .send()
                .await;
            match sent {
                Ok(out) => break out,
                Err(e) if again(self, &e, attempt + 1).await => {
                    attempt += 1;
                    lost_once |= lost(&e);
                }
                // A name is unique: after an attempt whose reply was lost, the
                // role of this name is this push's if it carries its owner tags.
                Err(e) if lost_once && e.code() == Some("EntityAlreadyExists") => {
                    match self.read_role(&spec.name).await? {
                        Some((arn, live)) if owned(&spec.tags, &live.tags) => return Ok(arn),
                        _ => {
                            return Err(CloudError::from_sdk(
                                "iam:CreateRole",
                                format!("IAM role {}", spec.name),
                                e,
                            ));
                        }
                    }
                }
                Err(e) => {
                    return Err(CloudError::from_sdk(
                        "iam:CreateRole",
                        format!("IAM role {}", spec.name),
                        e,
                    ));
                }
            }
        };
        out.role()
            .map(|r| r.arn().to_string())
            .filter(|a| !a.is_empty())
            .ok_or_else(|| CloudError::Failed {
                action: "iam:CreateRole",
                message: "the reply named no role ARN".into(),
            })
    }

    async fn update_trust(&self, spec: &RoleSpec) -> Result<(), CloudError> {
        self.iam
            .update_assume_role_policy()
            .role_name(&spec.name)
            .policy_document(spec.trust.to_string())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                CloudError::from_sdk(
                    "iam:UpdateAssumeRolePolicy",
                    format!("IAM role {}", spec.name),
                    e,
                )
            })
    }

    async fn delete_role(&self, name: &str) -> Result<(), CloudError> {
        let r = self.iam.delete_role().role_name(name).send().await;
        gone_or_deleted(r, "iam:DeleteRole", format!("IAM role {name}"))
    }
}

impl SdkDeploy {
    async fn put_roles(&self, id: &str, spec: &PoolRoles) -> Result<(), CloudError> {
        let mut call = self
            .identity
            .set_identity_pool_roles()
            .identity_pool_id(id)
            .set_roles(Some(Default::default()));
        if let Some(r) = &spec.auth_role {
            call = call.roles("authenticated", r);
        }
        if let Some(r) = &spec.unauth_role {
            call = call.roles("unauthenticated", r);
        }
        for provider in &spec.token_role_mappings {
            let mapping = identity::types::RoleMapping::builder()
                .r#type(identity::types::RoleMappingType::Token)
                .ambiguous_role_resolution(
                    identity::types::AmbiguousRoleResolutionType::AuthenticatedRole,
                )
                .build()
                .map_err(|e| CloudError::Failed {
                    action: "cognito-identity:SetIdentityPoolRoles",
                    message: e.to_string(),
                })?;
            call = call.role_mappings(provider, mapping);
        }
        call.send().await.map(|_| ()).map_err(|e| {
            CloudError::from_sdk(
                "cognito-identity:SetIdentityPoolRoles",
                format!("Identity pool {id}"),
                e,
            )
        })
    }
}

/// A create is sent once by the SDK: a retry after a reply that was lost
/// would make a second resource. [`again`] decides what is tried again.
fn once() -> aws_smithy_types::retry::RetryConfig {
    aws_smithy_types::retry::RetryConfig::disabled()
}

/// Attempts of a create (the SDK's own default).
const CREATE_ATTEMPTS: u32 = 3;

/// Whether a failed call may have been applied: no reply (a timeout, a dropped
/// connection, an unreadable answer) or a server error.
fn lost<E>(e: &aws_smithy_runtime_api::client::result::SdkError<E, HttpResponse>) -> bool {
    use aws_smithy_runtime_api::client::result::SdkError;
    match e {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(s) => s.raw().status().as_u16() >= 500,
        _ => false,
    }
}

/// Whether a create is tried again after `e` (attempt `n`, from 1): throttled
/// (nothing was made), or lost once the caller looked and found nothing.
/// Waits a little first.
async fn again<E: ProvideErrorMetadata>(
    d: &SdkDeploy,
    e: &aws_smithy_runtime_api::client::result::SdkError<E, HttpResponse>,
    n: u32,
) -> bool {
    let throttled = matches!(
        e.code(),
        Some("ThrottlingException" | "TooManyRequestsException" | "Throttling")
    );
    if !(throttled || lost(e)) || n >= CREATE_ATTEMPTS {
        return false;
    }
    d.pause(std::time::Duration::from_millis(200 * u64::from(n)))
        .await;
    true
}

/// Whether a resource carries every owner tag a create gives it.
fn owned(wanted: &BTreeMap<String, String>, live: &BTreeMap<String, String>) -> bool {
    !wanted.is_empty() && wanted.iter().all(|(k, v)| live.get(k) == Some(v))
}

impl SdkDeploy {
    /// The ids of the user pools of that name: every one, or (`all` false) the
    /// first, read no further than the page that holds it.
    async fn user_pools_named(&self, name: &str, all: bool) -> Result<Vec<String>, CloudError> {
        let mut pages = self
            .idp
            .list_user_pools()
            .max_results(60)
            .into_paginator()
            .send();
        let mut named = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page
                .map_err(|e| CloudError::from_sdk("cognito-idp:ListUserPools", "User pools", e))?;
            named.extend(
                page.user_pools()
                    .iter()
                    .filter(|p| p.name() == Some(name))
                    .filter_map(|p| p.id().map(str::to_string)),
            );
            if !all && !named.is_empty() {
                break;
            }
        }
        Ok(named)
    }

    /// The ids of the identity pools of that name (as [`Self::user_pools_named`]).
    async fn identity_pools_named(&self, name: &str, all: bool) -> Result<Vec<String>, CloudError> {
        let mut pages = self
            .identity
            .list_identity_pools()
            .max_results(60)
            .into_paginator()
            .send();
        let mut named = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                CloudError::from_sdk("cognito-identity:ListIdentityPools", "Identity pools", e)
            })?;
            named.extend(
                page.identity_pools()
                    .iter()
                    .filter(|p| p.identity_pool_name() == Some(name))
                    .filter_map(|p| p.identity_pool_id().map(str::to_string)),
            );
            if !all && !named.is_empty() {
                break;
            }
        }
        Ok(named)
    }

    /// The user pool of `spec`'s name that carries its owner tags: what a
    /// create whose reply was lost made.
    async fn find_own_pool(&self, spec: &PoolSpec) -> Result<Option<(String, String)>, CloudError> {
        for id in self.user_pools_named(&spec.name, true).await? {
            if let Some(p) = self.read_user_pool(&id).await?
                && owned(&spec.tags, &p.spec.tags)
            {
                return Ok(Some((p.id, p.arn)));
            }
        }
        Ok(None)
    }

    /// The identity pool of `spec`'s name that carries its owner tags.
    async fn find_own_identity_pool(
        &self,
        spec: &IdentityPoolSpec,
    ) -> Result<Option<String>, CloudError> {
        for id in self.identity_pools_named(&spec.name, true).await? {
            if let Some(p) = self.read_identity_pool(&id).await?
                && owned(&spec.tags, &p.tags)
            {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }
}

/// A delete's answer: done, or already gone (what was wanted).
fn gone_or_deleted<T, E, R>(
    r: Result<T, aws_smithy_runtime_api::client::result::SdkError<E, R>>,
    action: &'static str,
    what: String,
) -> Result<(), CloudError>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata
        + std::error::Error
        + Send
        + Sync
        + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    absent(r.map_err(|e| CloudError::from_sdk(action, what, e))).map(|_| ())
}

/// Seconds to wait for a new SMS role to become usable.
const SMS_ROLE_WAIT: u64 = 30;

fn sms_role_not_ready<E: aws_smithy_types::error::metadata::ProvideErrorMetadata, R>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> bool {
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    matches!(
        e.code(),
        Some("InvalidSmsRoleTrustRelationshipException" | "InvalidSmsRoleAccessPolicyException")
    )
}

fn oauth_flows(spec: &ClientSpec) -> Option<Vec<OAuthFlowType>> {
    some_vec(
        spec.oauth_flows
            .iter()
            .map(|f| OAuthFlowType::from(f.as_str()))
            .collect(),
    )
}

fn some_map(m: &BTreeMap<String, String>) -> Option<std::collections::HashMap<String, String>> {
    (!m.is_empty()).then(|| m.clone().into_iter().collect())
}

fn cognito_providers(spec: &IdentityPoolSpec) -> Vec<identity::types::CognitoIdentityProvider> {
    spec.cognito_providers
        .iter()
        .map(|(provider, client)| {
            identity::types::CognitoIdentityProvider::builder()
                .provider_name(provider)
                .client_id(client)
                .server_side_token_check(
                    spec.others
                        .server_side_token_check
                        .contains(&(provider.clone(), client.clone())),
                )
                .build()
        })
        .collect()
}

fn classic_flow(spec: &IdentityPoolSpec) -> Option<bool> {
    spec.overrides.allow_classic_flow
}
