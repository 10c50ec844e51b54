//! The questions of `amplify add auth` and `amplify update auth` (14.2.2), in
//! Amplify's order, each with its flag: one spec per question, and one table per
//! command ([`ADD_AUTH`], [`UPDATE_AUTH`]) listing the specs it asks, those of the
//! questions both ask shared. A question's condition says when it is asked
//! (Amplify's `andConditions`, `orConditions` and `preventEdit`), and under
//! `update auth` a question's default is the resource's current value.

use super::base::*;
use super::rules;
use super::triggers;
use super::{Choices, Default, Help, Kind, Opt, Spec, Walk, opt};
use crate::prompt::Choice;
use crate::vocab::{MFA_SMS, MfaMode, PasswordRule, STANDARD_ATTRIBUTES};

// Question ids: each is also its flag's name.
pub const AUTH_SELECTIONS: &str = "auth-selections";
pub const RESOURCE_NAME: &str = "resource-name";
pub const IDENTITY_POOL_NAME: &str = "identity-pool-name";
pub const UNAUTHENTICATED_LOGIN: &str = "unauthenticated-login";
pub const THIRD_PARTY_AUTH: &str = "third-party-auth";
pub const IDENTITY_PROVIDERS: &str = "identity-providers";
pub const FACEBOOK_APP_ID: &str = "facebook-app-id";
pub const GOOGLE_CLIENT_ID: &str = "google-client-id";
pub const AMAZON_APP_ID: &str = "amazon-app-id";
pub const APPLE_BUNDLE_ID: &str = "apple-bundle-id";
pub const USER_POOL_NAME: &str = "user-pool-name";
pub const SIGN_IN: &str = "sign-in";
pub const USER_POOL_GROUPS: &str = "user-pool-groups";
pub const DELETE_GROUPS: &str = "delete-groups";
pub const GROUP_NAMES: &str = "group-names";
pub const GROUP_ORDER: &str = "group-order";
pub const ADMIN_QUERIES: &str = "admin-queries";
pub const MFA: &str = "mfa";
pub const MFA_TYPES: &str = "mfa-types";
pub const SMS_AUTH_MESSAGE: &str = "sms-auth-message";
pub const EMAIL_REGISTRATION: &str = "email-registration";
pub const EMAIL_SUBJECT: &str = "email-subject";
pub const EMAIL_MESSAGE: &str = "email-message";
pub const SMS_VERIFICATION_MESSAGE: &str = "sms-verification-message";
pub const OVERRIDE_PASSWORD_POLICY: &str = "override-password-policy";
pub const PASSWORD_MIN_LENGTH: &str = "password-min-length";
pub const PASSWORD_CHARACTERS: &str = "password-characters";
pub const REQUIRED_ATTRIBUTES: &str = "required-attributes";
pub const REFRESH_TOKEN_PERIOD: &str = "refresh-token-period";
pub const SET_ATTRIBUTES: &str = "set-attributes";
pub const READ_ATTRIBUTES: &str = "read-attributes";
pub const WRITE_ATTRIBUTES: &str = "write-attributes";
pub const OAUTH: &str = "oauth";
pub const DOMAIN_PREFIX: &str = "domain-prefix";
pub const SIGNIN_URIS: &str = "redirect-signin-uris";
pub const EDIT_SIGNIN_URIS: &str = "edit-signin-uris";
pub const UPDATED_SIGNIN_URIS: &str = "updated-signin-uris";
pub const ADD_SIGNIN_URIS: &str = "add-signin-uris";
pub const SIGNOUT_URIS: &str = "redirect-signout-uris";
pub const EDIT_SIGNOUT_URIS: &str = "edit-signout-uris";
pub const UPDATED_SIGNOUT_URIS: &str = "updated-signout-uris";
pub const ADD_SIGNOUT_URIS: &str = "add-signout-uris";
pub const OAUTH_FLOW: &str = "oauth-flow";
pub const OAUTH_SCOPES: &str = "oauth-scopes";
pub const SOCIAL_PROVIDERS: &str = "social-providers";
pub const FACEBOOK_OAUTH_APP_ID: &str = "facebook-oauth-app-id";
pub const FACEBOOK_OAUTH_APP_SECRET: &str = "facebook-oauth-app-secret";
pub const GOOGLE_OAUTH_CLIENT_ID: &str = "google-oauth-client-id";
pub const GOOGLE_OAUTH_CLIENT_SECRET: &str = "google-oauth-client-secret";
pub const AMAZON_OAUTH_APP_ID: &str = "amazon-oauth-app-id";
pub const AMAZON_OAUTH_APP_SECRET: &str = "amazon-oauth-app-secret";
pub const APPLE_SERVICES_ID: &str = "apple-services-id";
pub const APPLE_TEAM_ID: &str = "apple-team-id";
pub const APPLE_KEY_ID: &str = "apple-key-id";
pub const APPLE_PRIVATE_KEY: &str = "apple-private-key";

// What an update starts from besides the questions' own ids (see `Setting::current`).
pub const CURRENT_USE_DEFAULT: &str = "current:useDefault";
pub const CURRENT_GROUPS: &str = "current:groups";
pub const CURRENT_SIGNIN_URIS: &str = "current:CallbackURLs";
pub const CURRENT_SIGNOUT_URIS: &str = "current:LogoutURLs";
pub const CURRENT_VERIFIED: &str = "current:autoVerifiedAttributes";

/// `auth-selections` with an identity pool.
pub const IDENTITY_AND_USER_POOL: &str = "identity-pool-and-user-pool";
pub const USER_POOL_ONLY: &str = "user-pool-only";

const PROVIDER_PREFIX: &[&str] = &["", "The current configured provider is Amazon Cognito.", ""];
const NO_EDIT: &[&str] = &["Warning: you will not be able to edit these selections."];

const USE_DEFAULT_HELP: &str = "This utility allows you to set up Amazon Cognito User Pools and Identity Pools for your application.\nAmazon Cognito User Pool makes it easy for developers to add sign-up and sign-in functionality to web and mobile applications. It serves as your own identity provider to maintain a user directory. It supports user registration and sign-in, as well as provisioning identity tokens for signed-in users.\nAmazon Cognito identity pools provide temporary AWS credentials for users who are guests (unauthenticated) and for users who have been authenticated and received a token. An identity pool is a store of user identity data specific to your account.\nIf you choose to use the default configuration, this utility will set up both a Userpool and an Identity Pool.\nIf you choose the 'Default configuration with Social Provider (Federation)', the providers will be federated with Cognito User Pools.\nIn either case, User Pools will be federated with Identity Pools allowing any users logging in to get both identity tokens as well as AWS Credentials.";
const UPDATE_FLOW_HELP: &str = "This utility allows you to set up Amazon Cognito User Pools and Identity Pools for your application.\nAmazon Cognito User Pool makes it easy for developers to add sign-up and sign-in functionality to web and mobile applications. It serves as your own identity provider to maintain a user directory. It supports user registration and sign-in, as well as provisioning identity tokens for signed-in users.\nAmazon Cognito identity pools provide temporary AWS credentials for users who are guests (unauthenticated) and for users who have been authenticated and received a token. An identity pool is a store of user identity data specific to your account.\nIf you choose to use the default configuration, this utility will set up both a Userpool and an Identity Pool.";
const AUTH_SELECTIONS_HELP: &str = "Amazon Cognito identity pools provide temporary AWS credentials for users who are guests (unauthenticated) and for users who have been authenticated and received a token. An identity pool is a store of user identity data specific to your account.\nIf you choose to use the default configuration, this utility will set up both a Userpool and an Identity Pool.";
const GUESTS_HELP: &str = "If you select 'yes', your identity pool will provide temporary AWS credentials for unauthenticated guest users.";
const THIRD_PARTY_HELP: &str = "If you select yes, your identity pool will support users who are authenticated via a public login provider such as Facebook, Google, and Amazon (non-Cognito).  Your identity pool will continue to support users who are authenticated via a user pool.";
pub(crate) const SIGN_IN_HELP: &str = "Selecting 'Email' and/or 'Phone Number' will allow end users to sign-up using these values.  Selecting 'Username' will require a unique username for users.";
const GROUPS_HELP: &str = "This flow will help you add multiple user pool groups to your user-pool";
const ADMIN_QUERIES_HELP: &str = "Admin Queries API let you perform user admin functions from your frontend. See https://docs.amplify.aws/cli/auth/admin#admin-queries-api for more.";
const MFA_HELP: &str = "Multi-factor authentication (MFA) increases security for your app by adding another authentication method, and not relying solely on user name and password. You can choose to use SMS text messages, or time-based one-time (TOTP) passwords as second factors in signing in your users.\nNote that once your User Pool has been created, You can only select the 'OPTIONAL' configuration for MFA.  Similarly, once MFA has been enabled for a User pool you cannot disable it.";
const OAUTH_HELP: &str = "When you create a user pool in Amazon Cognito and configure a domain for it, Amazon Cognito automatically provisions a hosted web UI to let you add sign-up and sign-in pages to your app. Selecting \"No\" will remove any existing OAuth configuration.";

const ADMIN_QUERIES_REFUSED: &str = "authwiz does not create the admin queries API (a Lambda function and an API Gateway REST API). Answer No; add it later with `amplify update auth` → \"Create or update Admin queries API\" in the Amplify CLI.";
const ADMIN_QUERIES_UPDATE_REFUSED: &str = "authwiz does not create the admin queries API (a Lambda function and an API Gateway REST API). Use `amplify update auth` → \"Create or update Admin queries API\" in the Amplify CLI; nothing was changed.";

const YES_NO: &[Opt] = &[opt("Yes", "yes"), opt("No", "no")];

/// Amplify's standard attributes, in its order (`coreAttributes`).
pub const CORE_ATTRIBUTES: &[Opt] = &core_attributes::<17>(&[]);

/// `appClientReadAttributes`: the standard attributes and the two verified flags.
const READ_ATTRIBUTE_OPTS: &[Opt] = &core_attributes::<19>(&[
    opt("Email Verified?", "email_verified"),
    opt("Phone Number Verified?", "phone_number_verified"),
]);

/// The standard attributes as choices, then `more`.
const fn core_attributes<const N: usize>(more: &[Opt]) -> [Opt; N] {
    let mut out = [opt("", ""); N];
    let mut i = 0;
    while i < N {
        out[i] = if i < STANDARD_ATTRIBUTES.len() {
            opt(STANDARD_ATTRIBUTES[i].label, STANDARD_ATTRIBUTES[i].name)
        } else {
            more[i - STANDARD_ATTRIBUTES.len()]
        };
        i += 1;
    }
    out
}

/// `updateFlowMap`, before the filter that hides what does not apply.
const UPDATE_ACTIONS: &[Opt] = &[
    opt(
        "Apply default configuration without Social Provider (Federation)",
        "default",
    ),
    opt(
        "Apply default configuration with Social Provider (Federation)",
        "social",
    ),
    opt("Walkthrough all the auth configurations", "manual"),
    opt("Add/Edit signin and signout redirect URIs", "callbacks"),
    opt("Update OAuth social providers", "providers"),
    opt("Create or update Cognito user pool groups", "groups"),
    opt("Create or update Admin queries API", "admin-queries"),
];

/// The user pool's social providers (`hostedUIProviders`).
const SOCIAL_PROVIDER_OPTS: &[Opt] = &[
    opt("Facebook", "facebook"),
    opt("Google", "google"),
    opt("Login With Amazon", "amazon"),
    opt("Sign in with Apple", "apple"),
];

/// The OAuth scopes, in Amplify's order (all of them are the default).
pub const SCOPE_OPTS: &[Opt] = &[
    opt("Phone", "phone"),
    opt("Email", "email"),
    opt("OpenID", "openid"),
    opt("Profile", "profile"),
    opt(
        "aws.cognito.signin.user.admin",
        "aws.cognito.signin.user.admin",
    ),
];
const ALL_SCOPES: &[&str] = &[
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

fn always(_: &Walk) -> bool {
    true
}

fn identity(w: &Walk) -> bool {
    manual(w) && w.is(AUTH_SELECTIONS, IDENTITY_AND_USER_POOL)
}

fn federation(w: &Walk) -> bool {
    identity(w) && w.is(THIRD_PARTY_AUTH, "yes")
}

fn federates(w: &Walk, provider: &str) -> bool {
    federation(w) && w.is(IDENTITY_PROVIDERS, provider)
}

fn federates_facebook(w: &Walk) -> bool {
    federates(w, "facebook")
}

fn federates_google(w: &Walk) -> bool {
    federates(w, "google")
}

fn federates_amazon(w: &Walk) -> bool {
    federates(w, "amazon")
}

fn federates_apple(w: &Walk) -> bool {
    federates(w, "apple")
}

fn groups(w: &Walk) -> bool {
    flow(w) == "groups" || (manual(w) && w.is(USER_POOL_GROUPS, "yes"))
}

fn deleting_groups(w: &Walk) -> bool {
    groups(w) && !w.current(CURRENT_GROUPS).is_empty()
}

/// The groups kept from before (an update's, minus those picked for deletion).
fn kept_groups(w: &Walk) -> Vec<String> {
    let deleted = w.many(DELETE_GROUPS);
    w.current(CURRENT_GROUPS)
        .iter()
        .filter(|g| !deleted.contains(g))
        .cloned()
        .collect()
}

/// Every group after this walkthrough, each once, kept ones first.
fn all_groups(w: &Walk) -> Vec<String> {
    let mut all = kept_groups(w);
    for g in w.many(GROUP_NAMES) {
        if !all.contains(g) {
            all.push(g.clone());
        }
    }
    all
}

fn has_kept_groups(w: &Walk) -> bool {
    !kept_groups(w).is_empty()
}

fn ordering_groups(w: &Walk) -> bool {
    groups(w) && all_groups(w).len() > 1
}

fn mfa_asked(w: &Walk) -> bool {
    // Once MFA is on for a pool, Amplify does not offer to change it.
    manual(w) && !(w.updating() && w.current(MFA).iter().any(|m| m != "off"))
}

fn mfa_on(w: &Walk) -> bool {
    w.one(MFA).is_some_and(|m| m != "off")
}

fn email_registration(w: &Walk) -> bool {
    manual(w) && w.is(EMAIL_REGISTRATION, "enabled")
}

fn phone_registration(w: &Walk) -> bool {
    manual(w) && w.is(EMAIL_REGISTRATION, "disabled")
}

fn password_policy(w: &Walk) -> bool {
    manual(w) && w.is(OVERRIDE_PASSWORD_POLICY, "yes")
}

fn client_attributes(w: &Walk) -> bool {
    manual(w) && w.is(SET_ATTRIBUTES, "yes")
}

/// The hosted UI is being set up (the social default, or OAuth chosen).
fn hosted_ui(w: &Walk) -> bool {
    flow(w) == "social" || (manual(w) && w.is(OAUTH, "yes"))
}

fn first_signin_uris(w: &Walk) -> bool {
    hosted_ui(w) && w.current(CURRENT_SIGNIN_URIS).is_empty()
}

fn first_signout_uris(w: &Walk) -> bool {
    hosted_ui(w) && w.current(CURRENT_SIGNOUT_URIS).is_empty()
}

fn editing_uris(w: &Walk, current: &str) -> bool {
    !w.current(current).is_empty() && (hosted_ui(w) || flow(w) == "callbacks")
}

fn editing_signin(w: &Walk) -> bool {
    editing_uris(w, CURRENT_SIGNIN_URIS)
}

fn editing_signout(w: &Walk) -> bool {
    editing_uris(w, CURRENT_SIGNOUT_URIS)
}

fn replacing_signin(w: &Walk) -> bool {
    !w.many(EDIT_SIGNIN_URIS).is_empty()
}

fn replacing_signout(w: &Walk) -> bool {
    !w.many(EDIT_SIGNOUT_URIS).is_empty()
}

fn adding_signin(w: &Walk) -> bool {
    w.is(ADD_SIGNIN_URIS, "yes")
}

fn adding_signout(w: &Walk) -> bool {
    w.is(ADD_SIGNOUT_URIS, "yes")
}

fn javascript_flows(w: &Walk) -> bool {
    hosted_ui(w) && manual(w) && w.setting.frontend == "javascript"
}

fn manual_hosted_ui(w: &Walk) -> bool {
    hosted_ui(w) && manual(w)
}

fn social_updating(w: &Walk) -> bool {
    hosted_ui(w) || flow(w) == "providers"
}

fn signs_in_with(w: &Walk, provider: &str) -> bool {
    w.is(SOCIAL_PROVIDERS, provider)
}

fn facebook_oauth(w: &Walk) -> bool {
    signs_in_with(w, "facebook")
}

fn google_oauth(w: &Walk) -> bool {
    signs_in_with(w, "google")
}

fn amazon_oauth(w: &Walk) -> bool {
    signs_in_with(w, "amazon")
}

fn apple_oauth(w: &Walk) -> bool {
    signs_in_with(w, "apple")
}

fn none_optional(_: &Walk) -> bool {
    false
}

fn resource_name_default(w: &Walk) -> String {
    super::super::walkthrough_resource_name(&w.setting.project_name, &w.setting.shared_id)
}

fn default_resource_name(w: &Walk) -> Vec<String> {
    vec![resource_name_default(w)]
}

fn default_identity_pool_name(w: &Walk) -> Vec<String> {
    vec![format!(
        "{}_identitypool_{}",
        resource_name_default(w),
        w.setting.shared_id
    )]
}

fn default_user_pool_name(w: &Walk) -> Vec<String> {
    vec![format!(
        "{}_userpool_{}",
        resource_name_default(w),
        w.setting.shared_id
    )]
}

fn default_domain_prefix(w: &Walk) -> Vec<String> {
    vec![format!(
        "{}-{}",
        resource_name_default(w),
        w.setting.shared_id
    )]
}

fn values(list: &[String]) -> Vec<Choice> {
    list.iter().map(|v| Choice::new(v, v)).collect()
}

fn update_actions(w: &Walk) -> Vec<Choice> {
    let used = w.current(CURRENT_USE_DEFAULT).first().map(String::as_str);
    let oauth = w.current(OAUTH).iter().any(|v| v == "yes");
    let callbacks = !w.current(CURRENT_SIGNIN_URIS).is_empty();
    UPDATE_ACTIONS
        .iter()
        .filter(|o| match o.value {
            // The default already applied is not offered again.
            "default" => used != Some("default"),
            "social" => used != Some("defaultSocial"),
            "callbacks" => callbacks,
            "providers" => oauth,
            _ => true,
        })
        .map(|o| Choice::new(o.label, o.value))
        .collect()
}

fn current_groups(w: &Walk) -> Vec<Choice> {
    values(w.current(CURRENT_GROUPS))
}

fn groups_in_order(w: &Walk) -> Vec<Choice> {
    values(&all_groups(w))
}

fn current_signin_uris(w: &Walk) -> Vec<Choice> {
    values(w.current(CURRENT_SIGNIN_URIS))
}

fn current_signout_uris(w: &Walk) -> Vec<Choice> {
    values(w.current(CURRENT_SIGNOUT_URIS))
}

/// The attributes users must give at sign-up (answered, or the resource's).
fn required_attributes(w: &Walk) -> Vec<String> {
    if let Some(answered) = w.answers.many(REQUIRED_ATTRIBUTES) {
        return answered.to_vec();
    }
    if w.updating() {
        return w.current(REQUIRED_ATTRIBUTES).to_vec();
    }
    vec!["email".to_string()]
}

fn writable_attributes(w: &Walk) -> Vec<Choice> {
    let required = required_attributes(w);
    CORE_ATTRIBUTES
        .iter()
        .filter(|o| !required.iter().any(|r| r == o.value))
        .map(|o| Choice::new(o.label, o.value))
        .collect()
}

fn writable_hint(w: &Walk) -> Option<String> {
    let required = required_attributes(w);
    let labels: Vec<&str> = CORE_ATTRIBUTES
        .iter()
        .filter(|o| required.iter().any(|r| r == o.value))
        .map(|o| o.label)
        .collect();
    (!labels.is_empty()).then(|| {
        format!(
            "You have already selected the following attributes as required for this User Pool.  They are writeable by default: {}",
            labels.join(", ")
        )
    })
}

fn order_hint(_: &Walk) -> Option<String> {
    Some("Type the groups comma-separated, highest precedence first".into())
}

fn email_only(_: &Walk) -> Vec<String> {
    vec!["email".to_string()]
}

fn mfa_check(w: &Walk, picked: &[String]) -> Result<(), String> {
    if w.updating() && picked.iter().any(|m| m == "on") {
        return Err("ON (Required for all logins) can only be chosen when the user pool is created; choose OPTIONAL.".into());
    }
    Ok(())
}

fn at_least_one_mfa_type(_: &Walk, picked: &[String]) -> Result<(), String> {
    if picked.is_empty() {
        Err("You must select at least one MFA type from the list.".into())
    } else {
        Ok(())
    }
}

/// The attributes each social provider can give the user pool (Amplify's
/// `attributeProviderMap` entries with a mapping).
fn provider_attributes(provider: &str) -> &'static [&'static str] {
    match provider {
        "facebook" => &[
            "birthdate",
            "email",
            "family_name",
            "gender",
            "given_name",
            "middle_name",
            "name",
            "picture",
            "updated_at",
        ],
        "google" => &[
            "birthdate",
            "email",
            "family_name",
            "gender",
            "given_name",
            "name",
            "phone_number",
            "picture",
        ],
        "amazon" => &["email", "locale", "name"],
        _ => &["email", "family_name", "given_name", "name"],
    }
}

/// A provider that cannot supply a required attribute cannot sign users up.
fn providers_supply_required(w: &Walk, picked: &[String]) -> Result<(), String> {
    let required = required_attributes(w);
    for provider in picked {
        let missing: Vec<&str> = required
            .iter()
            .map(String::as_str)
            .filter(|r| !provider_attributes(provider).contains(r))
            .collect();
        if !missing.is_empty() {
            let name = SOCIAL_PROVIDER_OPTS
                .iter()
                .find(|o| o.value == provider)
                .map_or(provider.as_str(), |o| o.label);
            return Err(format!(
                "Your UserPool is configured to require {}, which cannot be retrieved from {name}",
                missing.join(", ")
            ));
        }
    }
    Ok(())
}

const fn yes_no(id: &'static str, message: &'static str, flag: &'static str) -> Spec {
    Spec {
        id,
        message,
        kind: Kind::One,
        choices: Choices::Fixed(YES_NO),
        flag,
        ..BASE
    }
}

const fn confirm(id: &'static str, message: &'static str, flag: &'static str) -> Spec {
    Spec {
        id,
        message,
        kind: Kind::Confirm,
        default: Default::Values(&["no"]),
        flag,
        ..BASE
    }
}

const fn typed(id: &'static str, message: &'static str, flag: &'static str) -> Spec {
    Spec {
        id,
        message,
        rule: Some(rules::required),
        flag,
        ..BASE
    }
}

const FACEBOOK_PREFIX: &[&str] = &[
    "",
    "You've opted to allow users to authenticate via Facebook.  If you haven't already, you'll need to go to https://developers.facebook.com and create an App ID.",
    "",
];
const GOOGLE_PREFIX: &[&str] = &[
    "",
    "You've opted to allow users to authenticate via Google.  If you haven't already, you'll need to go to https://developers.google.com/identity and create an App ID.",
    "",
];
const AMAZON_PREFIX: &[&str] = &[
    "",
    "You've opted to allow users to authenticate via Amazon.  If you haven't already, you'll need to create an Amazon App ID. Head to https://docs.amplify.aws/lib/auth/social/q/platform/js#setup-your-auth-provider to learn more.",
    "",
];
const APPLE_PREFIX: &[&str] = &[
    "",
    "You've opted to allow users to authenticate via Sign in with Apple. If you haven't already, you'll need to go to https://developer.apple.com/account/#/welcome and configure Sign in with Apple.",
    "",
];

const UP: &str = "serviceConfiguration.userPoolConfiguration";
const IP: &str = "serviceConfiguration.identityPoolConfiguration";

const ASK_ACTION: Spec = Spec {
    id: ACTION,
    message: "What do you want to do?",
    kind: Kind::One,
    choices: Choices::From(update_actions),
    learn_more: Some(UPDATE_FLOW_HELP),
    when: always,
    refuse: &[("admin-queries", ADMIN_QUERIES_UPDATE_REFUSED)],
    flag: "--action default|social|manual|callbacks|providers|groups|admin-queries",
    ..BASE
};

const ASK_DEFAULT_CONFIG: Spec = Spec {
    id: DEFAULT_CONFIG,
    prefix: PROVIDER_PREFIX,
    message: "Do you want to use the default authentication and security configuration?",
    kind: Kind::One,
    choices: Choices::Fixed(&[
        opt("Default configuration", "default"),
        opt(
            "Default configuration with Social Provider (Federation)",
            "social",
        ),
        opt("Manual configuration", "manual"),
    ]),
    default: Default::Values(&["default"]),
    learn_more: Some(USE_DEFAULT_HELP),
    when: always,
    flag: "--default-config default|social|manual",
    // Headless requests are always Amplify's "manual" (useDefault: "manual").
    ..BASE
};

const ASK_AUTH_SELECTIONS: Spec = Spec {
    id: AUTH_SELECTIONS,
    message: "Select the authentication/authorization services that you want to use:",
    kind: Kind::One,
    choices: Choices::Fixed(&[
        opt(
            "User Sign-Up, Sign-In, connected with AWS IAM controls (Enables per-user Storage features for images or other content, Analytics, and more)",
            IDENTITY_AND_USER_POOL,
        ),
        opt(
            "User Sign-Up & Sign-In only (Best used with a cloud API only)",
            USER_POOL_ONLY,
        ),
    ]),
    default: Default::Values(&[IDENTITY_AND_USER_POOL]),
    learn_more: Some(AUTH_SELECTIONS_HELP),
    when: manual,
    flag: "--auth-selections identity-pool-and-user-pool|user-pool-only",
    help: Help::Prompt("Manual: ", ""),
    headless_key: Some("serviceConfiguration.includeIdentityPool"),
    ..BASE
};

const ASK_RESOURCE_NAME: Spec = Spec {
    id: RESOURCE_NAME,
    message: "Provide a friendly name for your resource that will be used to label this category in the project:",
    default: Default::From(default_resource_name),
    when: manual,
    rule: Some(rules::resource_name),
    flag: "--resource-name NAME",
    help: Help::Text("Manual: \"Provide a friendly name for your resource ...\""),
    headless_key: Some("resourceName"),
    ..BASE
};

const ASK_IDENTITY_POOL_NAME: Spec = Spec {
    id: IDENTITY_POOL_NAME,
    message: "Enter a name for your identity pool.",
    default: Default::From(default_identity_pool_name),
    when: identity,
    rule: Some(rules::identity_pool_name),
    flag: "--identity-pool-name NAME",
    help: Help::Prompt("Manual: ", ""),
    headless_key: Some("serviceConfiguration.identityPoolConfiguration.identityPoolName"),
    ..BASE
};

const ASK_UNAUTHENTICATED_LOGIN: Spec = Spec {
    default: Default::Values(&["no"]),
    learn_more: Some(GUESTS_HELP),
    when: identity,
    headless_key: Some("serviceConfiguration.identityPoolConfiguration.unauthenticatedLogin"),
    help: Help::Text("Manual: \"Allow unauthenticated logins?\""),
    ..yes_no(
        UNAUTHENTICATED_LOGIN,
        "Allow unauthenticated logins? (Provides scoped down permissions that you can control via AWS IAM)",
        "--unauthenticated-login yes|no",
    )
};

const ASK_THIRD_PARTY_AUTH: Spec = Spec {
    default: Default::Values(&["yes"]),
    learn_more: Some(THIRD_PARTY_HELP),
    when: identity,
    headless_key: Some("serviceConfiguration.identityPoolConfiguration.identitySocialFederation"),
    help: Help::Prompt("Manual: ", ""),
    ..yes_no(
        THIRD_PARTY_AUTH,
        "Do you want to enable 3rd party authentication providers in your identity pool?",
        "--third-party-auth yes|no",
    )
};

const ASK_IDENTITY_PROVIDERS: Spec = Spec {
    id: IDENTITY_PROVIDERS,
    message: "Select the third party identity providers you want to configure for your identity pool:",
    kind: Kind::Many,
    choices: Choices::Fixed(&[
        opt("Facebook", "facebook"),
        opt("Google", "google"),
        opt("Amazon", "amazon"),
        opt("Apple", "apple"),
    ]),
    default: Default::Values(&[]),
    when: federation,
    flag: "--identity-providers LIST (facebook,google,amazon,apple)",
    help: Help::Text("Manual: the identity pool's providers: facebook,google,amazon,apple"),
    headless_key: Some("serviceConfiguration.identityPoolConfiguration.identitySocialFederation"),
    ..BASE
};

const ASK_FACEBOOK_APP_ID: Spec = Spec {
    prefix: FACEBOOK_PREFIX,
    when: federates_facebook,
    headless_key: Some(IP),
    ..typed(
        FACEBOOK_APP_ID,
        "Enter your Facebook App ID for your identity pool: ",
        "--facebook-app-id ID",
    )
};

const ASK_GOOGLE_CLIENT_ID: Spec = Spec {
    prefix: GOOGLE_PREFIX,
    when: federates_google,
    headless_key: Some(IP),
    ..typed(
        GOOGLE_CLIENT_ID,
        "Enter your Google Web Client ID for your identity pool: ",
        "--google-client-id ID",
    )
};

const ASK_AMAZON_APP_ID: Spec = Spec {
    prefix: AMAZON_PREFIX,
    when: federates_amazon,
    headless_key: Some(IP),
    ..typed(
        AMAZON_APP_ID,
        "Enter your Amazon App ID for your identity pool: ",
        "--amazon-app-id ID",
    )
};

const ASK_APPLE_BUNDLE_ID: Spec = Spec {
    prefix: APPLE_PREFIX,
    when: federates_apple,
    headless_key: Some(IP),
    ..typed(
        APPLE_BUNDLE_ID,
        "Enter your Bundle Identifier for your identity pool: ",
        "--apple-bundle-id ID",
    )
};

const ASK_USER_POOL_NAME: Spec = Spec {
    id: USER_POOL_NAME,
    message: "Provide a name for your user pool:",
    default: Default::From(default_user_pool_name),
    when: manual,
    rule: Some(rules::user_pool_name),
    flag: "--user-pool-name NAME",
    help: Help::Prompt("Manual: ", ""),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.userPoolName"),
    ..BASE
};

const ASK_SIGN_IN: Spec = Spec {
    id: SIGN_IN,
    prefix: NO_EDIT,
    message: "How do you want users to be able to sign in?",
    kind: Kind::One,
    choices: Choices::Fixed(&[
        opt("Username", "username"),
        opt("Email", "email"),
        opt("Phone Number", "phone"),
        opt("Email or Phone Number", "email-or-phone"),
    ]),
    default: Default::Values(&["username"]),
    learn_more: Some(SIGN_IN_HELP),
    when: always,
    flag: "--sign-in username|email|phone|email-or-phone",
    headless_key: Some("serviceConfiguration.userPoolConfiguration.signinMethod"),
    ..BASE
};

const ASK_USER_POOL_GROUPS: Spec = Spec {
    default: Default::Values(&["yes"]),
    learn_more: Some(GROUPS_HELP),
    when: manual,
    headless_key: Some("serviceConfiguration.userPoolConfiguration.userPoolGroups"),
    help: Help::Prompt("Manual: ", ""),
    ..yes_no(
        USER_POOL_GROUPS,
        "Do you want to add User Pool Groups?",
        "--user-pool-groups yes|no",
    )
};

const ASK_DELETE_GROUPS: Spec = Spec {
    id: DELETE_GROUPS,
    message: "Select any user pool groups you want to delete:",
    kind: Kind::Many,
    choices: Choices::From(current_groups),
    default: Default::Values(&[]),
    when: deleting_groups,
    flag: "--delete-groups LIST",
    headless_key: Some(UP),
    ..BASE
};

const ASK_GROUP_NAMES: Spec = Spec {
    id: GROUP_NAMES,
    message: "Provide a name for your user pool group:",
    kind: Kind::Loop {
        another: "User Pool Group",
        optional: has_kept_groups,
    },
    when: groups,
    rule: Some(rules::group_name),
    flag: "--group-names LIST (or --user-pool-groups no)",
    help: Help::Prompt("", " (each name; update: the groups to add)"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.userPoolGroups"),
    ..BASE
};

const ASK_GROUP_ORDER: Spec = Spec {
    id: GROUP_ORDER,
    message: "Sort the user pool groups in order of preference",
    kind: Kind::Order,
    choices: Choices::From(groups_in_order),
    default: Default::From(all_groups),
    hint: Some(order_hint),
    when: ordering_groups,
    flag: "--group-order LIST",
    help: Help::Prompt("", " (every group, highest precedence first)"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.userPoolGroups"),
    ..BASE
};

const ASK_ADMIN_QUERIES: Spec = Spec {
    // Yes is refused, so No is the default (Amplify's cursor starts on Yes).
    default: Default::Values(&["no"]),
    learn_more: Some(ADMIN_QUERIES_HELP),
    when: manual,
    refuse: &[("yes", ADMIN_QUERIES_REFUSED)],
    headless_key: Some("serviceConfiguration.userPoolConfiguration.adminQueries"),
    help: Help::Prompt("Manual: ", " (only no)"),
    ..yes_no(
        ADMIN_QUERIES,
        "Do you want to add an admin queries API?",
        "--admin-queries no",
    )
};

const ASK_ADVANCED: Spec = Spec {
    id: ADVANCED,
    message: "Do you want to configure advanced settings?",
    kind: Kind::One,
    choices: Choices::Fixed(&[
        opt("No, I am done.", "no"),
        opt("Yes, I want to make some additional changes.", "yes"),
    ]),
    default: Default::Values(&["no"]),
    when: default_flow,
    flag: "--advanced-settings no|yes",
    help: Help::Prompt("Default configurations: ", ""),
    ..BASE
};

const ASK_MFA: Spec = Spec {
    id: MFA,
    message: "Multifactor authentication (MFA) user login options:",
    kind: Kind::One,
    choices: Choices::Fixed(&[
        opt(MfaMode::Off.as_str(), "off"),
        opt(
            "ON (Required for all logins, can not be enabled later)",
            "on",
        ),
        opt("OPTIONAL (Individual users can use MFA)", "optional"),
    ]),
    default: Default::Values(&["off"]),
    learn_more: Some(MFA_HELP),
    when: mfa_asked,
    check: Some(mfa_check),
    flag: "--mfa off|on|optional",
    help: Help::Prompt("Manual: ", ""),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.mfa.mode"),
    ..BASE
};

const ASK_MFA_TYPES: Spec = Spec {
    id: MFA_TYPES,
    message: "For user login, select the MFA types:",
    kind: Kind::Many,
    choices: Choices::Fixed(&[
        opt(MFA_SMS, "sms"),
        opt("Time-Based One-Time Password (TOTP)", "totp"),
    ]),
    default: Default::Values(&["sms"]),
    when: mfa_on,
    check: Some(at_least_one_mfa_type),
    flag: "--mfa-types LIST (sms,totp)",
    help: Help::Prompt("", " sms,totp"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.mfa.mfaTypes"),
    ..BASE
};

const ASK_SMS_AUTH_MESSAGE: Spec = Spec {
    id: SMS_AUTH_MESSAGE,
    message: "Specify an SMS authentication message:",
    default: Default::Values(&["Your authentication code is {####}"]),
    when: mfa_on,
    rule: Some(rules::sms_auth_message),
    flag: "--sms-auth-message TEXT",
    help: Help::Prompt("", " (with {####})"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.mfa.smsMessage"),
    ..BASE
};

const ASK_EMAIL_REGISTRATION: Spec = Spec {
    id: EMAIL_REGISTRATION,
    message: "Email based user registration/forgot password:",
    kind: Kind::One,
    choices: Choices::Fixed(&[
        opt(
            "Enabled (Requires per-user email entry at registration)",
            "enabled",
        ),
        opt("Disabled (Uses SMS/TOTP as an alternative)", "disabled"),
    ]),
    default: Default::Values(&["enabled"]),
    when: manual,
    flag: "--email-registration enabled|disabled",
    help: Help::Prompt("Manual: ", ""),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.autoVerifiedAttributes"),
    ..BASE
};

const ASK_EMAIL_SUBJECT: Spec = Spec {
    default: Default::Values(&["Your verification code"]),
    when: email_registration,
    headless_key: Some(
        "serviceConfiguration.userPoolConfiguration.autoVerifiedAttributes[].verificationSubject",
    ),
    ..typed(
        EMAIL_SUBJECT,
        "Specify an email verification subject:",
        "--email-subject TEXT",
    )
};

const ASK_EMAIL_MESSAGE: Spec = Spec {
    id: EMAIL_MESSAGE,
    message: "Specify an email verification message:",
    default: Default::Values(&["Your verification code is {####}"]),
    when: email_registration,
    rule: Some(rules::email_message),
    flag: "--email-message TEXT",
    help: Help::Prompt("", " (with {####})"),
    headless_key: Some(
        "serviceConfiguration.userPoolConfiguration.autoVerifiedAttributes[].verificationMessage",
    ),
    ..BASE
};

const ASK_SMS_VERIFICATION_MESSAGE: Spec = Spec {
    id: SMS_VERIFICATION_MESSAGE,
    message: "Please specify an SMS verification message:",
    default: Default::Values(&["Your verification code is {####}"]),
    when: phone_registration,
    rule: Some(rules::sms_verification_message),
    flag: "--sms-verification-message TEXT",
    help: Help::Prompt("", " (with {####})"),
    headless_key: Some(
        "serviceConfiguration.userPoolConfiguration.autoVerifiedAttributes[].verificationMessage",
    ),
    ..BASE
};

const ASK_OVERRIDE_PASSWORD_POLICY: Spec = Spec {
    when: manual,
    headless_key: Some("serviceConfiguration.userPoolConfiguration.passwordPolicy"),
    help: Help::Prompt("Manual: ", ""),
    ..confirm(
        OVERRIDE_PASSWORD_POLICY,
        "Do you want to override the default password policy for this User Pool?",
        "--override-password-policy yes|no",
    )
};

const ASK_PASSWORD_MIN_LENGTH: Spec = Spec {
    id: PASSWORD_MIN_LENGTH,
    message: "Enter the minimum password length for this User Pool:",
    default: Default::Values(&["8"]),
    when: password_policy,
    rule: Some(rules::password_length),
    flag: "--password-min-length N",
    help: Help::Prompt("", " (6-98)"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.passwordPolicy.minimumLength"),
    ..BASE
};

/// A password rule as a choice: Amplify's words, authwiz's flag word.
const fn rule(r: PasswordRule) -> Opt {
    opt(r.amplify(), r.word())
}

const ASK_PASSWORD_CHARACTERS: Spec = Spec {
    id: PASSWORD_CHARACTERS,
    message: "Select the password character requirements for your userpool:",
    kind: Kind::Many,
    choices: Choices::Fixed(&[
        rule(PasswordRule::Lowercase),
        rule(PasswordRule::Uppercase),
        rule(PasswordRule::Numbers),
        rule(PasswordRule::Symbols),
    ]),
    default: Default::Values(&[]),
    when: password_policy,
    flag: "--password-characters LIST (lowercase,uppercase,numbers,symbols)",
    help: Help::Prompt("", " lowercase,uppercase,numbers,symbols"),
    headless_key: Some(
        "serviceConfiguration.userPoolConfiguration.passwordPolicy.additionalConstraints",
    ),
    ..BASE
};

const ASK_REQUIRED_ATTRIBUTES: Spec = Spec {
    id: REQUIRED_ATTRIBUTES,
    prefix: NO_EDIT,
    message: "What attributes are required for signing up?",
    kind: Kind::Many,
    choices: Choices::Fixed(CORE_ATTRIBUTES),
    default: Default::Values(&["email"]),
    when: advanced_or_manual,
    flag: "--required-attributes LIST (e.g. email,name)",
    help: Help::Text(
        "With --advanced-settings yes, or manual: the attributes required at sign-up, e.g. email,name",
    ),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.requiredSignupAttributes"),
    ..BASE
};

const ASK_REFRESH_TOKEN_PERIOD: Spec = Spec {
    id: REFRESH_TOKEN_PERIOD,
    message: "Specify the app's refresh token expiration period (in days):",
    default: Default::Values(&["30"]),
    when: manual,
    rule: Some(rules::refresh_token_days),
    flag: "--refresh-token-period DAYS",
    help: Help::Prompt("Manual: ", " (1-3650)"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.refreshTokenPeriod"),
    ..BASE
};

const ASK_SET_ATTRIBUTES: Spec = Spec {
    when: manual,
    headless_key: Some("serviceConfiguration.userPoolConfiguration.readAttributes"),
    help: Help::Prompt("Manual: ", ""),
    ..confirm(
        SET_ATTRIBUTES,
        "Do you want to specify the user attributes this app can read and write?",
        "--set-attributes yes|no",
    )
};

const ASK_READ_ATTRIBUTES: Spec = Spec {
    id: READ_ATTRIBUTES,
    message: "Specify read attributes:",
    kind: Kind::Many,
    choices: Choices::Fixed(READ_ATTRIBUTE_OPTS),
    default: Default::Values(&["email"]),
    when: client_attributes,
    flag: "--read-attributes LIST",
    headless_key: Some("serviceConfiguration.userPoolConfiguration.readAttributes"),
    ..BASE
};

const ASK_WRITE_ATTRIBUTES: Spec = Spec {
    id: WRITE_ATTRIBUTES,
    message: "Specify write attributes:",
    kind: Kind::Many,
    choices: Choices::From(writable_attributes),
    default: Default::From(email_only),
    hint: Some(writable_hint),
    when: client_attributes,
    flag: "--write-attributes LIST (the required attributes are writable anyway)",
    help: Help::Prompt("", " (the required attributes are writable anyway)"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.writeAttributes"),
    ..BASE
};

const ASK_OAUTH: Spec = Spec {
    default: Default::Values(&["yes"]),
    learn_more: Some(OAUTH_HELP),
    when: manual,
    headless_key: Some("serviceConfiguration.userPoolConfiguration.oAuth"),
    help: Help::Prompt("Manual: ", ""),
    ..yes_no(OAUTH, "Do you want to use an OAuth flow?", "--oauth yes|no")
};

const ASK_DOMAIN_PREFIX: Spec = Spec {
    id: DOMAIN_PREFIX,
    message: "What domain name prefix do you want to use?",
    default: Default::From(default_domain_prefix),
    when: hosted_ui,
    rule: Some(rules::domain_prefix),
    flag: "--domain-prefix PREFIX",
    headless_key: Some("serviceConfiguration.userPoolConfiguration.oAuth.domainPrefix"),
    ..BASE
};

const ASK_SIGNIN_URIS: Spec = Spec {
    id: SIGNIN_URIS,
    message: "Enter your redirect signin URI:",
    kind: Kind::Loop {
        another: "redirect signin URI",
        optional: none_optional,
    },
    when: first_signin_uris,
    rule: Some(rules::redirect_uri),
    flag: "--redirect-signin-uris LIST",
    help: Help::Prompt("", " (each; update: the URIs to add)"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.oAuth.redirectSigninURIs"),
    ..BASE
};

const ASK_EDIT_SIGNIN_URIS: Spec = Spec {
    id: EDIT_SIGNIN_URIS,
    message: "Which redirect signin URIs do you want to edit?",
    kind: Kind::Many,
    choices: Choices::From(current_signin_uris),
    default: Default::Values(&[]),
    when: editing_signin,
    flag: "--edit-signin-uris LIST",
    headless_key: Some("serviceModification.userPoolModification.oAuth.redirectSigninURIs"),
    ..BASE
};

const ASK_UPDATED_SIGNIN_URIS: Spec = Spec {
    id: UPDATED_SIGNIN_URIS,
    message: "Update",
    kind: Kind::Each {
        of: EDIT_SIGNIN_URIS,
    },
    when: replacing_signin,
    rule: Some(rules::redirect_uri),
    flag: "--updated-signin-uris LIST (one for each of --edit-signin-uris)",
    help: Help::Text("\"Update <URI>\": the new values of --edit-signin-uris, in order"),
    headless_key: Some("serviceModification.userPoolModification.oAuth.redirectSigninURIs"),
    ..BASE
};

const ASK_ADD_SIGNIN_URIS: Spec = Spec {
    // Inquirer's confirm starts on Yes when no default is set.
    default: Default::Values(&["yes"]),
    when: editing_signin,
    headless_key: Some("serviceModification.userPoolModification.oAuth.redirectSigninURIs"),
    ..confirm(
        ADD_SIGNIN_URIS,
        "Do you want to add redirect signin URIs?",
        "--add-signin-uris yes|no",
    )
};

const ASK_NEW_SIGNIN_URIS: Spec = Spec {
    id: SIGNIN_URIS,
    message: "Enter your new redirect signin URI:",
    kind: Kind::Loop {
        another: "redirect signin URI",
        optional: none_optional,
    },
    when: adding_signin,
    rule: Some(rules::redirect_uri),
    flag: "--redirect-signin-uris LIST",
    headless_key: Some("serviceModification.userPoolModification.oAuth.redirectSigninURIs"),
    ..BASE
};

const ASK_SIGNOUT_URIS: Spec = Spec {
    id: SIGNOUT_URIS,
    message: "Enter your redirect signout URI:",
    kind: Kind::Loop {
        another: "redirect signout URI",
        optional: none_optional,
    },
    when: first_signout_uris,
    rule: Some(rules::redirect_uri),
    flag: "--redirect-signout-uris LIST",
    help: Help::Prompt("", " (each; update: the URIs to add)"),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.oAuth.redirectSignoutURIs"),
    ..BASE
};

const ASK_EDIT_SIGNOUT_URIS: Spec = Spec {
    id: EDIT_SIGNOUT_URIS,
    message: "Which redirect signout URIs do you want to edit?",
    kind: Kind::Many,
    choices: Choices::From(current_signout_uris),
    default: Default::Values(&[]),
    when: editing_signout,
    flag: "--edit-signout-uris LIST",
    headless_key: Some("serviceModification.userPoolModification.oAuth.redirectSignoutURIs"),
    ..BASE
};

const ASK_UPDATED_SIGNOUT_URIS: Spec = Spec {
    id: UPDATED_SIGNOUT_URIS,
    message: "Update",
    kind: Kind::Each {
        of: EDIT_SIGNOUT_URIS,
    },
    when: replacing_signout,
    rule: Some(rules::redirect_uri),
    flag: "--updated-signout-uris LIST (one for each of --edit-signout-uris)",
    help: Help::Text("\"Update <URI>\": the new values of --edit-signout-uris, in order"),
    headless_key: Some("serviceModification.userPoolModification.oAuth.redirectSignoutURIs"),
    ..BASE
};

const ASK_ADD_SIGNOUT_URIS: Spec = Spec {
    default: Default::Values(&["yes"]),
    when: editing_signout,
    headless_key: Some("serviceModification.userPoolModification.oAuth.redirectSignoutURIs"),
    ..confirm(
        ADD_SIGNOUT_URIS,
        "Do you want to add redirect signout URIs?",
        "--add-signout-uris yes|no",
    )
};

const ASK_NEW_SIGNOUT_URIS: Spec = Spec {
    id: SIGNOUT_URIS,
    message: "Enter your new redirect signout URI:",
    kind: Kind::Loop {
        another: "redirect signout URI",
        optional: none_optional,
    },
    when: adding_signout,
    rule: Some(rules::redirect_uri),
    flag: "--redirect-signout-uris LIST",
    headless_key: Some("serviceModification.userPoolModification.oAuth.redirectSignoutURIs"),
    ..BASE
};

const ASK_OAUTH_FLOW: Spec = Spec {
    id: OAUTH_FLOW,
    message: "Select the OAuth flows enabled for this project.",
    kind: Kind::One,
    choices: Choices::Fixed(&[
        opt("Authorization code grant", "code"),
        opt("Implicit grant", "implicit"),
    ]),
    default: Default::Values(&["code"]),
    when: javascript_flows,
    flag: "--oauth-flow code|implicit",
    help: Help::Prompt("Manual, javascript: ", ""),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.oAuth.oAuthGrantType"),
    ..BASE
};

const ASK_OAUTH_SCOPES: Spec = Spec {
    id: OAUTH_SCOPES,
    message: "Select the OAuth scopes enabled for this project.",
    kind: Kind::Many,
    choices: Choices::Fixed(SCOPE_OPTS),
    default: Default::Values(ALL_SCOPES),
    when: manual_hosted_ui,
    flag: "--oauth-scopes LIST (phone,email,openid,profile,aws.cognito.signin.user.admin)",
    help: Help::Prompt(
        "Manual: ",
        " phone,email,openid,profile,aws.cognito.signin.user.admin",
    ),
    headless_key: Some("serviceConfiguration.userPoolConfiguration.oAuth.oAuthScopes"),
    ..BASE
};

const ASK_SOCIAL_PROVIDERS: Spec = Spec {
    id: SOCIAL_PROVIDERS,
    message: "Select the social providers you want to configure for your user pool:",
    kind: Kind::Many,
    choices: Choices::Fixed(SOCIAL_PROVIDER_OPTS),
    default: Default::Values(&[]),
    when: hosted_ui,
    check: Some(providers_supply_required),
    flag: "--social-providers LIST (facebook,google,amazon,apple)",
    help: Help::Text("The user pool's social providers: facebook,google,amazon,apple"),
    headless_key: Some(
        "serviceConfiguration.userPoolConfiguration.oAuth.socialProviderConfigurations",
    ),
    ..BASE
};

const ASK_UPDATED_SOCIAL_PROVIDERS: Spec = Spec {
    id: SOCIAL_PROVIDERS,
    message: "Select the identity providers you want to configure for your user pool:",
    kind: Kind::Many,
    choices: Choices::Fixed(SOCIAL_PROVIDER_OPTS),
    default: Default::Values(&[]),
    when: social_updating,
    check: Some(providers_supply_required),
    flag: "--social-providers LIST (facebook,google,amazon,apple)",
    help: Help::Text("The user pool's social providers: facebook,google,amazon,apple"),
    headless_key: Some(
        "serviceModification.userPoolModification.oAuth.socialProviderConfigurations",
    ),
    ..BASE
};

const ASK_FACEBOOK_OAUTH_APP_ID: Spec = Spec {
    prefix: FACEBOOK_PREFIX,
    when: facebook_oauth,
    headless_key: Some("socialProviderConfigurations[FACEBOOK].clientId"),
    ..typed(
        FACEBOOK_OAUTH_APP_ID,
        "Enter your Facebook App ID for your OAuth flow: ",
        "--facebook-oauth-app-id ID",
    )
};

const ASK_FACEBOOK_OAUTH_APP_SECRET: Spec = Spec {
    when: facebook_oauth,
    secret: true,
    headless_key: Some("socialProviderConfigurations[FACEBOOK].clientSecret"),
    ..typed(
        FACEBOOK_OAUTH_APP_SECRET,
        "Enter your Facebook App Secret for your OAuth flow: ",
        "--facebook-oauth-app-secret SECRET",
    )
};

const ASK_GOOGLE_OAUTH_CLIENT_ID: Spec = Spec {
    prefix: GOOGLE_PREFIX,
    when: google_oauth,
    headless_key: Some("socialProviderConfigurations[GOOGLE].clientId"),
    ..typed(
        GOOGLE_OAUTH_CLIENT_ID,
        "Enter your Google Web Client ID for your OAuth flow: ",
        "--google-oauth-client-id ID",
    )
};

const ASK_GOOGLE_OAUTH_CLIENT_SECRET: Spec = Spec {
    when: google_oauth,
    secret: true,
    headless_key: Some("socialProviderConfigurations[GOOGLE].clientSecret"),
    ..typed(
        GOOGLE_OAUTH_CLIENT_SECRET,
        "Enter your Google Web Client Secret for your OAuth flow: ",
        "--google-oauth-client-secret SECRET",
    )
};

const ASK_AMAZON_OAUTH_APP_ID: Spec = Spec {
    prefix: AMAZON_PREFIX,
    when: amazon_oauth,
    headless_key: Some("socialProviderConfigurations[LOGIN_WITH_AMAZON].clientId"),
    ..typed(
        AMAZON_OAUTH_APP_ID,
        "Enter your Amazon App ID for your OAuth flow: ",
        "--amazon-oauth-app-id ID",
    )
};

const ASK_AMAZON_OAUTH_APP_SECRET: Spec = Spec {
    when: amazon_oauth,
    secret: true,
    headless_key: Some("socialProviderConfigurations[LOGIN_WITH_AMAZON].clientSecret"),
    ..typed(
        AMAZON_OAUTH_APP_SECRET,
        "Enter your Amazon App Secret for your OAuth flow: ",
        "--amazon-oauth-app-secret SECRET",
    )
};

const ASK_APPLE_SERVICES_ID: Spec = Spec {
    prefix: APPLE_PREFIX,
    when: apple_oauth,
    headless_key: Some("socialProviderConfigurations[SIGN_IN_WITH_APPLE].clientId"),
    help: Help::Prompt("Sign in with Apple: ", ""),
    ..typed(
        APPLE_SERVICES_ID,
        "Enter your Services ID for your OAuth flow: ",
        "--apple-services-id ID",
    )
};

const ASK_APPLE_TEAM_ID: Spec = Spec {
    when: apple_oauth,
    headless_key: Some("socialProviderConfigurations[SIGN_IN_WITH_APPLE].teamId"),
    ..typed(
        APPLE_TEAM_ID,
        "Enter your Team ID for your OAuth flow: ",
        "--apple-team-id ID",
    )
};

const ASK_APPLE_KEY_ID: Spec = Spec {
    when: apple_oauth,
    headless_key: Some("socialProviderConfigurations[SIGN_IN_WITH_APPLE].keyId"),
    ..typed(
        APPLE_KEY_ID,
        "Enter your Key ID for your OAuth flow: ",
        "--apple-key-id ID",
    )
};

const ASK_APPLE_PRIVATE_KEY: Spec = Spec {
    id: APPLE_PRIVATE_KEY,
    message: "Enter your Private Key for your OAuth flow (entire key without line breaks): ",
    when: apple_oauth,
    rule: Some(rules::apple_private_key),
    secret: true,
    flag: "--apple-private-key KEY",
    help: Help::Text(
        "\"Enter your Private Key for your OAuth flow\" (-----BEGIN PRIVATE KEY----- ... on one line)",
    ),
    headless_key: Some("socialProviderConfigurations[SIGN_IN_WITH_APPLE].privateKey"),
    ..BASE
};

const ASK_LAMBDA_TRIGGERS: Spec = Spec {
    // Amplify's confirm starts on Yes; No here, so that `--yes` adds no function.
    when: manual,
    help: Help::Prompt("Manual: ", ""),
    ..confirm(
        LAMBDA_TRIGGERS,
        "Do you want to configure Lambda Triggers for Cognito?",
        "--lambda-triggers yes|no",
    )
};

/// `add auth`'s walkthrough, in Amplify's order.
pub const ADD_AUTH: &[Spec] = &[
    ASK_DEFAULT_CONFIG,
    ASK_AUTH_SELECTIONS,
    ASK_RESOURCE_NAME,
    ASK_IDENTITY_POOL_NAME,
    ASK_UNAUTHENTICATED_LOGIN,
    ASK_THIRD_PARTY_AUTH,
    ASK_IDENTITY_PROVIDERS,
    ASK_FACEBOOK_APP_ID,
    ASK_GOOGLE_CLIENT_ID,
    ASK_AMAZON_APP_ID,
    ASK_APPLE_BUNDLE_ID,
    ASK_USER_POOL_NAME,
    ASK_SIGN_IN,
    ASK_USER_POOL_GROUPS,
    ASK_GROUP_NAMES,
    ASK_GROUP_ORDER,
    ASK_ADMIN_QUERIES,
    ASK_ADVANCED,
    ASK_MFA,
    ASK_MFA_TYPES,
    ASK_SMS_AUTH_MESSAGE,
    ASK_EMAIL_REGISTRATION,
    ASK_EMAIL_SUBJECT,
    ASK_EMAIL_MESSAGE,
    ASK_SMS_VERIFICATION_MESSAGE,
    ASK_OVERRIDE_PASSWORD_POLICY,
    ASK_PASSWORD_MIN_LENGTH,
    ASK_PASSWORD_CHARACTERS,
    ASK_REQUIRED_ATTRIBUTES,
    ASK_REFRESH_TOKEN_PERIOD,
    ASK_SET_ATTRIBUTES,
    ASK_READ_ATTRIBUTES,
    ASK_WRITE_ATTRIBUTES,
    triggers::ASK_CAPABILITIES,
    ASK_OAUTH,
    ASK_DOMAIN_PREFIX,
    ASK_SIGNIN_URIS,
    ASK_SIGNOUT_URIS,
    ASK_OAUTH_FLOW,
    ASK_OAUTH_SCOPES,
    ASK_SOCIAL_PROVIDERS,
    ASK_FACEBOOK_OAUTH_APP_ID,
    ASK_FACEBOOK_OAUTH_APP_SECRET,
    ASK_GOOGLE_OAUTH_CLIENT_ID,
    ASK_GOOGLE_OAUTH_CLIENT_SECRET,
    ASK_AMAZON_OAUTH_APP_ID,
    ASK_AMAZON_OAUTH_APP_SECRET,
    ASK_APPLE_SERVICES_ID,
    ASK_APPLE_TEAM_ID,
    ASK_APPLE_KEY_ID,
    ASK_APPLE_PRIVATE_KEY,
    ASK_LAMBDA_TRIGGERS,
    triggers::ASK_TRIGGERS,
    triggers::ASK_TRIGGER_MODULES,
    triggers::ASK_TRIGGER_FUNCTION,
    triggers::PARAM_SPECS[0],
    triggers::PARAM_SPECS[1],
    triggers::PARAM_SPECS[2],
    triggers::PARAM_SPECS[3],
    triggers::PARAM_SPECS[4],
    triggers::PARAM_SPECS[5],
    triggers::PARAM_SPECS[6],
    triggers::PARAM_SPECS[7],
    triggers::PARAM_SPECS[8],
    triggers::PARAM_SPECS[9],
    triggers::PARAM_SPECS[10],
];

/// `update auth`'s menu and walkthrough, in Amplify's order; the questions
/// both commands ask are the same specs (an update's defaults are the
/// resource's current values).
pub const UPDATE_AUTH: &[Spec] = &[
    ASK_ACTION,
    ASK_AUTH_SELECTIONS,
    ASK_UNAUTHENTICATED_LOGIN,
    ASK_THIRD_PARTY_AUTH,
    ASK_IDENTITY_PROVIDERS,
    ASK_FACEBOOK_APP_ID,
    ASK_GOOGLE_CLIENT_ID,
    ASK_AMAZON_APP_ID,
    ASK_APPLE_BUNDLE_ID,
    ASK_USER_POOL_GROUPS,
    ASK_DELETE_GROUPS,
    ASK_GROUP_NAMES,
    ASK_GROUP_ORDER,
    ASK_ADMIN_QUERIES,
    ASK_MFA,
    ASK_MFA_TYPES,
    ASK_SMS_AUTH_MESSAGE,
    ASK_EMAIL_REGISTRATION,
    ASK_EMAIL_SUBJECT,
    ASK_EMAIL_MESSAGE,
    ASK_SMS_VERIFICATION_MESSAGE,
    ASK_OVERRIDE_PASSWORD_POLICY,
    ASK_PASSWORD_MIN_LENGTH,
    ASK_PASSWORD_CHARACTERS,
    ASK_REFRESH_TOKEN_PERIOD,
    ASK_SET_ATTRIBUTES,
    ASK_READ_ATTRIBUTES,
    ASK_WRITE_ATTRIBUTES,
    triggers::ASK_CAPABILITIES,
    ASK_OAUTH,
    ASK_DOMAIN_PREFIX,
    ASK_SIGNIN_URIS,
    ASK_EDIT_SIGNIN_URIS,
    ASK_UPDATED_SIGNIN_URIS,
    ASK_ADD_SIGNIN_URIS,
    ASK_NEW_SIGNIN_URIS,
    ASK_SIGNOUT_URIS,
    ASK_EDIT_SIGNOUT_URIS,
    ASK_UPDATED_SIGNOUT_URIS,
    ASK_ADD_SIGNOUT_URIS,
    ASK_NEW_SIGNOUT_URIS,
    ASK_OAUTH_FLOW,
    ASK_OAUTH_SCOPES,
    ASK_UPDATED_SOCIAL_PROVIDERS,
    ASK_FACEBOOK_OAUTH_APP_ID,
    ASK_FACEBOOK_OAUTH_APP_SECRET,
    ASK_GOOGLE_OAUTH_CLIENT_ID,
    ASK_GOOGLE_OAUTH_CLIENT_SECRET,
    ASK_AMAZON_OAUTH_APP_ID,
    ASK_AMAZON_OAUTH_APP_SECRET,
    ASK_APPLE_SERVICES_ID,
    ASK_APPLE_TEAM_ID,
    ASK_APPLE_KEY_ID,
    ASK_APPLE_PRIVATE_KEY,
    ASK_LAMBDA_TRIGGERS,
    triggers::ASK_TRIGGERS,
    triggers::ASK_TRIGGER_MODULES,
    triggers::ASK_TRIGGER_FUNCTION,
    triggers::PARAM_SPECS[0],
    triggers::PARAM_SPECS[1],
    triggers::PARAM_SPECS[2],
    triggers::PARAM_SPECS[3],
    triggers::PARAM_SPECS[4],
    triggers::PARAM_SPECS[5],
    triggers::PARAM_SPECS[6],
    triggers::PARAM_SPECS[7],
    triggers::PARAM_SPECS[8],
    triggers::PARAM_SPECS[9],
    triggers::PARAM_SPECS[10],
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Both tables' specs, `add auth`'s first.
    fn all_specs() -> impl Iterator<Item = &'static Spec> {
        ADD_AUTH.iter().chain(UPDATE_AUTH)
    }

    #[test]
    fn a_shared_id_is_one_question_in_two_wordings() {
        let all: Vec<&Spec> = all_specs().collect();
        for (i, s) in all.iter().enumerate() {
            assert!(s.flag.starts_with(&format!("--{} ", s.id)), "{}", s.flag);
            if let Some(first) = all[..i].iter().find(|o| o.id == s.id) {
                assert_eq!(first.flag, s.flag, "{}", s.id);
            }
            if let (Kind::One | Kind::Many, Choices::Fixed(opts), Default::Values(defaults)) =
                (s.kind, s.choices, s.default)
            {
                for d in defaults {
                    assert!(opts.iter().any(|o| o.value == *d), "{}: {d}", s.id);
                }
            }
        }
    }

    #[test]
    fn each_walk_asks_a_question_once_but_for_a_new_wording_of_an_update() {
        for (table, twice) in [
            (ADD_AUTH, &[][..]),
            (UPDATE_AUTH, &[SIGNIN_URIS, SIGNOUT_URIS][..]),
        ] {
            for (i, s) in table.iter().enumerate() {
                let again = table[..i].iter().any(|o| o.id == s.id);
                assert!(!again || twice.contains(&s.id), "{} is asked twice", s.id);
            }
        }
    }

    /// The values a one-choice or yes/no flag takes (refused ones may be left out).
    fn choice_values(s: &Spec) -> Option<(Vec<&'static str>, Vec<&'static str>)> {
        let values: Vec<&str> = match (s.kind, s.choices) {
            (Kind::Confirm, _) => vec!["yes", "no"],
            (Kind::One, Choices::Fixed(opts)) => opts.iter().map(|o| o.value).collect(),
            (Kind::One, Choices::From(_)) => UPDATE_ACTIONS.iter().map(|o| o.value).collect(),
            _ => return None,
        };
        let refused: Vec<&str> = s.refuse.iter().map(|(v, _)| *v).collect();
        Some((values, refused))
    }

    #[test]
    fn a_flags_value_words_are_its_choices() {
        for s in all_specs() {
            let Some((values, refused)) = choice_values(s) else {
                continue;
            };
            let words: Vec<&str> = s.value_name().split('|').collect();
            for w in &words {
                assert!(values.contains(w), "{}: {w} is no choice", s.flag);
            }
            for v in values.iter().filter(|v| !refused.contains(v)) {
                assert!(words.contains(v), "{}: {v} is missing", s.flag);
            }
        }
    }

    #[test]
    fn refusals_name_choices() {
        for s in all_specs() {
            for (v, _) in s.refuse {
                let known = match (s.kind, s.choices) {
                    (Kind::Confirm, _) => *v == "yes",
                    (_, Choices::Fixed(opts)) => opts.iter().any(|o| o.value == *v),
                    (_, Choices::From(_)) => UPDATE_ACTIONS.iter().any(|o| o.value == *v),
                };
                assert!(known, "{}: {v}", s.id);
            }
        }
    }
}
