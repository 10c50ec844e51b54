//! Questions more than one command asks.

use crate::cli::{AddAnswers, AuthAnswers, UpdateAnswers};
use crate::error::Result;
use crate::prompt::{Asker, Choice, Question, invalid};

pub(crate) fn region_question() -> Question {
    Question::new("region", "Select the AWS region", "--region REGION")
}

/// The region question (init and env add): a given `--region` must be one of
/// `regions` (else the error names the nearest ones), `--yes` takes `default`.
pub(crate) fn ask_region(asker: &mut Asker, regions: &[String], default: usize) -> Result<String> {
    let q = region_question();
    if let Some(given) = asker.given("region")
        && !regions.iter().any(|r| r == given)
    {
        return Err(invalid(&q, crate::cloud::unknown_region(given)).into());
    }
    let choices: Vec<Choice> = regions.iter().map(|r| Choice::new(r, r)).collect();
    Ok(regions[asker.select(&q, &choices, default)?].clone())
}

/// The walkthrough flags of `add auth` / `update auth` as pre-given answers
/// (each flag's name is its question's id).
pub(crate) fn give_auth_answers(asker: &mut Asker, a: &AuthAnswers) {
    use crate::auth::managed::questions as q;
    for (id, value) in [
        (q::AUTH_SELECTIONS, &a.auth_selections),
        (q::UNAUTHENTICATED_LOGIN, &a.unauthenticated_login),
        (q::THIRD_PARTY_AUTH, &a.third_party_auth),
        (q::IDENTITY_PROVIDERS, &a.identity_providers),
        (q::FACEBOOK_APP_ID, &a.facebook_app_id),
        (q::GOOGLE_CLIENT_ID, &a.google_client_id),
        (q::AMAZON_APP_ID, &a.amazon_app_id),
        (q::APPLE_BUNDLE_ID, &a.apple_bundle_id),
        (q::USER_POOL_GROUPS, &a.user_pool_groups),
        (q::GROUP_NAMES, &a.group_names),
        (q::GROUP_ORDER, &a.group_order),
        (q::ADMIN_QUERIES, &a.admin_queries),
        (q::MFA, &a.mfa),
        (q::MFA_TYPES, &a.mfa_types),
        (q::SMS_AUTH_MESSAGE, &a.sms_auth_message),
        (q::EMAIL_REGISTRATION, &a.email_registration),
        (q::EMAIL_SUBJECT, &a.email_subject),
        (q::EMAIL_MESSAGE, &a.email_message),
        (q::SMS_VERIFICATION_MESSAGE, &a.sms_verification_message),
        (q::OVERRIDE_PASSWORD_POLICY, &a.override_password_policy),
        (q::PASSWORD_MIN_LENGTH, &a.password_min_length),
        (q::PASSWORD_CHARACTERS, &a.password_characters),
        (q::REFRESH_TOKEN_PERIOD, &a.refresh_token_period),
        (q::SET_ATTRIBUTES, &a.set_attributes),
        (q::READ_ATTRIBUTES, &a.read_attributes),
        (q::WRITE_ATTRIBUTES, &a.write_attributes),
        (q::CAPABILITIES_ID, &a.capabilities),
        (q::OAUTH, &a.oauth),
        (q::DOMAIN_PREFIX, &a.domain_prefix),
        (q::SIGNIN_URIS, &a.redirect_signin_uris),
        (q::SIGNOUT_URIS, &a.redirect_signout_uris),
        (q::OAUTH_FLOW, &a.oauth_flow),
        (q::OAUTH_SCOPES, &a.oauth_scopes),
        (q::SOCIAL_PROVIDERS, &a.social_providers),
        (q::FACEBOOK_OAUTH_APP_ID, &a.facebook_oauth_app_id),
        (q::FACEBOOK_OAUTH_APP_SECRET, &a.facebook_oauth_app_secret),
        (q::GOOGLE_OAUTH_CLIENT_ID, &a.google_oauth_client_id),
        (q::GOOGLE_OAUTH_CLIENT_SECRET, &a.google_oauth_client_secret),
        (q::AMAZON_OAUTH_APP_ID, &a.amazon_oauth_app_id),
        (q::AMAZON_OAUTH_APP_SECRET, &a.amazon_oauth_app_secret),
        (q::APPLE_SERVICES_ID, &a.apple_services_id),
        (q::APPLE_TEAM_ID, &a.apple_team_id),
        (q::APPLE_KEY_ID, &a.apple_key_id),
        (q::APPLE_PRIVATE_KEY, &a.apple_private_key),
        (q::LAMBDA_TRIGGERS, &a.lambda_triggers),
    ] {
        asker.give(id, value.clone());
    }
}

/// The flags of the questions only `add auth` asks.
pub(crate) fn give_add_answers(asker: &mut Asker, a: &AddAnswers) {
    use crate::auth::managed::questions as q;
    for (id, value) in [
        (q::DEFAULT_CONFIG, &a.default_config),
        (q::RESOURCE_NAME, &a.resource_name),
        (q::IDENTITY_POOL_NAME, &a.identity_pool_name),
        (q::USER_POOL_NAME, &a.user_pool_name),
        (q::SIGN_IN, &a.sign_in),
        (q::ADVANCED, &a.advanced_settings),
        (q::REQUIRED_ATTRIBUTES, &a.required_attributes),
    ] {
        asker.give(id, value.clone());
    }
}

/// The flags of the questions only `update auth` asks.
pub(crate) fn give_update_answers(asker: &mut Asker, a: &UpdateAnswers) {
    use crate::auth::managed::questions as q;
    for (id, value) in [
        (q::ACTION, &a.action),
        (q::DELETE_GROUPS, &a.delete_groups),
        (q::EDIT_SIGNIN_URIS, &a.edit_signin_uris),
        (q::UPDATED_SIGNIN_URIS, &a.updated_signin_uris),
        (q::ADD_SIGNIN_URIS, &a.add_signin_uris),
        (q::EDIT_SIGNOUT_URIS, &a.edit_signout_uris),
        (q::UPDATED_SIGNOUT_URIS, &a.updated_signout_uris),
        (q::ADD_SIGNOUT_URIS, &a.add_signout_uris),
    ] {
        asker.give(id, value.clone());
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::auth::managed::questions::ADD_AUTH;
    use crate::cli::{AddCommand, Cli, Command, UpdateCommand};
    use crate::prompt::NoTerminal;

    /// The ids `authwiz <args> --<id> x` pre-answers, if it parses.
    fn given_by(args: &[&str], id: &str) -> Option<bool> {
        let flag = format!("--{id}");
        let mut argv = vec!["authwiz"];
        argv.extend_from_slice(args);
        argv.extend([flag.as_str(), "x"]);
        let cli = Cli::try_parse_from(argv).ok()?;
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        match cli.command {
            Command::Add(AddCommand::Auth(a)) => {
                give_add_answers(&mut asker, &a.add);
                give_auth_answers(&mut asker, &a.answers);
            }
            Command::Update(UpdateCommand::Auth(a)) => {
                give_update_answers(&mut asker, &a.update);
                give_auth_answers(&mut asker, &a.answers);
            }
            _ => return None,
        }
        Some(asker.is_given(id))
    }

    #[test]
    fn every_question_has_a_flag_that_answers_it() {
        for spec in ADD_AUTH {
            let by_add = given_by(&["add", "auth"], spec.id);
            let by_update = given_by(&["update", "auth"], spec.id);
            assert!(
                by_add == Some(true) || by_update == Some(true),
                "--{} answers no question ({by_add:?}, {by_update:?})",
                spec.id
            );
        }
    }
}
